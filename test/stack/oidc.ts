// The Actions OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL). Each job
// gets a request token; the endpoint answers it with an RS256-signed JWT that
// carries GitHub's claims and expires after five minutes.
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto'
import type http from 'node:http'
import { drain, StandInServer, sendJson } from './http.js'

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
export const TOKEN_LIFETIME_SECONDS = 300

export interface JobClaims {
  repository: string
  ref: string
  sha: string
  workflow_ref: string
  job_workflow_ref: string
  event_name: string
  runner_environment?: string
  [claim: string]: unknown
}

export class OidcIssuer {
  readonly server = new StandInServer('oidc', (req, res) => this.handle(req, res))
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  private readonly jobs = new Map<string, JobClaims>()
  readonly kid = randomBytes(8).toString('hex')
  readonly issuer = GITHUB_ISSUER
  /** Every token this issuer minted, so tests can look for them in logs. */
  readonly minted: string[] = []

  get publicKey(): KeyObject {
    return createPublicKey(this.keys.publicKey.export({ format: 'pem', type: 'spki' }))
  }

  /** Registers a job and returns its ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  registerJob(claims: JobClaims): string {
    const requestToken = randomBytes(24).toString('base64url')
    this.jobs.set(requestToken, claims)
    return requestToken
  }

  /** The URL a runner puts in ACTIONS_ID_TOKEN_REQUEST_URL (it already has a query). */
  get requestUrl(): string {
    return `${this.server.url}/_apis/token?api-version=2.0`
  }

  mint(claims: JobClaims, audience: string): string {
    const now = Math.floor(Date.now() / 1000)
    const [owner] = claims.repository.split('/')
    const payload = {
      jti: randomBytes(16).toString('hex'),
      sub: `repo:${claims.repository}:ref:${claims.ref}`,
      aud: audience,
      repository_owner: owner,
      repository_visibility: 'public',
      actor: 'octocat',
      workflow: 'Release',
      head_ref: '',
      base_ref: '',
      ref_type: claims.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      job_workflow_sha: claims.sha,
      workflow_sha: claims.sha,
      runner_environment: 'github-hosted',
      // GitHub's numeric ids, as strings; stable for a name here.
      repository_id: numericId(claims.repository),
      repository_owner_id: numericId(owner ?? ''),
      run_id: '1',
      run_number: '1',
      run_attempt: '1',
      ...claims,
      iss: this.issuer,
      nbf: now - 5,
      iat: now,
      exp: now + TOKEN_LIFETIME_SECONDS,
    }
    const header = { typ: 'JWT', alg: 'RS256', kid: this.kid }
    const input = `${b64url(header)}.${b64url(payload)}`
    const signature = sign('sha256', Buffer.from(input), this.keys.privateKey).toString('base64url')
    const token = `${input}.${signature}`
    this.minted.push(token)
    return token
  }

  /** Checks a JWT's signature and times, and returns its claims. */
  verify(token: string): Record<string, unknown> {
    const [h, p, s] = token.split('.')
    if (!h || !p || !s) throw new Error('malformed token')
    const ok = verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      this.keys.publicKey,
      Buffer.from(s, 'base64url'),
    )
    if (!ok) throw new Error('invalid token signature')
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>
    const now = Math.floor(Date.now() / 1000)
    if (typeof claims.exp !== 'number' || claims.exp < now) throw new Error('token expired')
    if (claims.iss !== this.issuer) throw new Error('unknown issuer')
    return claims
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    await drain(req)
    const url = new URL(req.url ?? '/', 'http://oidc')
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const claims = bearer ? this.jobs.get(bearer) : undefined
    if (url.pathname !== '/_apis/token') return sendJson(res, 404, { message: 'Not Found' })
    if (!claims) return sendJson(res, 401, { message: 'Unauthorized' })
    const audience = url.searchParams.get('audience') ?? claims.repository.split('/')[0] ?? ''
    sendJson(res, 200, { count: 1, value: this.mint(claims, audience) })
  }
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/** A stable numeric id for a name, as GitHub gives repositories and owners. */
function numericId(name: string): string {
  return String(Number.parseInt(createHash('sha256').update(name).digest('hex').slice(0, 8), 16))
}
