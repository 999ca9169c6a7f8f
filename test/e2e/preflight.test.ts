// Refusals come before any work, with a message that names what to fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WAIT_SCALE_VARIABLE } from '../../src/util/wait.js'
import type { Stack } from '../stack/index.js'
import { startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import { releaseEvent, seedRelease } from '../support/fixtures.js'
import { runAction, TEST_WAIT_SCALE } from '../support/runner.js'
import { requestMarks, requestsSince } from '../support/scenario.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

function noTraffic(marks: Record<string, number>) {
  for (const server of ['api', 'oidc', 'fulcio', 'rekor'] as const) {
    expect(requestsSince(stack, marks, server), server).toHaveLength(0)
  }
}

describe('refusals', () => {
  it('without id-token: write', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/no-oidc' })
    const release = await seedRelease(stack, { claims, assets: { a: 'a' } })
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      noIdToken: true,
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/::error::.*id-token: write/)
    noTraffic(marks)
  })

  it.each(['pull_request_target', 'workflow_run'])('on %s events', async (eventName) => {
    const claims = releaseJobClaims({ repository: 'octo-org/privileged', event_name: eventName })
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      eventName,
      inputs: { tag: 'v1.0.0' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain(`refuses to run on '${eventName}' events`)
    noTraffic(marks)
  })

  it('when the release does not exist, saying what was looked for and where', async () => {
    const claims = releaseJobClaims({
      repository: 'octo-org/no-release',
      event_name: 'workflow_dispatch',
      ref: 'refs/heads/main',
    })
    stack.github.state.addRepo('octo-org', 'no-release')
    const run = await runAction({ sigstore: 'stack', stack, claims, inputs: { tag: 'v9.9.9' } })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/::error::No release with tag 'v9\.9\.9' in octo-org\/no-release/)
  })

  it('when workflow_dispatch gives no tag', async () => {
    const claims = releaseJobClaims({
      repository: 'octo-org/no-tag',
      event_name: 'workflow_dispatch',
      ref: 'refs/heads/main',
    })
    const marks = requestMarks(stack)
    const run = await runAction({ sigstore: 'stack', stack, claims })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/::error::Input 'tag': is required on 'workflow_dispatch' events/)
    noTraffic(marks)
  })

  it.each([
    ['dry-run', 'yes', /Input 'dry-run': must be true or false/],
    ['bundle-suffix', '.sig', /Input 'bundle-suffix': must be \.sigstore\.json/],
    ['tsa-url', 'not a url', /Input 'tsa-url': 'not a url' is not a URL. Give an https:\/\/ URL./],
    ['assets', 'dist/*.whl', /Input 'assets': 'dist\/\*\.whl' is not an asset-name pattern/],
  ])('when %s is malformed', async (input, value, message) => {
    const claims = releaseJobClaims({ repository: 'octo-org/bad-input' })
    const marks = requestMarks(stack)
    const run = await runAction({ sigstore: 'stack', stack, claims, inputs: { [input]: value } })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(message)
    noTraffic(marks)
  })

  it('when the token cannot write to the release, naming the permission and leaving the release as it was', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/read-only' })
    const release = await seedRelease(stack, { claims, assets: { 'tool.zip': 'z' } })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { 'github-token': stack.github.readOnlyToken },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(
      /::error::.*GitHub refused to upload tool\.zip\.sigstore\.json \(HTTP 403: Resource not accessible by integration\)/,
    )
    expect(run.log).toContain("'permissions: contents: write'")
    expect(release.assets.map((a) => a.name)).toEqual(['tool.zip'])
  })

  it('when no asset matches the patterns, listing the assets there are', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/no-match' })
    const release = await seedRelease(stack, { claims, assets: { 'tool.zip': 'z' } })
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      inputs: { assets: '*.whl' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(
      /Input 'assets': no asset of the release matches \*\.whl\. The release's assets: tool\.zip/,
    )
    expect(release.assets).toHaveLength(1)
  })

  it('when the event file is not JSON, with one error and no stack trace', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/broken-event' })
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      rawEvent: '{"action": "published", "release": {',
    })
    expect(run.exitCode).toBe(1)
    const errors = run.log.split('\n').filter((l) => l.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/event payload at GITHUB_EVENT_PATH .* could not be read as JSON/)
    expect(run.log).not.toMatch(/\n\s+at /)
    noTraffic(marks)
  })

  it('when a service URL uses plain http off this machine, before the token is sent anywhere', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/cleartext' })
    const marks = requestMarks(stack)
    const run = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      inputs: { tag: 'v1.0.0', 'fulcio-url': 'http://fulcio.example.com' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/::error::Input 'fulcio-url': .* plain http/)
    noTraffic(marks)
  })

  it('signs a release with a 250-character tag, and refuses an asset whose bundle name would be too long before any log entry', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/long-names' })
    const tag = `v1.0.0-${'x'.repeat(243)}`
    const ok = await seedRelease(stack, { claims, tag, assets: { 'app.tar.gz': 'app' } })
    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(ok) })
    expect(run.exitCode, run.log).toBe(0)

    const long = `${'y'.repeat(245)}.bin`
    const refused = await seedRelease(stack, { claims, tag: 'v2.0.0', assets: { [long]: 'y' } })
    const marks = requestMarks(stack)
    const again = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(refused),
    })
    expect(again.exitCode).toBe(1)
    expect(again.log).toMatch(
      /::error::The bundle name for y+\.bin would be longer than GitHub's 255-character limit/,
    )
    expect(requestsSince(stack, marks, 'rekor')).toHaveLength(0)
    expect(requestsSince(stack, marks, 'uploads')).toHaveLength(0)
  })
})

it('says when the development wait scale shortens its waits, and only then', async () => {
  const claims = releaseJobClaims({ repository: 'octo-org/wait-scale' })
  const release = await seedRelease(stack, { claims, assets: { 'a.bin': 'a' } })
  const options = { sigstore: 'stack' as const, stack, claims, event: releaseEvent(release) }
  const warning = `::warning::${WAIT_SCALE_VARIABLE}=${TEST_WAIT_SCALE}: every back-off and Retry-After wait is shortened.`
  const scaled = await runAction(options)
  expect(scaled.exitCode, scaled.log).toBe(0)
  expect(scaled.log).toContain(warning)
  const unscaled = await runAction({ ...options, env: { [WAIT_SCALE_VARIABLE]: '' } })
  expect(unscaled.exitCode, unscaled.log).toBe(0)
  expect(unscaled.log).not.toContain(WAIT_SCALE_VARIABLE)
})
