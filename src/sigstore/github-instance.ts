// GitHub's own Sigstore instance, which signs the release attestation of an
// immutable release when it is published (not public-good): a leaf for
// https://<trust domain>.releases.github.com, one RFC 3161 timestamp, no log
// entry. Its trusted root is the trusted_root.json target of GitHub's TUF
// repository, bootstrapped from github-tuf-root.json beside this file:
// version 1 of that repository's root as GitHub publishes it (the same file
// cli/cli embeds for `gh attestation` and `gh release verify`; every later
// root must be signed by the one before). Or a file: GitHub's trusted root,
// or what `gh attestation trusted-root` prints (one root a line).
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { TrustMaterial } from '@sigstore/verify'
import { messageOf, UserError } from '../errors.js'
import initialRoot from './github-tuf-root.json' with { type: 'json' }
import { toMaterial } from './trust.js'

export const GITHUB_TUF_MIRROR = 'https://tuf-repo.github.com'

/** The identity GitHub signs release attestations with; `dotcom` on github.com. */
export function releaseAttestationSan(trustDomain = 'dotcom'): string {
  return `https://${trustDomain}.releases.github.com`
}

/** GitHub's trusted root, from `file` or from its TUF repository; refused unless it can check a timestamped bundle. */
export async function loadGitHubTrust(
  file: string | undefined,
  cacheDir: string,
): Promise<TrustMaterial> {
  const refuse = (where: string) => (problem: string) =>
    new UserError(`GitHub's trusted root from ${where} ${problem}`)
  if (file) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      throw new UserError(`Could not read GitHub's trusted root ${file}: ${messageOf(error)}`)
    }
    return toMaterial(githubRootOf(text), refuse(file), undefined, 'timestamp')
  }
  const dir = path.join(cacheDir, 'github-tuf')
  await mkdir(dir, { recursive: true })
  const rootPath = path.join(dir, 'initial-root.json')
  await writeFile(rootPath, JSON.stringify(initialRoot))
  try {
    // A chunk of its own, loaded only on this path, as for Sigstore's TUF repository.
    const { fetchTrustedRootJson } = await import('./tuf.js')
    const text = await fetchTrustedRootJson({ mirror: GITHUB_TUF_MIRROR, rootPath }, dir)
    return toMaterial(text, refuse(GITHUB_TUF_MIRROR), undefined, 'timestamp')
  } catch (error) {
    if (error instanceof UserError) throw error
    throw new UserError(
      `Could not fetch GitHub's trusted root from ${GITHUB_TUF_MIRROR}: ${messageOf(error)}. ` +
        'Offline, give it as a file (gh attestation trusted-root writes one).',
      { cause: error },
    )
  }
}

/** A trusted root, or from `gh attestation trusted-root`'s lines the one of GitHub's own instance. */
function githubRootOf(text: string): string {
  try {
    JSON.parse(text)
    return text
  } catch {
    const lines = text.split('\n').filter((line) => line.trim() !== '')
    const github = lines.find(
      (line) => /"GitHub, Inc\."/.test(line) && /timestampAuthorities/.test(line),
    )
    return github ?? text
  }
}
