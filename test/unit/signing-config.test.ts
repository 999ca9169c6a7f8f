// Choosing services from a signing config: validity windows, API versions,
// operators and selectors, and the refusals when nothing fits.
import { describe, expect, it } from 'vitest'
import { chooseServices, parseSigningConfig } from '../../src/sigstore/signing-config.js'
import { type ServiceEntry, signingConfigJson } from '../stack/sigstore/signing-config.js'

const NOW = new Date('2026-06-01T00:00:00Z')
const refuse = (problem: string) => new Error(problem)
const CA = [{ url: 'https://fulcio.example', majorApiVersion: 1, start: '2025-01-01T00:00:00Z' }]
const TSA = [
  {
    url: 'https://tsa.example/api/v1/timestamp',
    majorApiVersion: 1,
    start: '2025-01-01T00:00:00Z',
  },
]

function choose(
  tlogs: ServiceEntry[],
  options: {
    rekorVersion?: 'auto' | 1 | 2
    timestamp?: 'auto' | boolean
    tsas?: ServiceEntry[]
    selector?: 'ANY' | 'ALL' | 'EXACT'
    count?: number
  } = {},
) {
  const config = parseSigningConfig(
    signingConfigJson({
      ca: CA,
      tlogs,
      tsas: options.tsas ?? TSA,
      tlogSelector: options.selector,
      tlogCount: options.count,
    }),
    refuse,
  )
  return chooseServices(
    config,
    { rekorVersion: options.rekorVersion ?? 'auto', timestamp: options.timestamp ?? 'auto' },
    'test config',
    refuse,
    NOW,
  )
}

const v1 = (url: string, start = '2025-01-01T00:00:00Z', extra: Partial<ServiceEntry> = {}) => ({
  url,
  majorApiVersion: 1,
  start,
  ...extra,
})
const v2 = (url: string, start = '2025-10-01T00:00:00Z', extra: Partial<ServiceEntry> = {}) => ({
  url,
  majorApiVersion: 2,
  start,
  ...extra,
})

describe('chooseServices', () => {
  it('takes production as it is today: Fulcio, Rekor v1 and the timestamp authority', () => {
    expect(choose([v1('https://rekor.example')])).toEqual({
      fulcioUrl: 'https://fulcio.example',
      logs: [{ url: 'https://rekor.example', version: 1 }],
      tsaUrls: ['https://tsa.example/api/v1/timestamp'],
      source: 'test config',
    })
  })

  it('auto takes the highest API version valid now; 1 and 2 pick that version', () => {
    const both = [v1('https://rekor.example'), v2('https://log2025-1.rekor.example')]
    expect(choose(both).logs).toEqual([{ url: 'https://log2025-1.rekor.example', version: 2 }])
    expect(choose(both, { rekorVersion: 1 }).logs).toEqual([
      { url: 'https://rekor.example', version: 1 },
    ])
    expect(choose(both, { rekorVersion: 2 }).logs).toEqual([
      { url: 'https://log2025-1.rekor.example', version: 2 },
    ])
  })

  it('skips services outside their window, and a version this action does not speak', () => {
    const logs = [
      v2('https://future.example', '2027-01-01T00:00:00Z'),
      { url: 'https://v3.example', majorApiVersion: 3, start: '2025-01-01T00:00:00Z' },
      v1('https://old.example', '2024-01-01T00:00:00Z', { end: '2025-01-01T00:00:00Z' }),
      v1('https://current.example'),
    ]
    expect(choose(logs).logs).toEqual([{ url: 'https://current.example', version: 1 }])
  })

  it('takes the newest per operator, and as many operators as the selector asks for', () => {
    const logs = [
      v1('https://a-old.example', '2024-01-01T00:00:00Z', { operator: 'a' }),
      v1('https://a-new.example', '2025-06-01T00:00:00Z', { operator: 'a' }),
      v1('https://b.example', '2025-01-01T00:00:00Z', { operator: 'b' }),
    ]
    expect(choose(logs).logs.map((l) => l.url)).toEqual(['https://a-new.example'])
    expect(choose(logs, { selector: 'ALL' }).logs.map((l) => l.url)).toEqual([
      'https://a-new.example',
      'https://b.example',
    ])
    expect(choose(logs, { selector: 'EXACT', count: 2 }).logs).toHaveLength(2)
    expect(() => choose(logs, { selector: 'EXACT', count: 3 })).toThrow(
      'asks for exactly 3 transparency logs from different operators, but 2 are valid now',
    )
  })

  it('refuses a config with no log valid now, listing what it has', () => {
    expect(() =>
      choose([v1('https://old.example', '2024-01-01T00:00:00Z', { end: '2025-01-01T00:00:00Z' })]),
    ).toThrow(
      'lists no transparency log that is valid now and speaks Rekor v1 or v2 (https://old.example API v1, valid 2024-01-01T00:00:00.000Z to 2025-01-01T00:00:00.000Z)',
    )
    expect(() => choose([v1('https://rekor.example')], { rekorVersion: 2 })).toThrow(
      'speaks Rekor v2',
    )
  })

  it('timestamps: auto uses what is listed, false none, true requires one', () => {
    expect(choose([v1('https://r.example')], { timestamp: false }).tsaUrls).toEqual([])
    expect(choose([v1('https://r.example')], { tsas: [] }).tsaUrls).toEqual([])
    expect(() => choose([v1('https://r.example')], { tsas: [], timestamp: true })).toThrow(
      'lists no timestamp authority that is valid now',
    )
  })

  it('refuses Rekor v2 without a timestamp authority', () => {
    expect(() => choose([v2('https://r2.example')], { tsas: [] })).toThrow(
      'selects Rekor v2, whose entries carry no time',
    )
    expect(() => choose([v2('https://r2.example')], { timestamp: false })).toThrow(
      'timestamp: false cannot be used with it',
    )
  })

  it('refuses a service a token must not be sent to over plain http', () => {
    expect(() => choose([v1('http://rekor.example')])).toThrow('uses plain http')
  })
})

describe('chooseServices on configs written by other tools', () => {
  it('names what is missing when a list is empty and its selector unset', () => {
    const config = parseSigningConfig(
      JSON.stringify({
        mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
        caUrls: [
          {
            url: 'https://fulcio.example',
            majorApiVersion: 1,
            validFor: { start: '2025-01-01T00:00:00Z' },
          },
        ],
        rekorTlogConfig: {},
        tsaConfig: {},
      }),
      refuse,
    )
    expect(() =>
      chooseServices(
        config,
        { rekorVersion: 'auto', timestamp: 'auto' },
        'cosign config',
        refuse,
        NOW,
      ),
    ).toThrow(
      'lists no transparency log that is valid now and speaks Rekor v1 or v2 (it lists none)',
    )
  })
})

describe('parseSigningConfig', () => {
  it.each([
    ['not JSON', '{', 'is not JSON'],
    [
      'a v0.1 config',
      JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.1+json' }),
      'is not a v0.2 signing config',
    ],
    [
      'a trusted root',
      JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' }),
      'is not a v0.2 signing config',
    ],
  ])('refuses %s', (_, text, message) => {
    expect(() => parseSigningConfig(text, refuse)).toThrow(message)
  })
})
