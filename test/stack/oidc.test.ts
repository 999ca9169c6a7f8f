// The Actions OIDC endpoint checks the request token and mints signed,
// five-minute JWTs with GitHub's claims for the requested audience.
import { verify } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { releaseJobClaims } from '../support/claims.js'
import { type Stack, startStack } from './index.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

it('mints an RS256 token for the requested audience to a registered job only', async () => {
  const claims = releaseJobClaims()
  const requestToken = stack.oidc.registerJob(claims)
  const url = `${stack.oidc.requestUrl}&audience=sigstore`
  expect((await fetch(url)).status).toBe(401)
  expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401)
  const response = await fetch(url, { headers: { authorization: `Bearer ${requestToken}` } })
  const { value } = (await response.json()) as { value: string }
  const [header, payload, signature] = value.split('.') as [string, string, string]
  expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({
    alg: 'RS256',
    typ: 'JWT',
  })
  expect(
    verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      stack.oidc.publicKey,
      Buffer.from(signature, 'base64url'),
    ),
  ).toBe(true)
  const body = JSON.parse(Buffer.from(payload, 'base64url').toString())
  expect(body).toMatchObject({
    iss: 'https://token.actions.githubusercontent.com',
    aud: 'sigstore',
    sub: 'repo:octo-org/octo-repo:ref:refs/tags/v1.0.0',
    repository: claims.repository,
    ref: claims.ref,
    sha: claims.sha,
    workflow_ref: claims.workflow_ref,
    job_workflow_ref: claims.job_workflow_ref,
    event_name: 'release',
    runner_environment: 'github-hosted',
  })
  expect(body.exp - body.iat).toBe(300)
  expect(() => stack.oidc.verify(value)).not.toThrow()
  expect(() =>
    stack.oidc.verify(`${header}.${payload}.${Buffer.from('forged').toString('base64url')}`),
  ).toThrow()
})
