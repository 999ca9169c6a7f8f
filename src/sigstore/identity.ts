// The workflow's OIDC identity: minting tokens, and the certificate identity
// Fulcio will derive from them.
import { getIDToken } from '@actions/core'
import { UserError } from '../errors.js'

export interface CertificateIdentity {
  /** Fulcio's SAN for a GitHub workflow: server URL + job_workflow_ref. */
  subjectAlternativeName: string
  issuer: string
}

interface Claims {
  iss?: string
  sub?: string
  exp?: number
  job_workflow_ref?: string
}

export interface IdToken {
  value: string
  claims: Claims
}

/** A token is reused for the first certificate only while it has this long left. */
const REUSE_MIN_REMAINING_S = 120

export class TokenSource {
  /** The token minted to learn the identity, until a certificate request uses it. */
  private unused?: IdToken

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
    let value: string
    try {
      // getIDToken registers the token as a secret, so the runner masks it.
      value = await getIDToken('sigstore')
    } catch (error) {
      throw new UserError(
        "Could not get an OIDC token from GitHub. Check that the job has 'permissions: id-token: write'.",
        { cause: error },
      )
    }
    return { value, claims: decodeClaims(value) }
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
