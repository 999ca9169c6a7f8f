// GitHub's release and asset JSON, read into the adapter's own types: each
// answer is checked for the fields the action relies on, so a malformed one
// fails with what is missing instead of turning into an empty value.
import type { getOctokit } from '@actions/github'
import type { Asset, Release } from './types.js'

type Octokit = ReturnType<typeof getOctokit>
type ReleaseData = Awaited<ReturnType<Octokit['rest']['repos']['getRelease']>>['data']
export type AssetData = ReleaseData['assets'][number]

export function toRelease(data: ReleaseData): Release {
  expectShape('release', data, { id: 'number', tag_name: 'string', draft: 'boolean' })
  expectShape('release', data, { upload_url: 'string', html_url: 'string' })
  return {
    id: data.id,
    tagName: data.tag_name,
    name: data.name,
    draft: data.draft,
    prerelease: data.prerelease,
    immutable: (data as { immutable?: boolean }).immutable === true,
    htmlUrl: data.html_url,
    uploadUrl: data.upload_url,
  }
}

export function toAsset(data: AssetData, viaWeb = false): Asset {
  expectShape('asset', data, { id: 'number', name: 'string', size: 'number', url: 'string' })
  return {
    id: data.id,
    name: data.name,
    size: data.size,
    digest: (data as { digest?: string | null }).digest ?? null,
    url: data.url,
    state: data.state,
    ...(typeof data.created_at === 'string' ? { createdAt: data.created_at } : {}),
    ...(typeof data.content_type === 'string' ? { contentType: data.content_type } : {}),
    ...(viaWeb && data.browser_download_url ? { webUrl: data.browser_download_url } : {}),
  }
}

/** A well-formed JSON answer can still lack what a release or asset must have. */
function expectShape(what: string, data: unknown, fields: Record<string, string>): void {
  const record = (data ?? {}) as Record<string, unknown>
  for (const [field, type] of Object.entries(fields)) {
    if (typeof record[field] !== type) {
      throw new Error(
        `GitHub answered with a ${what} that has no ${field} (${JSON.stringify(data)?.slice(0, 120)})`,
      )
    }
  }
}
