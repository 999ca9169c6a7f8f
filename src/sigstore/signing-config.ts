// Chooses the services to sign with from a signing config
// (signing_config.v0.2.json): one certificate authority, the transparency
// logs and the timestamp authorities, by the rules the format sets out. Only
// services within their validity window now, and of an API version this
// action speaks, are candidates; of those, only the highest API version; per
// operator, the newest; and as many as the config's selector asks for.
//
// @sigstore/sign has a selection of its own, but only inside
// bundleBuilderFromSigningConfig, which this action does not use (it signs
// each digest itself): it also takes a service whose window has not started,
// mixes API versions, and ignores selectors other than ANY.
import {
  type Service,
  type ServiceConfiguration,
  ServiceSelector,
  SigningConfig,
} from '@sigstore/protobuf-specs'
import { messageOf } from '../errors.js'
import { serviceUrlProblem } from '../util/service-url.js'

export const SIGNING_CONFIG_MEDIA_TYPE = 'application/vnd.dev.sigstore.signingconfig.v0.2+json'

export type RekorVersion = 1 | 2

/** Which log version to use: what the signing config selects, or a version the user named. */
export type RekorChoice = 'auto' | RekorVersion

/** Whether to timestamp: when the instance offers it, never, or always (fail without one). */
export type TimestampChoice = 'auto' | boolean

export interface LogService {
  url: string
  version: RekorVersion
}

/** The services a run signs with, and where they were named. */
export interface Services {
  fulcioUrl: string
  logs: LogService[]
  /** Full URLs of timestamp authorities; empty when nothing is timestamped. */
  tsaUrls: string[]
  /** Where these came from, for the log and the step summary. */
  source: string
}

/** The API versions this action speaks, per kind of service. */
const SPOKEN = { ca: [1], tlog: [1, 2], tsa: [1] }

/** Parses a signing config. `refuse(problem)` makes the error to throw. */
export function parseSigningConfig(
  text: string,
  refuse: (problem: string) => Error,
): SigningConfig {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw refuse(`is not JSON: ${messageOf(error)}`)
  }
  const mediaType = (json as { mediaType?: unknown } | null)?.mediaType
  if (mediaType !== SIGNING_CONFIG_MEDIA_TYPE) {
    throw refuse(
      `is not a v0.2 signing config: its mediaType is ${JSON.stringify(mediaType)}, not ${SIGNING_CONFIG_MEDIA_TYPE}.`,
    )
  }
  try {
    return SigningConfig.fromJSON(json)
  } catch (error) {
    throw refuse(`is not a signing config: ${messageOf(error)}`)
  }
}

/**
 * The services to use. `refuse(problem)` makes the error for a config that
 * offers nothing usable; the problem names what is missing and what is there.
 */
export function chooseServices(
  config: SigningConfig,
  choice: { rekorVersion: RekorChoice; timestamp: TimestampChoice },
  source: string,
  refuse: (problem: string) => Error,
  now = new Date(),
): Services {
  const [ca] = candidates(config.caUrls, SPOKEN.ca, now)
  if (!ca) {
    throw refuse(
      `lists no certificate authority that is valid now and speaks API v1 (${listed(config.caUrls)}).`,
    )
  }

  const versions = choice.rekorVersion === 'auto' ? SPOKEN.tlog : [choice.rekorVersion]
  const logs = select(
    candidates(config.rekorTlogUrls, versions, now),
    config.rekorTlogConfig,
    'transparency logs',
    refuse,
  )
  if (logs.length === 0) {
    const wanted = versions.map((v) => `v${v}`).join(' or ')
    throw refuse(
      `lists no transparency log that is valid now and speaks Rekor ${wanted} (${listed(config.rekorTlogUrls)}).`,
    )
  }
  const logVersion = logs[0]?.majorApiVersion as RekorVersion

  const tsas =
    choice.timestamp === false
      ? []
      : select(
          candidates(config.tsaUrls, SPOKEN.tsa, now),
          config.tsaConfig,
          'timestamp authorities',
          refuse,
        )
  if (tsas.length === 0 && logVersion === 2) {
    throw refuse(
      choice.timestamp === false
        ? 'selects Rekor v2, whose entries carry no time, so timestamp: false cannot be used with it. ' +
            'Remove timestamp: false, or choose rekor-version: 1.'
        : `selects Rekor v2, whose entries carry no time, but lists no timestamp authority that is valid now (${listed(config.tsaUrls)}).`,
    )
  }
  if (tsas.length === 0 && choice.timestamp === true) {
    throw refuse(
      `lists no timestamp authority that is valid now (${listed(config.tsaUrls)}), and timestamp is true. ` +
        'Give tsa-url with fulcio-url and rekor-url, or set timestamp: auto.',
    )
  }
  for (const s of [ca, ...logs, ...tsas]) {
    const problem = serviceUrlProblem(s.url)
    if (problem) throw refuse(`names a service that cannot be used: ${problem}`)
  }
  return {
    fulcioUrl: trimSlash(ca.url),
    logs: logs.map((s) => ({ url: trimSlash(s.url), version: s.majorApiVersion as RekorVersion })),
    tsaUrls: tsas.map((s) => s.url),
    source,
  }
}

/**
 * Services valid at `now` in an API version of `versions`, of the highest
 * such version only, newest validity start first.
 */
function candidates(services: Service[], versions: number[], now: Date): Service[] {
  const valid = services.filter((s) => {
    const start = s.validFor?.start
    const end = s.validFor?.end
    return (
      versions.includes(s.majorApiVersion) &&
      start !== undefined &&
      start <= now &&
      (end === undefined || now <= end)
    )
  })
  const highest = Math.max(...valid.map((s) => s.majorApiVersion))
  return valid
    .filter((s) => s.majorApiVersion === highest)
    .sort((a, b) => (b.validFor?.start?.getTime() ?? 0) - (a.validFor?.start?.getTime() ?? 0))
}

/** At most one service per operator (the newest), as many as the selector asks for. */
function select(
  sorted: Service[],
  config: ServiceConfiguration | undefined,
  what: string,
  refuse: (problem: string) => Error,
): Service[] {
  // Nothing to choose from: the caller says what is missing (a config may
  // leave the selector of an empty list unset, as cosign's do).
  if (sorted.length === 0) return []
  const perOperator = new Map<string, Service>()
  for (const s of sorted) if (!perOperator.has(s.operator)) perOperator.set(s.operator, s)
  const choices = [...perOperator.values()]
  // A config that leaves the selector out asks for one, as sigstore-js reads it.
  const selector = config?.selector ?? ServiceSelector.ANY
  switch (selector) {
    case ServiceSelector.ANY:
      return choices.slice(0, 1)
    case ServiceSelector.ALL:
      return choices
    case ServiceSelector.EXACT: {
      const count = config?.count ?? 0
      if (count < 1 || choices.length < count) {
        throw refuse(
          `asks for exactly ${count} ${what} from different operators, but ${choices.length} are valid now.`,
        )
      }
      return choices.slice(0, count)
    }
    default:
      throw refuse(`gives no selector for its ${what}.`)
  }
}

function listed(services: Service[]): string {
  if (services.length === 0) return 'it lists none'
  return services
    .map((s) => {
      const start = s.validFor?.start?.toISOString() ?? 'no start'
      const end = s.validFor?.end?.toISOString() ?? 'no end'
      return `${s.url} API v${s.majorApiVersion}, valid ${start} to ${end}`
    })
    .join('; ')
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

/** One line per service, for the log and the step summary. */
export function describeServices(services: Services): string[] {
  return [
    `Services: from ${services.source}`,
    `Certificate authority: ${services.fulcioUrl}`,
    ...services.logs.map((log) => `Transparency log: ${log.url} (Rekor v${log.version})`),
    ...(services.tsaUrls.length > 0
      ? services.tsaUrls.map((url) => `Timestamp authority: ${url}`)
      : ['Timestamp authority: none (signatures are timed by the log alone)']),
  ]
}
