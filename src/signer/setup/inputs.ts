// Parses the action's inputs into a typed object. Pure: it reads only the
// getter it is given, so tests pass a plain map.

import { InputError } from '../../errors.js'
import { bool, type Getter } from '../../input-values.js'
import { DEFAULT_MANIFEST, isManagedName } from '../../release-names.js'
import type { SigstoreInputs } from '../../sigstore/options.js'
import { splitList } from '../../util/patterns.js'
import { sigstoreInputs } from './sigstore-inputs.js'

export type BundleSuffix = '.sigstore.json' | '.sigstore'

/** Whether the provenance is also stored with GitHub's attestations API (input `attestations`). */
export type AttestationsMode = 'auto' | 'true' | 'false'

/**
 * Input `bundles`: a bundle beside each signed file, or one signed checksums
 * manifest (and the provenance) over all of them, for releases too big for
 * GitHub's 1,000-asset cap to hold a bundle each.
 */
export type BundlesMode = 'per-asset' | 'manifest'

/** How the tag's source archive is made, if at all (input `source-archive`). */
export type SourceArchiveMode = 'none' | 'git' | 'github'

export interface RunInputs {
  token: string
  tag?: string
  /** Release assets to sign. Empty when only the run's own files are signed. */
  assetPatterns: string[]
  /** Local files to sign and attach: @actions/glob patterns, relative to the workspace. */
  filePatterns: string[]
  sourceArchive: SourceArchiveMode
  /** SBOMs in the workspace to attach, sign and attest: @actions/glob patterns, relative to the workspace. */
  sbomPatterns: string[]
  /** File name of the checksums manifest to write, sign and attach (always set under bundles: manifest). */
  checksums?: string
  bundles: BundlesMode
  bundleSuffix: BundleSuffix
  overwrite: boolean
  dryRun: boolean
  /** Run the whole job against a scratch draft copy of the release, then delete the copy. */
  rehearse: boolean
  publish: boolean
  /** Write, sign and attach one SLSA provenance over the release's signed files. */
  provenance: boolean
  attestations: AttestationsMode
  /** GitHub's own trusted root, to check the release attestation GitHub makes of an immutable release. */
  githubTrustedRoot?: string
  sigstore: SigstoreInputs
}

export function parseInputs(get: Getter): RunInputs {
  const token = get('github-token').trim()
  if (!token) {
    throw new InputError(
      'github-token',
      'is empty. Leave it unset to use the workflow token, or pass a token with contents: write.',
    )
  }
  const tag = get('tag').trim() || undefined
  if (tag && /\s/.test(tag))
    throw new InputError('tag', `'${tag}' contains white space; give one tag name, such as v1.2.3.`)
  const publish = bool(get, 'publish')
  const dryRun = bool(get, 'dry-run')
  if (publish && dryRun) {
    throw new InputError(
      'publish',
      'cannot be true together with dry-run: true, because a dry run leaves the release untouched.',
    )
  }
  const rehearse = bool(get, 'rehearse')
  if (rehearse && dryRun) {
    throw new InputError(
      'rehearse',
      'cannot be true together with dry-run: true. A dry run writes nothing; a rehearsal writes to a scratch ' +
        'copy of the release, then deletes it. Choose one.',
    )
  }
  const provenance = bool(get, 'provenance', true)
  const attestations = attestationsMode(get('attestations'))
  const sbomPatterns = fileList(get('sbom'), 'sbom')
  if (attestations === 'true' && !provenance && sbomPatterns.length === 0) {
    throw new InputError(
      'attestations',
      'is true, but provenance is false: the attestation stored is the provenance. Set provenance: true, or attestations: false.',
    )
  }
  const filePatterns = fileList(get('files'), 'files')
  const sourceArchive = archiveMode(get('source-archive'))
  // With files or a source archive to sign, release assets are signed only
  // when asked for: a build-matrix job signs its own outputs, not its
  // neighbours' uploads that happen to be on the draft already.
  const ownOnly = filePatterns.length > 0 || sourceArchive !== 'none'
  const assetPatterns = patterns(get('assets'), ownOnly ? [] : ['*'])
  const bundles = bundlesMode(get('bundles'))
  const checksums = manifestName(get('checksums'))
  return {
    token,
    tag,
    assetPatterns,
    filePatterns,
    sourceArchive,
    sbomPatterns,
    checksums: checksums ?? (bundles === 'manifest' ? DEFAULT_MANIFEST : undefined),
    bundles,
    bundleSuffix: suffix(get('bundle-suffix')),
    overwrite: bool(get, 'overwrite'),
    dryRun,
    rehearse,
    publish,
    provenance,
    attestations,
    githubTrustedRoot: get('github-trusted-root').trim() || undefined,
    sigstore: sigstoreInputs(get),
  }
}

function attestationsMode(raw: string): AttestationsMode {
  const mode = raw.trim().toLowerCase() || 'auto'
  if (mode === 'auto' || mode === 'true' || mode === 'false') return mode
  throw new InputError(
    'attestations',
    `must be auto (store the provenance with GitHub when the job may), true (a refusal fails the run) or false, not '${raw.trim()}'.`,
  )
}

function bundlesMode(raw: string): BundlesMode {
  const mode = raw.trim().toLowerCase() || 'per-asset'
  if (mode === 'per-asset' || mode === 'manifest') return mode
  throw new InputError(
    'bundles',
    `must be per-asset (a bundle beside each file) or manifest (one signed checksums manifest over every file, ` +
      `for releases over 499 files), not '${raw.trim()}'.`,
  )
}

function patterns(raw: string, fallback: string[]): string[] {
  const list = splitList(raw)
  for (const p of list) {
    // A release asset's name holds no separator, on any runner: `/`, nor Windows's `\`.
    if (p === '!' || p.includes('/') || p.includes('\\')) {
      throw new InputError(
        'assets',
        `'${p}' is not an asset-name pattern. Use names with * and ?, such as *.tar.gz or !*.txt.`,
      )
    }
  }
  return list.length ? list : fallback
}

function fileList(raw: string, input: 'files' | 'sbom'): string[] {
  const list = splitList(raw)
  for (const p of list) {
    if (p === '!' || p.startsWith('#')) {
      throw new InputError(
        input,
        `'${p}' is not a file pattern. Give paths or globs relative to the workspace, such as dist/*.whl or !dist/*.txt.`,
      )
    }
  }
  return list
}

function archiveMode(raw: string): SourceArchiveMode {
  const mode = raw.trim().toLowerCase() || 'none'
  if (mode === 'none' || mode === 'git' || mode === 'github') return mode
  throw new InputError(
    'source-archive',
    `must be none, git (git archive of the tag from the checkout) or github (GitHub's generated archives), not '${raw.trim()}'.`,
  )
}

function manifestName(raw: string): string | undefined {
  const name = raw.trim()
  if (!name) return undefined
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name) || name.length > 200) {
    throw new InputError(
      'checksums',
      `'${name}' is not a usable asset name. Give a plain file name of letters, digits and . _ + -, such as SHA256SUMS.`,
    )
  }
  if (isManagedName(name)) {
    throw new InputError(
      'checksums',
      `'${name}' is a bundle name (or a provenance's); choose a name such as SHA256SUMS.`,
    )
  }
  return name
}

function suffix(raw: string): BundleSuffix {
  const value = raw.trim() || '.sigstore.json'
  if (value === '.sigstore.json' || value === '.sigstore') return value
  throw new InputError(
    'bundle-suffix',
    `must be .sigstore.json (the default) or .sigstore, not '${value}'.`,
  )
}
