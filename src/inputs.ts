// Parses the action's inputs into a typed object. Pure: it reads only the
// getter it is given, so tests pass a plain map.
import { InputError } from './errors.js'

export type BundleSuffix = '.sigstore.json' | '.sigstore'

export interface SigstoreInputs {
  /** Staging or a custom instance; undefined means Sigstore's public-good instance. */
  instance: 'public-good' | 'staging' | 'custom'
  fulcioUrl: string
  rekorUrl: string
  tsaUrl?: string
  trustedRootPath?: string
}

export interface RunInputs {
  token: string
  tag?: string
  assetPatterns: string[]
  bundleSuffix: BundleSuffix
  overwrite: boolean
  dryRun: boolean
  publish: boolean
  sigstore: SigstoreInputs
}

export const PUBLIC_GOOD = {
  fulcioUrl: 'https://fulcio.sigstore.dev',
  rekorUrl: 'https://rekor.sigstore.dev',
}
export const STAGING = {
  fulcioUrl: 'https://fulcio.sigstage.dev',
  rekorUrl: 'https://rekor.sigstage.dev',
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
  return {
    token,
    tag,
    assetPatterns: patterns(get('assets')),
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

function patterns(raw: string): string[] {
  const list = raw
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter(Boolean)
  for (const p of list) {
    if (p === '!' || p.includes('/')) {
      throw new InputError(
        'assets',
        `'${p}' is not an asset-name pattern. Use names with * and ?, such as *.tar.gz or !*.txt.`,
      )
    }
  }
  return list.length ? list : ['*']
}

function suffix(raw: string): BundleSuffix {
  const value = raw.trim() || '.sigstore.json'
  if (value === '.sigstore.json' || value === '.sigstore') return value
  throw new InputError(
    'bundle-suffix',
    `must be .sigstore.json (the default) or .sigstore, not '${value}'.`,
  )
}

function url(get: Getter, name: string): string | undefined {
  const raw = get(name).trim()
  if (!raw) return undefined
  try {
    const parsed = new URL(raw)
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error()
    return raw.replace(/\/+$/, '')
  } catch {
    throw new InputError(name, `'${raw}' is not an http(s) URL.`)
  }
}

function sigstoreInputs(get: Getter): SigstoreInputs {
  const staging = bool(get, 'staging')
  const fulcioUrl = url(get, 'fulcio-url')
  const rekorUrl = url(get, 'rekor-url')
  const tsaUrl = url(get, 'tsa-url')
  const trustedRootPath = get('trusted-root').trim() || undefined
  const custom = Boolean(fulcioUrl || rekorUrl)
  if (custom && staging) {
    throw new InputError(
      'staging',
      'cannot be combined with fulcio-url or rekor-url; choose one Sigstore instance.',
    )
  }
  if (custom && !trustedRootPath) {
    throw new InputError(
      'trusted-root',
      'is required with fulcio-url or rekor-url: give the path to the trusted_root.json of that instance.',
    )
  }
  const base = staging ? STAGING : PUBLIC_GOOD
  return {
    instance: custom ? 'custom' : staging ? 'staging' : 'public-good',
    fulcioUrl: fulcioUrl ?? base.fulcioUrl,
    rekorUrl: rekorUrl ?? base.rekorUrl,
    tsaUrl,
    trustedRootPath,
  }
}
