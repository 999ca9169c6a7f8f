// The trusted root the command line verifies against: a file, or the one
// Sigstore's TUF repository distributes (production, or staging).
import type { KeyObject } from 'node:crypto'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describeError, UserError } from '../../errors.js'
import { INSTANCES } from '../../sigstore/instances.js'
import { toMaterial } from '../../sigstore/trust.js'
import { readText } from './files.js'

/** What --trusted-root defaults to, as help shows it. */
export const TRUSTED_ROOT_DEFAULT =
  "Sigstore's public-good trusted root, from its TUF repository (--staging: the staging instance's); offline, the one @sigstore/tuf ships"

/**
 * Offline, production falls back to the trusted root that ships with
 * @sigstore/tuf. A `key` (for bundles signed with a managed key) is trusted
 * beside the root's own authorities.
 */
export async function trustFor(trustedRoot: string | undefined, staging: boolean, key?: KeyObject) {
  const keys = key ? [key] : undefined
  if (trustedRoot) {
    const text = readText(trustedRoot, '--trusted-root')
    return toMaterial(
      text,
      (problem) => new UserError(`--trusted-root: ${trustedRoot} ${problem}`),
      keys,
    )
  }
  const instance = INSTANCES[staging ? 'staging' : 'public-good']
  const { fetchTrustedRootJson, shippedTrustedRootJson } = await import('../../sigstore/tuf.js')
  const repo = {
    mirror: instance.tufMirror,
    rootFromMirror: instance.initialRoot === 'from-mirror',
  }
  const cacheDir = path.join(tmpdir(), 'sign-release-cli', staging ? 'staging' : 'production')
  let text: string
  try {
    text = await fetchTrustedRootJson(repo, cacheDir)
  } catch (error) {
    const shipped = shippedTrustedRootJson(instance.tufMirror)
    if (!shipped) {
      throw new UserError(
        `could not fetch the trusted root from ${instance.tufMirror}: ${describeError(error).split('\n')[0]}`,
      )
    }
    console.error(
      `warning: ${instance.tufMirror} could not be reached; using the trusted root that ships with @sigstore/tuf`,
    )
    text = shipped
  }
  const refuse = (problem: string) =>
    new UserError(`the trusted root from ${instance.tufMirror} ${problem}`)
  return toMaterial(text, refuse, keys)
}
