// GitHub's release attestation, as the API gives it: the tag's git objects
// (an annotated tag's object and the commit it points at), and the
// attestations found by a digest that GitHub itself made (`initiator:
// github`), each bundle inline or behind `bundle_url` as snappy-compressed
// JSON on a storage host, fetched without the token. snappyjs decodes it:
// Node has no snappy of its own.
import snappy from 'snappyjs'
import { withRetry } from '../util/retry.js'
import { DownloadError, streamAsset } from './download.js'
import { failed, status } from './failures.js'
import type { Octokit } from './octokit.js'

type Repo = { owner: string; repo: string }

/** A bundle over this size is not an attestation. */
const MAX_BUNDLE_BYTES = 16 << 20

/** The tag's git object and the commit it points at; undefined when there is no such tag. */
export async function tagObjects(
  octokit: Octokit,
  repo: Repo,
  tag: string,
): Promise<{ sha: string; commit: string } | undefined> {
  let object: { sha: string; type: string }
  try {
    const { data } = await octokit.rest.git.getRef({ ...repo, ref: `tags/${tag}` })
    object = data.object
  } catch (error) {
    if (status(error) === 404) return undefined
    return failed(error, `read the tag ${tag}`)
  }
  if (object.type !== 'tag') return { sha: object.sha, commit: object.sha }
  try {
    const { data } = await octokit.rest.git.getTag({ ...repo, tag_sha: object.sha })
    return { sha: object.sha, commit: data.object.sha }
  } catch (error) {
    return failed(error, `read the tag object of ${tag}`)
  }
}

/** The bundles of the release attestations GitHub made that a digest finds (none: []). */
export async function releaseAttestations(
  octokit: Octokit,
  repo: Repo,
  digest: string,
): Promise<unknown[]> {
  let listed: { bundle?: unknown; bundle_url?: string | null; initiator?: string }[]
  try {
    const { data } = await octokit.request(
      'GET /repos/{owner}/{repo}/attestations/{subject_digest}',
      {
        ...repo,
        subject_digest: digest,
        predicate_type: 'release',
        per_page: 100,
      },
    )
    listed = (data as { attestations?: typeof listed }).attestations ?? []
  } catch (error) {
    if (status(error) === 404) return []
    return failed(error, `list the release attestations of ${digest}`)
  }
  const made = listed.filter((a) => a.initiator === 'github')
  return Promise.all(made.map((a) => (a.bundle ? a.bundle : fetchBundle(a.bundle_url ?? ''))))
}

async function fetchBundle(url: string): Promise<unknown> {
  if (!url) throw new Error('a release attestation came with neither a bundle nor a bundle_url')
  const packed = await withRetry(
    async () => {
      const chunks: Uint8Array[] = []
      let size = 0
      for await (const chunk of await streamAsset(
        { name: 'a release attestation', url },
        undefined,
      )) {
        size += chunk.length
        if (size > MAX_BUNDLE_BYTES) throw new DownloadError(`${url} is over 16 MiB`, false)
        chunks.push(chunk)
      }
      return Buffer.concat(chunks)
    },
    {
      attempts: 4,
      baseDelayMs: 1000,
      retryable: (error) => error instanceof DownloadError && error.retryable,
    },
  )
  try {
    return JSON.parse(Buffer.from(snappy.uncompress(packed, MAX_BUNDLE_BYTES)).toString('utf8'))
  } catch (error) {
    throw new Error(
      `the release attestation at ${new URL(url).host} is not snappy-compressed JSON`,
      {
        cause: error,
      },
    )
  }
}
