// Writes signing configs (signing_config.v0.2.json) that name the stack's
// services, in the format Sigstore distributes beside its trusted root.
export interface ServiceEntry {
  url: string
  majorApiVersion: number
  /** ISO times; default: valid from a day ago, with no end. */
  start?: string
  end?: string
  operator?: string
}

export interface SigningConfigParts {
  ca: ServiceEntry[]
  tlogs: ServiceEntry[]
  tsas: ServiceEntry[]
  tlogSelector?: 'ANY' | 'ALL' | 'EXACT'
  tlogCount?: number
}

export const SIGNING_CONFIG_MEDIA_TYPE = 'application/vnd.dev.sigstore.signingconfig.v0.2+json'

export function signingConfigJson(parts: SigningConfigParts): string {
  const dayAgo = new Date(Date.now() - 86_400_000).toISOString()
  const service = (s: ServiceEntry) => ({
    url: s.url,
    majorApiVersion: s.majorApiVersion,
    validFor: { start: s.start ?? dayAgo, ...(s.end ? { end: s.end } : {}) },
    operator: s.operator ?? 'stack.test',
  })
  return JSON.stringify(
    {
      mediaType: SIGNING_CONFIG_MEDIA_TYPE,
      caUrls: parts.ca.map(service),
      oidcUrls: [],
      rekorTlogUrls: parts.tlogs.map(service),
      rekorTlogConfig: {
        selector: parts.tlogSelector ?? 'ANY',
        ...(parts.tlogCount ? { count: parts.tlogCount } : {}),
      },
      tsaUrls: parts.tsas.map(service),
      tsaConfig: { selector: 'ANY' },
    },
    null,
    2,
  )
}
