// One Fulcio certificate for the whole run, renewed with a fresh token before
// it would expire. @sigstore/sign's FulcioSigner asks for a new token and a
// new certificate on every signature and keeps its key to itself, so this
// small client talks to Fulcio's /api/v2/signingCert directly.
import { X509Certificate } from 'node:crypto'
import { debug, info } from '@actions/core'
import { describeError, UserError } from '../../errors.js'
import { summarizeBody } from '../../util/body.js'
import { RATE_LIMIT_WAIT_MS, retryAfterMs, withRetry } from '../../util/retry.js'
import type { TokenSource } from './id-token.js'
import type { EphemeralKey } from './key.js'

export interface SigningCertificate {
  pem: string
  der: Buffer
  notBefore: Date
  notAfter: Date
}

/** Renew when less than this share of the certificate's lifetime remains. */
const RENEW_AT_REMAINING_SHARE = 0.25
const FULCIO_TIMEOUT_MS = 15_000

export class CertificateSource {
  private current?: SigningCertificate
  private pending?: Promise<SigningCertificate>
  /** How many certificates this run has been issued. */
  issued = 0

  constructor(
    private readonly fulcioUrl: string,
    private readonly key: EphemeralKey,
    private readonly tokens: TokenSource,
  ) {}

  /** A certificate that stays valid long enough for one log submission. */
  async get(): Promise<SigningCertificate> {
    if (this.current && !needsRenewal(this.current)) return this.current
    this.pending ??= this.request().finally(() => {
      this.pending = undefined
    })
    this.current = await this.pending
    return this.current
  }

  private async request(): Promise<SigningCertificate> {
    const token = await this.tokens.fresh()
    const body = JSON.stringify({
      credentials: { oidcIdentityToken: token.value },
      publicKeyRequest: {
        publicKey: { algorithm: 'ECDSA', content: this.key.publicKeyPem },
        proofOfPossession: this.key.signMessage(String(token.claims.sub)).toString('base64'),
      },
    })
    let attempts = 0
    const chain = await withRetry(
      async (attempt) => {
        attempts = attempt
        const response = await fetch(`${this.fulcioUrl}/api/v2/signingCert`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'sign-release' },
          body,
          signal: AbortSignal.timeout(FULCIO_TIMEOUT_MS),
        })
        const text = await response.text()
        if (!response.ok) {
          throw new FulcioError(response.status, text, retryAfterMs(response.headers))
        }
        const json = JSON.parse(text) as {
          signedCertificateEmbeddedSct?: { chain?: { certificates?: string[] } }
        }
        const certs = json.signedCertificateEmbeddedSct?.chain?.certificates
        if (!certs?.[0]) throw new FulcioError(response.status, 'response has no certificate chain')
        return certs
      },
      {
        attempts: 4,
        baseDelayMs: 500,
        rateLimitWaitMs: RATE_LIMIT_WAIT_MS,
        retryable: (e) => !(e instanceof FulcioError) || e.status >= 500 || e.status === 429,
        onRetry: (e, n) =>
          debug(`Fulcio attempt ${n} failed: ${describeError(e).split('\n').join('; ')}`),
      },
    ).catch((error) => {
      // The certificate is the run's, not an asset's: one failure says so.
      throw new CertificateUnavailable(this.fulcioUrl, attempts, this.issued, error)
    })
    const leaf = new X509Certificate(chain[0] as string)
    this.issued++
    const cert = {
      pem: leaf.toString(),
      der: leaf.raw,
      notBefore: new Date(leaf.validFrom),
      notAfter: new Date(leaf.validTo),
    }
    info(`Fulcio issued a signing certificate valid until ${cert.notAfter.toISOString()}`)
    return cert
  }
}

function needsRenewal(cert: SigningCertificate): boolean {
  const lifetime = cert.notAfter.getTime() - cert.notBefore.getTime()
  return cert.notAfter.getTime() - Date.now() < lifetime * RENEW_AT_REMAINING_SHARE
}

/** No certificate could be had: nothing more can be signed in this run. */
export class CertificateUnavailable extends UserError {
  override name = 'CertificateUnavailable'
  constructor(fulcioUrl: string, attempts: number, issued: number, cause: unknown) {
    super(
      `Could not get ${issued === 0 ? "the run's" : 'a renewed'} signing certificate from Fulcio (${fulcioUrl}) ` +
        `after ${attempts} attempt(s): ${describeError(cause).split('\n').join('; ')}. ` +
        (issued === 0
          ? 'Nothing was signed. Re-run once Fulcio answers.'
          : 'The files signed before it keep their bundles; a re-run signs the rest.'),
      { cause },
    )
  }
}

export class FulcioError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    /** The wait Fulcio asked for (Retry-After), which withRetry honours. */
    readonly retryAfterMs?: number,
  ) {
    super(`Fulcio refused the certificate request (HTTP ${status}): ${summarizeBody(detail)}`)
  }
}
