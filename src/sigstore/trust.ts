// The trusted root that bundles are verified against: a file the user gives,
// or the trusted_root.json that the instance's TUF repository distributes.
// Checked to hold what signing needs before anything is signed.
import type { KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { info } from '@actions/core'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { type TrustMaterial, toTrustMaterial } from '@sigstore/verify'
import { describeError, InputError, messageOf, UserError } from '../errors.js'
import type { TrustSource } from '../inputs.js'
import { instanceOfMirror } from './instances.js'

export async function loadTrustMaterial(
  source: TrustSource,
  cacheDir: string,
): Promise<TrustMaterial> {
  if (source.kind === 'file') {
    let text: string
    try {
      text = await readFile(source.path, 'utf8')
    } catch (error) {
      throw new InputError('trusted-root', `could not read ${source.path}: ${messageOf(error)}`)
    }
    return toMaterial(
      text,
      (problem) => new InputError('trusted-root', `${source.path} ${problem}`),
    )
  }
  return toMaterial(
    await fromTuf(source, cacheDir),
    (problem) => new UserError(`The trusted_root.json served by ${source.mirror} ${problem}`),
  )
}

async function fromTuf(
  source: Extract<TrustSource, { kind: 'tuf' }>,
  cacheDir: string,
): Promise<string> {
  const rootFromMirror =
    !source.rootPath && instanceOfMirror(source.mirror)?.initialRoot === 'from-mirror'
  info(`Trusted root: from the TUF repository ${source.mirror}`)
  if (rootFromMirror) {
    info(
      `${source.mirror} belongs to a test instance, for which no TUF root ships: its first root ` +
        'is taken from the mirror itself, and every later one must be signed by the one before. ' +
        'Give tuf-mirror and tuf-root to pin it.',
    )
  }
  try {
    // A chunk of its own, loaded only on this path. tuf.ts is our module,
    // so its names survive bundling whatever form @sigstore/tuf ships in.
    const { fetchTrustedRootJson } = await import('./tuf.js')
    return await fetchTrustedRootJson(
      { mirror: source.mirror, rootPath: source.rootPath, rootFromMirror },
      cacheDir,
    )
  } catch (error) {
    throw new UserError(
      `Could not fetch the trusted root from the TUF repository at ${source.mirror}: ` +
        `${describeError(error)
          .split('\n')
          .map((line) => line.replace(/\.$/, ''))
          .join('; ')}. ` +
        'Nothing was signed. For an air-gapped or private Sigstore instance, give its trusted_root.json ' +
        'with the trusted-root input.',
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
): TrustMaterial {
  let root: TrustedRoot
  try {
    root = TrustedRoot.fromJSON(JSON.parse(text))
  } catch (error) {
    throw refuse(`is not a Sigstore trusted root: ${messageOf(error)}`)
  }
  const missing = [
    root.certificateAuthorities.length === 0 && 'certificate authority',
    root.tlogs.length === 0 && 'transparency log',
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
