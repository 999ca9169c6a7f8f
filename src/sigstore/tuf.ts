// The TUF client: fetches targets (trusted_root.json, signing configs) from an
// instance's TUF repository, each piece of metadata checked against the
// signed chain of roots, and each target against the signed targets metadata.
// Loaded lazily: runs given a trusted root and services of their own never need it.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { initTUF } from '@sigstore/tuf'
import seeds from '@sigstore/tuf/seeds.json' with { type: 'json' }
import { retryAfterMs, TransientHttpError, withRetry } from '../util/retry.js'
import { scaled } from '../util/wait.js'

/** @sigstore/tuf's defaults are 5 s and two retries; a slow CDN edge gets a little more room. */
const TUF_TIMEOUT_MS = 10_000
const TUF_RETRIES = 2

export interface TufRepository {
  mirror: string
  /** The repository's initial root.json. Unset: the root @sigstore/tuf ships for that mirror. */
  rootPath?: string
  /**
   * Take the initial root from the mirror itself (trust on first use), as for
   * Sigstore's staging instance, for which no root ships.
   */
  rootFromMirror?: boolean
}

/** Returns the text of the repository's trusted_root.json target. */
export async function fetchTrustedRootJson(repo: TufRepository, cacheDir: string): Promise<string> {
  const [text] = await fetchTargets(repo, cacheDir, ['trusted_root.json'])
  if (text === undefined) throw new Error(`${repo.mirror} has no trusted_root.json target`)
  return text
}

/**
 * The texts of the named targets, through one client (one walk of the
 * metadata). A target the repository's signed metadata does not list comes
 * back undefined; any other failure throws.
 */
export async function fetchTargets(
  repo: TufRepository,
  cacheDir: string,
  names: string[],
): Promise<(string | undefined)[]> {
  const cachePath = path.join(cacheDir, 'tuf')
  await mkdir(cachePath, { recursive: true })
  const rootPath =
    repo.rootPath ?? (repo.rootFromMirror ? await firstRoot(repo.mirror, cachePath) : undefined)
  const client = await initTUF({
    mirrorURL: repo.mirror,
    cachePath,
    rootPath,
    timeout: TUF_TIMEOUT_MS,
    // promise-retry's own back-off (1 s, doubling), taken through the wait scale.
    retry: { retries: TUF_RETRIES, minTimeout: scaled(1_000) },
  })
  const texts: (string | undefined)[] = []
  for (const name of names) {
    try {
      texts.push(await client.getTarget(name))
    } catch (error) {
      if ((error as { code?: string }).code !== 'TUF_FIND_TARGET_ERROR') throw error
      texts.push(undefined)
    }
  }
  return texts
}

/**
 * The trusted_root.json that @sigstore/tuf ships for a mirror (only
 * Sigstore's production repository has one): the offline fallback for a
 * consumer whose machine cannot reach the mirror. It is as current as the
 * installed package.
 */
export function shippedTrustedRootJson(mirror: string): string | undefined {
  const seed = (seeds as Record<string, { targets?: Record<string, string> }>)[mirror]
  const target = seed?.targets?.['trusted_root.json']
  return target ? Buffer.from(target, 'base64').toString('utf8') : undefined
}

/**
 * Version 1 of the repository's root, which every TUF repository keeps
 * (TUF names roots N.root.json). The client then walks the versions after
 * it, and accepts each only when the one before it signed it.
 */
async function firstRoot(mirror: string, cachePath: string): Promise<string> {
  const url = `${mirror}/1.root.json`
  const body = await withRetry(
    async () => {
      let response: Response
      try {
        response = await fetch(url, { signal: AbortSignal.timeout(TUF_TIMEOUT_MS) })
      } catch (error) {
        throw new TransientHttpError(`GET ${url} failed`, undefined, undefined, { cause: error })
      }
      if (response.status === 429 || response.status >= 500) {
        throw new TransientHttpError(
          `GET ${url} answered ${response.status}`,
          response.status,
          retryAfterMs(response.headers),
        )
      }
      // Another 4xx will not pass on a retry.
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`)
      return Buffer.from(await response.arrayBuffer())
    },
    {
      attempts: TUF_RETRIES + 1,
      baseDelayMs: 1000,
      retryable: (error) => error instanceof TransientHttpError,
    },
  )
  const file = path.join(cachePath, initialRootName(mirror))
  await writeFile(file, body)
  return file
}

/** The file the mirror's first root is kept in: a valid name on every runner's OS (a port's `:` is not, on Windows). */
export function initialRootName(mirror: string): string {
  return `initial-root-${new URL(mirror).host.replace(/[^\w.-]/g, '_')}.json`
}
