// Events are read from GitHub's real webhook payloads.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { readContext } from '../../src/signer/setup/context.js'
import type { RunInputs } from '../../src/signer/setup/inputs.js'
import { preflight } from '../../src/signer/setup/preflight.js'

const require = createRequire(import.meta.url)
const examples = require('@octokit/webhooks-examples') as {
  name: string
  examples: Record<string, unknown>[]
}[]
const releaseExamples = examples.find((e) => e.name === 'release')?.examples ?? []
const pushExamples = examples.find((e) => e.name === 'push')?.examples ?? []

const env = (eventName: string, ref = 'refs/heads/main') => ({
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
  GITHUB_EVENT_NAME: eventName,
  GITHUB_REF: ref,
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://oidc',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
})
const inputs = { tag: undefined } as unknown as RunInputs

describe('reading the run context', () => {
  it("falls back to the OS's temporary folder, not /tmp, without RUNNER_TEMP", () => {
    const saved = process.env.TMPDIR
    process.env.TMPDIR = '/var/tmp/runner-temp-fallback'
    try {
      expect(readContext(env('release'), {}).runnerTemp).toBe('/var/tmp/runner-temp-fallback')
    } finally {
      if (saved === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = saved
    }
  })

  it('takes the release from every release webhook example', () => {
    expect(releaseExamples.length).toBeGreaterThan(0)
    for (const payload of releaseExamples) {
      const release = payload.release as { id: number; tag_name: string }
      const ctx = readContext(env('release'), payload)
      expect(ctx.eventRelease).toEqual({ id: release.id, tag: release.tag_name })
      expect(preflight(inputs, ctx).target).toEqual({
        kind: 'id',
        id: release.id,
        tag: release.tag_name,
      })
    }
  })

  it('takes the tag of a tag push', () => {
    const payload = pushExamples[0] ?? {}
    const ctx = readContext(env('push', 'refs/tags/v1.2.3'), payload)
    expect(preflight(inputs, ctx).target).toEqual({ kind: 'tag', tag: 'v1.2.3' })
  })

  it('prefers the tag input over the event', () => {
    const payload = releaseExamples[0] ?? {}
    const ctx = readContext(env('release'), payload)
    expect(preflight({ tag: 'v0.1.0' } as RunInputs, ctx).target).toEqual({
      kind: 'tag',
      tag: 'v0.1.0',
    })
  })

  it('sees whether the job may mint an OIDC token', () => {
    const { ACTIONS_ID_TOKEN_REQUEST_TOKEN: _dropped, ...noToken } = env('release')
    expect(readContext(noToken, {}).idTokenRequest).toBeUndefined()
    expect(() => preflight(inputs, readContext(noToken, {}))).toThrow(/id-token: write/)
  })
})
