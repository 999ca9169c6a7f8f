// The consumer's commands for each instance and shell: public-good needs no
// trust flags; staging adds --staging where a tool has it and a trusted root
// where it does not; a custom instance names its trusted root and where it
// comes from; PowerShell gets its own quoting, continuation and checksum check.
import { describe, expect, it } from 'vitest'
import {
  type CommandFacts,
  checksumCommands,
  cosignCommand,
  provenanceCommands,
  quote,
  sigstorePythonCommand,
  trustedRootNote,
  verifyReleaseCommand,
} from '../../src/signer/report/consumer-commands.js'
import type { SigstoreInputs } from '../../src/sigstore/options.js'

const tuf = (mirror: string): SigstoreInputs => ({
  instance: mirror.includes('sigstage') ? 'staging' : 'public-good',
  services: { kind: 'tuf', mirror },
  rekorVersion: 'auto',
  timestamp: 'auto',
  allowPrivateRepository: false,
  trust: { kind: 'tuf', mirror },
})

const facts = (sigstore: SigstoreInputs, shell: 'sh' | 'pwsh' = 'sh'): CommandFacts => ({
  repo: 'octo-org/tool',
  tag: 'v1.2.3',
  identity: "https://github.com/octo-org/tool/.github/workflows/release.yml@refs/heads/it's",
  issuer: 'https://token.actions.githubusercontent.com',
  sigstore,
  shell,
})

const publicGood = tuf('https://tuf-repo-cdn.sigstore.dev')
const staging = tuf('https://tuf-repo-cdn.sigstage.dev')
const custom: SigstoreInputs = {
  ...publicGood,
  instance: 'custom',
  trust: { kind: 'file', path: '.sigstore/trusted_root.json' },
}

describe('consumer commands', () => {
  it('quote any text for a POSIX shell and for PowerShell', () => {
    expect(quote("it's", 'sh')).toBe("'it'\\''s'")
    expect(quote("it's", 'pwsh')).toBe("'it''s'")
  })

  it('public-good: no trust flags, and sigstore-python too', () => {
    const f = facts(publicGood)
    expect(verifyReleaseCommand(f)).toBe(
      "npx sign-release verify-release --repo 'octo-org/tool' --tag 'v1.2.3' \\\n" +
        "  --certificate-identity 'https://github.com/octo-org/tool/.github/workflows/release.yml@refs/heads/it'\\''s'",
    )
    expect(cosignCommand(f, 'a.tgz', 'a.tgz.sigstore.json')).not.toContain('trusted')
    expect(sigstorePythonCommand(f, 'a.tgz', 'a.tgz.sigstore.json')).toMatch(
      /^python -m sigstore verify identity 'a\.tgz' --bundle 'a\.tgz\.sigstore\.json' \\\n/,
    )
    expect(trustedRootNote(f)).toBeUndefined()
    expect(provenanceCommands(f, 'a.tgz', 'p.intoto.jsonl', true)).toHaveLength(3)
  })

  it('staging: --staging where the tool has it, and a trusted root for cosign and gh', () => {
    const f = facts(staging)
    expect(verifyReleaseCommand(f)).toMatch(/\n {2}--staging$/)
    expect(sigstorePythonCommand(f, 'a', 'a.sigstore.json')).toMatch(
      /^python -m sigstore --staging verify identity/,
    )
    expect(cosignCommand(f, 'a', 'a.sigstore.json')).toMatch(
      /\n {2}--trusted-root trusted_root\.json$/,
    )
    expect(provenanceCommands(f, 'a', 'p', false)[0]).toContain(
      '--custom-trusted-root trusted_root.json',
    )
    expect(trustedRootNote(f)).toContain(
      'cosign initialize --mirror https://tuf-repo-cdn.sigstage.dev',
    )
  })

  it('a custom instance: its trusted root, where it comes from, and no sigstore-python', () => {
    const f = facts(custom)
    expect(verifyReleaseCommand(f)).toMatch(/\n {2}--trusted-root trusted_root\.json$/)
    expect(sigstorePythonCommand(f, 'a', 'a.sigstore.json')).toBeUndefined()
    expect(trustedRootNote(f)).toContain(
      'the file this workflow passed as trusted-root (.sigstore/trusted_root.json)',
    )
  })

  it('PowerShell: backtick continuations, and a checksum check without sha256sum', () => {
    const f = facts(publicGood, 'pwsh')
    expect(cosignCommand(f, 'a', 'a.sigstore.json')).toContain(" `\n  --certificate-identity '")
    expect(cosignCommand(f, 'a', 'a.sigstore.json')).toContain("refs/heads/it''s'")
    const [check] = checksumCommands(f, 'SHA256SUMS')
    expect(check).toContain("Get-Content 'SHA256SUMS'")
    expect(check).not.toContain('sha256sum')
    expect(checksumCommands(facts(publicGood), 'SHA256SUMS')).toEqual([
      "sha256sum -c --ignore-missing 'SHA256SUMS'      # Linux",
      "shasum -a 256 -c --ignore-missing 'SHA256SUMS'  # macOS",
    ])
  })
})
