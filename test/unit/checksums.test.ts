import { describe, expect, it } from 'vitest'
import { archiveBaseName } from '../../src/release-names.js'
import { manifestText } from '../../src/signer/release-wide/checksums.js'

describe('manifestText', () => {
  it('writes sha256sum lines sorted by name in byte order, whatever order they came in', () => {
    const a = 'a'.repeat(64)
    const b = 'b'.repeat(64)
    const c = 'c'.repeat(64)
    expect(
      manifestText([
        { name: 'zeta.zip', sha256: a },
        { name: 'Alpha.tar.gz', sha256: b },
        { name: 'alpha.tar.gz', sha256: c },
      ]),
    ).toBe(`${b}  Alpha.tar.gz\n${c}  alpha.tar.gz\n${a}  zeta.zip\n`)
  })

  it('is empty for no files', () => {
    expect(manifestText([])).toBe('')
  })
})

describe('archiveBaseName', () => {
  it('is <repo>-<tag>, with - for each character GitHub would change in an asset name', () => {
    expect(archiveBaseName('proj', 'v1.2.0')).toBe('proj-v1.2.0')
    expect(archiveBaseName('mono', 'pkg/v1.0.0')).toBe('mono-pkg-v1.0.0')
    expect(archiveBaseName('tool', 'release@2026 rc1')).toBe('tool-release-2026-rc1')
  })
})
