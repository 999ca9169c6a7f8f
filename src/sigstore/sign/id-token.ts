// The workflow's OIDC identity: minting tokens, and the certificate identity
// Fulcio will derive from them.
import { setSecret } from '@actions/core'
import { messageOf, UserError } from '../../errors.js'
import { retryAfterMs, TransientHttpError, withRetry } from '../../util/retry.js'
import type { CertificateIdentity } from '../certificate-identity.js'

interface Claims {
  iss?: string
  sub?: string
  exp?: number
  job_workflow_ref?: string
  [claim: string]: unknown
}

export interface IdToken {
  value: string
  claims: Claims
}

/** A token is reused for the first certificate only while it has this long left. */
const REUSE_MIN_REMAINING_S = 120
const TOKEN_TIMEOUT_MS = 15_000
const TOKEN_ATTEMPTS = 4

/** Where the runner hands out ID tokens (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN). */
export interface IdTokenRequest {
  url: string
  token: string
}

export class TokenSource {
  /** The token minted to learn the identity, until a certificate request uses it. */
  private unused?: IdToken

  constructor(private readonly request: IdTokenRequest) {}

  /** Mints the run's first token, from which the certificate identity is derived. */
  async first(): Promise<IdToken> {
    this.unused = await this.mint()
    return this.unused
  }

  /** A token no certificate was requested with yet: the first one while it is fresh, else a new one. */
  async fresh(): Promise<IdToken> {
    const unused = this.unused
    this.unused = undefined
    if (unused && (unused.claims.exp ?? 0) - Date.now() / 1000 > REUSE_MIN_REMAINING_S)
      return unused
    return this.mint()
  }

  /** Mints a token with audience `sigstore` (GitHub's tokens live five minutes). */
  private async mint(): Promise<IdToken> {
    const value = await requestIdToken(this.request)
    // Registered as a secret, so the runner masks it wherever it appears.
    setSecret(value)
    return { value, claims: decodeClaims(value) }
  }
}

/**
 * Asks the Actions token service for an ID token. @actions/core's
 * getIDToken neither retries nor times out: one 429 or reset failed the run,
 * and a cut-off answer left its promise unsettled for ever.
 */
async function requestIdToken(request: IdTokenRequest): Promise<string> {
  const url = new URL(request.url)
  url.searchParams.set('audience', 'sigstore')
  const service = `the Actions token service (${url.host})`
  try {
    return await withRetry(
      async () => {
        let response: Response
        let text: string
        try {
          response = await fetch(url, {
            headers: { authorization: `Bearer ${request.token}`, accept: 'application/json' },
            signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
          })
          text = await response.text()
        } catch (error) {
          throw new TransientHttpError(
            `no answer from ${service}: ${messageOf(error)}`,
            undefined,
            undefined,
            {
              cause: error,
            },
          )
        }
        if (response.status === 401 || response.status === 403) {
          throw new UserError(
            `${service} refused the token request (HTTP ${response.status}). ` +
              "Check that the job has 'permissions: id-token: write'.",
          )
        }
        if (!response.ok) {
          throw new TransientHttpError(
            `${service} answered HTTP ${response.status}`,
            response.status,
            retryAfterMs(response.headers),
          )
        }
        const value = parseTokenAnswer(text)
        if (!value) {
          throw new TransientHttpError(
            `${service} answered HTTP ${response.status} without a token (${text.length} bytes)`,
            response.status,
          )
        }
        return value
      },
      {
        attempts: TOKEN_ATTEMPTS,
        baseDelayMs: 1_000,
        retryable: (error) =>
          error instanceof TransientHttpError &&
          (error.status === undefined ||
            error.status >= 500 ||
            error.status === 429 ||
            error.status < 300),
      },
    )
  } catch (error) {
    if (error instanceof UserError) throw error
    throw new UserError(`Could not get an OIDC token: ${messageOf(error)}`, { cause: error })
  }
}

function parseTokenAnswer(text: string): string | undefined {
  try {
    const value = (JSON.parse(text) as { value?: unknown }).value
    return typeof value === 'string' && value.split('.').length === 3 ? value : undefined
  } catch {
    return undefined
  }
}

export function identityOf(token: IdToken, serverUrl: string): CertificateIdentity {
  const { iss, job_workflow_ref: workflowRef } = token.claims
  if (!iss || !workflowRef) {
    throw new UserError(
      'The OIDC token has no issuer or job_workflow_ref claim; it does not come from a GitHub Actions job.',
    )
  }
  return { subjectAlternativeName: `${serverUrl.replace(/\/+$/, '')}/${workflowRef}`, issuer: iss }
}

function decodeClaims(token: string): Claims {
  const payload = token.split('.')[1]
  if (!payload) throw new UserError('The OIDC token from GitHub is not a JWT.')
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims
}
