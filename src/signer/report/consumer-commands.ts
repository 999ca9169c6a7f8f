// The commands a consumer pastes to verify what a run signed, for the
// instance it signed with and the shell they paste into: POSIX shells
// (Linux, macOS) and PowerShell (Windows runners). Pure: the step summary
// lays them out.
import type { SigstoreInputs } from '../../sigstore/options.js'

export type Shell = 'sh' | 'pwsh'

export interface CommandFacts {
  repo: string
  tag: string
  identity: string
  issuer: string
  sigstore: SigstoreInputs
  shell: Shell
}

/** One shell word, whatever the text holds. */
export function quote(text: string, shell: Shell): string {
  return shell === 'pwsh' ? `'${text.replaceAll("'", "''")}'` : `'${text.replaceAll("'", "'\\''")}'`
}

/**
 * A command over several lines, one group of words each, so that no line
 * runs off GitHub's column: `\` ends a line in a POSIX shell, a backtick in
 * PowerShell.
 */
export function command(lines: string[][], shell: Shell): string {
  const end = shell === 'pwsh' ? ' `' : ' \\'
  return lines.map((words) => words.join(' ')).join(`${end}\n  `)
}

/** A line of its own for these words, when there are any. */
function nonEmpty(words: string[]): string[][] {
  return words.length > 0 ? [words] : []
}

/** The trust material a command needs beyond the public-good default: flags, and a note on where it comes from. */
function trust(f: CommandFacts): {
  cli: string[]
  cosign: string[]
  gh: string[]
  python?: string[]
} {
  const file = ['--trusted-root', 'trusted_root.json']
  const gh = ['--custom-trusted-root', 'trusted_root.json']
  if (f.sigstore.instance === 'staging')
    return { cli: ['--staging'], cosign: file, gh, python: ['--staging'] }
  if (f.sigstore.instance === 'custom') return { cli: file, cosign: file, gh }
  return { cli: [], cosign: [], gh: [], python: [] }
}

/** Where `trusted_root.json` comes from, when a command names it; undefined for public-good. */
export function trustedRootNote(f: CommandFacts): string | undefined {
  const t = f.sigstore.trust
  if (f.sigstore.instance === 'public-good') return undefined
  const where =
    t.kind === 'file'
      ? `the file this workflow passed as trusted-root (${t.path}), which the instance's operator publishes`
      : `the instance's TUF repository, ${t.mirror} (cosign initialize --mirror ${t.mirror} fetches it)`
  return `trusted_root.json is the trusted root of the Sigstore instance this release was signed with: from ${where}.`
}

/** verify-release: every asset of the release, its bundle or the manifest, and the provenance. */
export function verifyReleaseCommand(f: CommandFacts): string {
  const q = (t: string) => quote(t, f.shell)
  return command(
    [
      ['npx', 'sign-release', 'verify-release', '--repo', q(f.repo), '--tag', q(f.tag)],
      ['--certificate-identity', q(f.identity)],
      ...nonEmpty(trust(f).cli),
    ],
    f.shell,
  )
}

/** cosign verify-blob for one file and its bundle. */
export function cosignCommand(f: CommandFacts, file: string, bundle: string): string {
  const q = (t: string) => quote(t, f.shell)
  return command(
    [
      ['cosign', 'verify-blob', q(file), '--bundle', q(bundle)],
      ['--certificate-identity', q(f.identity)],
      ['--certificate-oidc-issuer', q(f.issuer)],
      ...nonEmpty(trust(f).cosign),
    ],
    f.shell,
  )
}

/** sigstore-python for one file and its bundle; undefined for a custom instance (it needs a client trust config). */
export function sigstorePythonCommand(
  f: CommandFacts,
  file: string,
  bundle: string,
): string | undefined {
  const flags = trust(f).python
  if (!flags) return undefined
  const q = (t: string) => quote(t, f.shell)
  return command(
    [
      ['python', '-m', 'sigstore', ...flags, 'verify', 'identity', q(file), '--bundle', q(bundle)],
      ['--cert-identity', q(f.identity)],
      ['--cert-oidc-issuer', q(f.issuer)],
    ],
    f.shell,
  )
}

/**
 * The files downloaded, against the verified manifest: only those present
 * (`--ignore-missing`), with GNU's sha256sum, macOS's shasum, or PowerShell.
 */
export function checksumCommands(f: CommandFacts, manifest: string): string[] {
  const q = quote(manifest, f.shell)
  if (f.shell === 'pwsh') {
    return [
      `Get-Content ${q} | ForEach-Object {\n` +
        `  $sum, $name = $_ -split '  ', 2\n` +
        `  if (Test-Path -LiteralPath $name) {\n` +
        `    $ok = (Get-FileHash -LiteralPath $name -Algorithm SHA256).Hash -eq $sum\n` +
        `    "$(if ($ok) { 'OK' } else { 'FAILED' }): $name"\n` +
        '  }\n' +
        '}',
    ]
  }
  return [
    `sha256sum -c --ignore-missing ${q}      # Linux`,
    `shasum -a 256 -c --ignore-missing ${q}  # macOS`,
  ]
}

/** gh attestation verify (offline with the file, or as stored) and cosign for the provenance. */
export function provenanceCommands(
  f: CommandFacts,
  file: string,
  provenance: string,
  stored: boolean,
): string[] {
  const q = (t: string) => quote(t, f.shell)
  const gh = (bundle: boolean) =>
    command(
      [
        ['gh', 'attestation', 'verify', q(file), '--repo', q(f.repo)],
        ...(bundle ? [['--bundle', q(provenance)]] : []),
        ...nonEmpty(trust(f).gh),
      ],
      f.shell,
    )
  const cosign = command(
    [
      ['cosign', 'verify-blob-attestation', q(file), '--bundle', q(provenance)],
      ['--type', 'slsaprovenance1'],
      ['--certificate-identity', q(f.identity)],
      ['--certificate-oidc-issuer', q(f.issuer)],
      ...nonEmpty(trust(f).cosign),
    ],
    f.shell,
  )
  return [gh(true), ...(stored ? [gh(false)] : []), cosign]
}

/** cosign and gh for an SBOM attestation, checked against one file it describes. */
export function sbomCommands(
  f: CommandFacts,
  file: string,
  attestation: string,
  predicateType: string,
): string[] {
  const q = (t: string) => quote(t, f.shell)
  return [
    command(
      [
        ['cosign', 'verify-blob-attestation', q(file), '--bundle', q(attestation)],
        ['--type', q(predicateType)],
        ['--certificate-identity', q(f.identity)],
        ['--certificate-oidc-issuer', q(f.issuer)],
        ...nonEmpty(trust(f).cosign),
      ],
      f.shell,
    ),
    command(
      [
        ['gh', 'attestation', 'verify', q(file), '--repo', q(f.repo)],
        ['--bundle', q(attestation), '--predicate-type', q(predicateType)],
        ...nonEmpty(trust(f).gh),
      ],
      f.shell,
    ),
  ]
}

/** `gh release verify` for the release, and `gh release verify-asset` for one file of it. */
export function githubReleaseCommands(f: CommandFacts, file: string): string[] {
  const q = (t: string) => quote(t, f.shell)
  return [
    command([['gh', 'release', 'verify', q(f.tag), '--repo', q(f.repo)]], f.shell),
    command([['gh', 'release', 'verify-asset', q(f.tag), q(file), '--repo', q(f.repo)]], f.shell),
  ]
}
