// The trusted root that bundles are verified against: a file the user gives,
// or the trusted_root.json that the instance's TUF repository distributes.
// Checked to hold what signing needs before anything is signed. Also the one
// place TUF targets are fetched from, for the signing config too.
import type { KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { info } from '@actions/core'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { type TrustMaterial, toTrustMaterial } from '@sigstore/verify'
import { describeError, InputError, messageOf, UserError } from '../errors.js'
import { instanceOfMirror, TUF_TARGETS } from './instances.js'
import type { TrustSource } from './options.js'

export async function loadTrustMaterial(
  source: TrustSource,
  cacheDir: string,
): Promise<TrustMaterial> {
  if (source.kind === 'file') return materialFromFile(source.path)
  const [text] = await fetchFromTuf(source, cacheDir, [TUF_TARGETS.trustedRoot])
  return materialFromTuf(text, source.mirror)
}

async function materialFromFile(file: string): Promise<TrustMaterial> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new InputError('trusted-root', `could not read ${file}: ${messageOf(error)}`)
  }
  return toMaterial(text, (problem) => new InputError('trusted-root', `${file} ${problem}`))
}

export function materialFromTuf(text: string | undefined, mirror: string): TrustMaterial {
  if (text === undefined) {
    throw new UserError(
      `The TUF repository at ${mirror} distributes no ${TUF_TARGETS.trustedRoot}. ` +
        "Give the instance's trusted_root.json with the trusted-root input.",
    )
  }
  return toMaterial(
    text,
    (problem) => new UserError(`The ${TUF_TARGETS.trustedRoot} served by ${mirror} ${problem}`),
  )
}

/**
 * Targets from a TUF repository, through one client; undefined for a target
 * the repository does not list. Any other failure is one UserError that
 * names the repository and says what to do.
 */
export async function fetchFromTuf(
  repo: { mirror: string; rootPath?: string },
  cacheDir: string,
  names: string[],
): Promise<(string | undefined)[]> {
  const rootFromMirror =
    !repo.rootPath && instanceOfMirror(repo.mirror)?.initialRoot === 'from-mirror'
  info(`TUF repository: ${repo.mirror} (${names.join(', ')})`)
  if (rootFromMirror) {
    info(
      `${repo.mirror} belongs to a test instance, for which no TUF root ships: its first root ` +
        'is taken from the mirror itself, and every later one must be signed by the one before. ' +
        'Give tuf-mirror and tuf-root to pin it.',
    )
  }
  try {
    // A chunk of its own, loaded only on this path. tuf.ts is our module,
    // so its names survive bundling whatever form @sigstore/tuf ships in.
    const { fetchTargets } = await import('./tuf.js')
    return await fetchTargets(
      { mirror: repo.mirror, rootPath: repo.rootPath, rootFromMirror },
      cacheDir,
      names,
    )
  } catch (error) {
    throw new UserError(
      `Could not fetch ${names.join(' and ')} from the TUF repository at ${repo.mirror}: ` +
        `${describeError(error)
          .split('\n')
          .map((line) => line.replace(/\.$/, ''))
          .join('; ')}. ` +
        'Nothing was signed. For an air-gapped or private Sigstore instance, give its trusted_root.json ' +
        'with the trusted-root input, and its services with signing-config or fulcio-url and rekor-url.',
    )
  }
}

/**
 * Refuses a trusted root that could not check a bundle, before any entry is
 * written to a log. `keys` adds public keys (for bundles signed with a key
 * rather than a certificate), whatever hint a bundle names them by.
 */
export function toMaterial(
  text: string,
  refuse: (problem: string) => Error,
  keys?: KeyObject[],
  /** What every bundle checked against it proves its time with: a log entry, or (GitHub's instance) a timestamp. */
  time: 'log' | 'timestamp' = 'log',
): TrustMaterial {
  let root: TrustedRoot
  try {
    root = TrustedRoot.fromJSON(JSON.parse(text))
  } catch (error) {
    throw refuse(`is not a Sigstore trusted root: ${messageOf(error)}`)
  }
  const missing = [
    root.certificateAuthorities.length === 0 && 'certificate authority',
    time === 'log' && root.tlogs.length === 0 && 'transparency log',
    time === 'timestamp' && root.timestampAuthorities.length === 0 && 'timestamp authority',
  ].filter(Boolean)
  if (missing.length > 0) {
    throw refuse(`has no ${missing.join(' and no ')}, so no bundle could be verified against it.`)
  }
  // An authority or key whose validity has no start would be trusted for any
  // time before its end; the trusted-root format requires a start.
  const unbounded = [
    ...root.certificateAuthorities.map(
      (ca, i) => !ca.validFor?.start && `certificateAuthorities[${i}]`,
    ),
    ...root.timestampAuthorities.map(
      (ta, i) => !ta.validFor?.start && `timestampAuthorities[${i}]`,
    ),
    ...root.tlogs.map((t, i) => !t.publicKey?.validFor?.start && `tlogs[${i}]`),
    ...root.ctlogs.map((t, i) => !t.publicKey?.validFor?.start && `ctlogs[${i}]`),
  ].filter(Boolean)
  if (unbounded.length > 0) {
    throw refuse(`is invalid: ${unbounded.join(', ')} has no validFor.start.`)
  }
  if (!keys?.length) return toTrustMaterial(root)
  const [key] = keys
  return toTrustMaterial(root, () => ({ publicKey: key as KeyObject, validFor: () => true }))
}
