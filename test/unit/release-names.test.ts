import { describe, expect, it } from 'vitest'
import {
  abandonedName,
  diskNames,
  isAbandoned,
  isManagedName,
  isTemporaryName,
  provenanceName,
  runFolderName,
  temporaryName,
  temporaryOwner,
} from '../../src/release-names.js'

describe('diskNames', () => {
  it('keeps ordinary bundle names as they are', () => {
    expect(diskNames(['app.tar.gz.sigstore.json', 'app+1.zip.sigstore'])).toEqual([
      'app.tar.gz.sigstore.json',
      'app+1.zip.sigstore',
    ])
  })

  it('never makes a name Windows keeps for a device, with or without an extension', () => {
    expect(
      diskNames(['aux.tar.gz.sigstore.json', 'CON.sigstore.json', 'nul', 'com1.zip.sigstore']),
    ).toEqual(['_aux.tar.gz.sigstore.json', '_CON.sigstore.json', '_nul', '_com1.zip.sigstore'])
    // Only the name before the first dot counts: these are ordinary names.
    expect(diskNames(['auxiliary.tar.gz.sigstore.json', 'my.con.sigstore.json'])).toEqual([
      'auxiliary.tar.gz.sigstore.json',
      'my.con.sigstore.json',
    ])
  })

  it('never lets a name leave the folder or hide', () => {
    const [a, b, c] = diskNames(['../../etc/passwd', 'a\\b/c.json', '.hidden'])
    for (const name of [a, b, c]) {
      expect(name).not.toMatch(/[/\\]/)
      expect(name?.startsWith('.')).toBe(false)
    }
  })

  it('makes names unique where case or Unicode normalisation would merge them', () => {
    const names = diskNames([
      'A.bin.sigstore.json',
      'a.bin.sigstore.json',
      'é.json',
      'e\u0301.json',
    ])
    const folded = names.map((n) => n.normalize('NFC').toLowerCase())
    expect(new Set(folded).size).toBe(4)
  })

  it('bounds the length', () => {
    const [name] = diskNames([`${'x'.repeat(300)}.sigstore.json`])
    expect(name?.length).toBeLessThanOrEqual(200)
  })
})

it('folders for long or odd tags stay short and safe', () => {
  const name = runFolderName(`v1/${'x'.repeat(250)}`)
  expect(name.length).toBeLessThanOrEqual(64 + 9)
  expect(name).not.toContain('/')
})

it('temporary names stay within GitHub’s limit, are recognised, and are never signed', () => {
  const temp = temporaryName(`${'y'.repeat(250)}.sigstore.json`, {
    runId: '12345678901',
    attempt: 3,
  })
  expect(temp.length).toBeLessThanOrEqual(255)
  expect(isTemporaryName(temp)).toBe(true)
  expect(isManagedName(temp)).toBe(true)
  expect(isManagedName('app.tar.gz')).toBe(false)
})

it('a temporary copy given up on keeps its run, stays within the limit, and says so', () => {
  const temp = temporaryName(`${'y'.repeat(250)}.sigstore.json`, {
    runId: '12345678901',
    attempt: 3,
  })
  const gone = abandonedName(temp)
  expect(gone.length).toBeLessThanOrEqual(255)
  expect(gone).toMatch(/\.sign-release-tmp-r12345678901a3-gone-[0-9a-f]{8}$/)
  expect(isTemporaryName(gone)).toBe(true)
  expect(isAbandoned(gone)).toBe(true)
  expect(isAbandoned(temp)).toBe(false)
  expect(temporaryOwner(gone)).toEqual({ runId: '12345678901', attempt: 3 })
  expect(abandonedName(gone)).toBe(gone)
})

it('temporary names say which run and attempt hold them; the older form says nothing', () => {
  const temp = temporaryName('app.tar.gz.sigstore.json', { runId: '987', attempt: 2 })
  expect(temp).toMatch(/^app\.tar\.gz\.sigstore\.json\.sign-release-tmp-r987a2-[0-9a-f]{8}$/)
  expect(temporaryOwner(temp)).toEqual({ runId: '987', attempt: 2 })
  expect(isTemporaryName('app.tar.gz.sigstore.json.sign-release-tmp-0123abcd')).toBe(true)
  expect(temporaryOwner('app.tar.gz.sigstore.json.sign-release-tmp-0123abcd')).toBeUndefined()
  expect(isTemporaryName('app.tar.gz.sigstore.json.sign-release-tmp-r1a1')).toBe(false)
})

it('names the provenance after the repository and tag, and never signs a provenance file', () => {
  expect(provenanceName('tool', 'v1.2.3')).toBe('tool-v1.2.3.intoto.jsonl')
  expect(provenanceName('tool', 'release/2.0')).toBe('tool-release-2.0.intoto.jsonl')
  expect(isManagedName('tool-v1.2.3.intoto.jsonl')).toBe(true)
  expect(isManagedName('multiple.intoto.jsonl')).toBe(true)
  expect(isManagedName('notes.jsonl')).toBe(false)
  const temp = temporaryName('tool-v1.2.3.intoto.jsonl', { runId: '1', attempt: 1 })
  expect(isTemporaryName(temp)).toBe(true)
})

describe('the TUF cache', () => {
  it("keeps a mirror's first root under a name every runner's OS can make", async () => {
    const { initialRootName } = await import('../../src/sigstore/tuf.js')
    expect(initialRootName('http://127.0.0.1:8443')).toBe('initial-root-127.0.0.1_8443.json')
    expect(initialRootName('https://tuf-repo-cdn.sigstage.dev')).toBe(
      'initial-root-tuf-repo-cdn.sigstage.dev.json',
    )
  })
})
