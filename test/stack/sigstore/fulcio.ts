// Fulcio's /api/v2/signingCert. Unlike @sigstore/mock's handler, this one
// checks the OIDC token's signature, audience and expiry, checks the proof of
// possession, and derives the SAN and GitHub extensions from the token's
// claims the way real Fulcio does.
import { createPublicKey, verify } from 'node:crypto'
import type http from 'node:http'

import { readJson, StandInServer, sendJson } from '../http.js'
import type { OidcIssuer } from '../oidc.js'
import { CertificateAuthority } from './ca.js'

interface SigningCertRequest {
  credentials?: { oidcIdentityToken?: string }
  publicKeyRequest?: {
    publicKey?: { algorithm?: string; content?: string }
    proofOfPossession?: string
  }
}

// https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md
const OID = {
  issuerV1: '1.3.6.1.4.1.57264.1.1',
  triggerV1: '1.3.6.1.4.1.57264.1.2',
  shaV1: '1.3.6.1.4.1.57264.1.3',
  workflowNameV1: '1.3.6.1.4.1.57264.1.4',
  repositoryV1: '1.3.6.1.4.1.57264.1.5',
  refV1: '1.3.6.1.4.1.57264.1.6',
  issuer: '1.3.6.1.4.1.57264.1.8',
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  buildSignerDigest: '1.3.6.1.4.1.57264.1.10',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  buildConfigUri: '1.3.6.1.4.1.57264.1.18',
  buildConfigDigest: '1.3.6.1.4.1.57264.1.19',
  buildTrigger: '1.3.6.1.4.1.57264.1.20',
}

export class FulcioStandIn {
  readonly server = new StandInServer('fulcio', (req, res) => this.handle(req, res))
  /** Certificate lifetime; real Fulcio issues 10-minute certificates. */
  validitySeconds = 600
  private ca?: CertificateAuthority

  constructor(
    private readonly oidc: OidcIssuer,
    private readonly serverUrl: () => string,
  ) {}

  async start(): Promise<this> {
    this.ca = await CertificateAuthority.create()
    await this.server.start()
    return this
  }

  private get started(): CertificateAuthority {
    if (!this.ca) throw new Error('Fulcio stand-in not started')
    return this.ca
  }

  get rootCertificate(): Buffer {
    return Buffer.from(this.started.root.rawData)
  }

  get ctLogPublicKey(): Buffer {
    return Buffer.from(this.started.ctLog.publicKey)
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'POST' || req.url !== '/api/v2/signingCert') {
      return sendJson(res, 404, { code: 5, message: 'Not Found' })
    }
    const body = await readJson<SigningCertRequest>(req)
    const token = body.credentials?.oidcIdentityToken
    const pem = body.publicKeyRequest?.publicKey?.content
    const pop = body.publicKeyRequest?.proofOfPossession
    if (!token || !pem || !pop) return sendJson(res, 400, { code: 3, message: 'missing fields' })

    let claims: Record<string, unknown>
    try {
      claims = this.oidc.verify(token)
    } catch (error) {
      return sendJson(res, 401, {
        code: 16,
        message: `error processing the identity token: ${String(error)}`,
      })
    }
    if (claims.aud !== 'sigstore') {
      return sendJson(res, 401, { code: 16, message: 'token audience is not sigstore' })
    }
    const publicKey = createPublicKey(pem)
    const subject = String(claims.sub)
    if (!verify('sha256', Buffer.from(subject), publicKey, Buffer.from(pop, 'base64'))) {
      return sendJson(res, 400, {
        code: 3,
        message: 'The signature supplied in the request could not be verified',
      })
    }

    const leaf = await this.started.issue({
      publicKeyDer: publicKey.export({ format: 'der', type: 'spki' }),
      san: `${this.serverUrl()}/${String(claims.job_workflow_ref)}`,
      extensions: this.extensions(claims),
      validitySeconds: this.validitySeconds,
    })
    sendJson(res, 201, {
      signedCertificateEmbeddedSct: {
        chain: {
          certificates: [
            toPem(Buffer.from(leaf.buffer, leaf.byteOffset, leaf.byteLength)),
            toPem(this.rootCertificate),
          ],
        },
      },
    })
  }

  private extensions(claims: Record<string, unknown>) {
    const server = this.serverUrl()
    const c = (name: string) => String(claims[name] ?? '')
    const repoUri = `${server}/${c('repository')}`
    const v1 = (oid: string, value: string) => ({ oid, value, legacy: true })
    const v2 = (oid: string, value: string) => ({ oid, value })
    return [
      v1(OID.issuerV1, c('iss')),
      v1(OID.triggerV1, c('event_name')),
      v1(OID.shaV1, c('sha')),
      v1(OID.workflowNameV1, c('workflow')),
      v1(OID.repositoryV1, c('repository')),
      v1(OID.refV1, c('ref')),
      v2(OID.issuer, c('iss')),
      v2(OID.buildSignerUri, `${server}/${c('job_workflow_ref')}`),
      v2(OID.buildSignerDigest, c('job_workflow_sha')),
      v2(OID.runnerEnvironment, c('runner_environment')),
      v2(OID.sourceRepositoryUri, repoUri),
      v2(OID.sourceRepositoryDigest, c('sha')),
      v2(OID.sourceRepositoryRef, c('ref')),
      v2(OID.buildConfigUri, `${server}/${c('workflow_ref')}`),
      v2(OID.buildConfigDigest, c('workflow_sha') || c('sha')),
      v2(OID.buildTrigger, c('event_name')),
    ]
  }
}

export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}
