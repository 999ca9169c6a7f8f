// Parses the action's inputs into a typed object. Pure: it reads only the
// getter it is given, so tests pass a plain map.
import { isManagedName } from './bundle-names.js'
import { InputError } from './errors.js'
import { INSTANCES, instanceOfMirror, type KnownInstance } from './sigstore/instances.js'
import { splitList } from './util/patterns.js'

export type BundleSuffix = '.sigstore.json' | '.sigstore'

/**
 * Where the trusted root comes from: a file, or a TUF repository. With
 * `rootPath` unset, the TUF client starts from the known instance's initial
 * root (shipped with @sigstore/tuf, or taken from the mirror for staging).
 */
export type TrustSource =
  | { kind: 'file'; path: string }
  | { kind: 'tuf'; mirror: string; rootPath?: string }

export interface SigstoreInputs {
  instance: KnownInstance | 'custom'
  fulcioUrl: string
  rekorUrl: string
  tsaUrl?: string
  trust: TrustSource
}

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
  /** File name of the checksums manifest to write, sign and attach. */
  checksums?: string
  bundleSuffix: BundleSuffix
  overwrite: boolean
  dryRun: boolean
  publish: boolean
  sigstore: SigstoreInputs
}

type Getter = (name: string) => string

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
  const filePatterns = fileList(get('files'))
  const sourceArchive = archiveMode(get('source-archive'))
  // With files or a source archive to sign, release assets are signed only
  // when asked for: a build-matrix job signs its own outputs, not its
  // neighbours' uploads that happen to be on the draft already.
  const ownOnly = filePatterns.length > 0 || sourceArchive !== 'none'
  const assetPatterns = patterns(get('assets'), ownOnly ? [] : ['*'])
  return {
    token,
    tag,
    assetPatterns,
    filePatterns,
    sourceArchive,
    checksums: manifestName(get('checksums')),
    bundleSuffix: suffix(get('bundle-suffix')),
    overwrite: bool(get, 'overwrite'),
    dryRun,
    publish,
    sigstore: sigstoreInputs(get),
  }
}

function bool(get: Getter, name: string): boolean {
  const raw = get(name).trim().toLowerCase()
  if (raw === '' || raw === 'false') return false
  if (raw === 'true') return true
  throw new InputError(name, `must be true or false, not '${get(name).trim()}'.`)
}

function patterns(raw: string, fallback: string[]): string[] {
  const list = splitList(raw)
  for (const p of list) {
    if (p === '!' || p.includes('/')) {
      throw new InputError(
        'assets',
        `'${p}' is not an asset-name pattern. Use names with * and ?, such as *.tar.gz or !*.txt.`,
      )
    }
  }
  return list.length ? list : fallback
}

function fileList(raw: string): string[] {
  const list = splitList(raw)
  for (const p of list) {
    if (p === '!' || p.startsWith('#')) {
      throw new InputError(
        'files',
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
      `'${name}' is a bundle name; choose a name such as SHA256SUMS.`,
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

/** Plain http is for services on this machine only: a token must never cross a network in clear. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

function url(get: Getter, name: string): string | undefined {
  const raw = get(name).trim()
  if (!raw) return undefined
  let parsed: URL
  try {
    parsed = new URL(raw)
  } catch {
    throw new InputError(name, `'${raw}' is not a URL. Give an https:// URL.`)
  }
  if (parsed.protocol === 'http:' && !LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw new InputError(
      name,
      `'${raw}' uses plain http, which is allowed only for services on this machine (localhost). Use https://.`,
    )
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InputError(name, `'${raw}' is not an https:// URL.`)
  }
  return raw.replace(/\/+$/, '')
}

function sigstoreInputs(get: Getter): SigstoreInputs {
  const staging = bool(get, 'staging')
  const fulcioUrl = url(get, 'fulcio-url')
  const rekorUrl = url(get, 'rekor-url')
  const tsaUrl = url(get, 'tsa-url')
  const custom = Boolean(fulcioUrl || rekorUrl)
  if (custom && staging) {
    throw new InputError(
      'staging',
      'cannot be combined with fulcio-url or rekor-url; choose one Sigstore instance.',
    )
  }
  const known = INSTANCES[staging ? 'staging' : 'public-good']
  return {
    instance: custom ? 'custom' : staging ? 'staging' : 'public-good',
    fulcioUrl: fulcioUrl ?? known.fulcioUrl,
    rekorUrl: rekorUrl ?? known.rekorUrl,
    tsaUrl,
    trust: trustSource(get, custom, known.tufMirror),
  }
}

function trustSource(get: Getter, custom: boolean, defaultMirror: string): TrustSource {
  const trustedRoot = get('trusted-root').trim()
  const mirror = url(get, 'tuf-mirror')
  const rootPath = get('tuf-root').trim() || undefined
  if (trustedRoot && mirror) {
    throw new InputError(
      'tuf-mirror',
      'cannot be combined with trusted-root: give either a trusted_root.json file or the TUF repository that serves it.',
    )
  }
  if (rootPath && !mirror) {
    throw new InputError(
      'tuf-root',
      'needs tuf-mirror: it is the initial root.json of the TUF repository that tuf-mirror names.',
    )
  }
  if (trustedRoot) return { kind: 'file', path: trustedRoot }
  if (mirror) {
    if (!rootPath && !instanceOfMirror(mirror)) {
      throw new InputError(
        'tuf-root',
        `is required with tuf-mirror ${mirror}: give the path to that repository's initial root.json.`,
      )
    }
    return { kind: 'tuf', mirror, rootPath }
  }
  if (custom) {
    throw new InputError(
      'trusted-root',
      "is required with fulcio-url or rekor-url: give the path to that instance's trusted_root.json, " +
        'or its TUF repository with tuf-mirror and tuf-root.',
    )
  }
  return { kind: 'tuf', mirror: defaultMirror }
}
