// The trust material and the services first (a run that could not
// verify what it signs never mints a token, asks for a certificate or writes
// to a log), then the identity the run's OIDC token gives, and the claims
// its provenance is made from.
import path from 'node:path'
import { info } from '@actions/core'
import type { CertificateIdentity } from '../../sigstore/certificate-identity.js'
import type { SigstoreInputs } from '../../sigstore/options.js'
import { identityOf, type TokenSource } from '../../sigstore/sign/id-token.js'
import { describeServices, type Services } from '../../sigstore/signing-config.js'
import { loadSigningSetup } from '../../sigstore/signing-setup.js'
import { BundleVerifier } from '../../sigstore/verify/bundle-verifier.js'
import { type WorkflowClaims, workflowClaims } from '../../slsa-provenance.js'
import type { RunContext } from './context.js'

export interface Signer {
  identity: CertificateIdentity
  /** Checks bundles against the trusted root and this identity. */
  verifier: BundleVerifier
  services: Services
  /** The token's claims the provenance is made from; unset with provenance: false. */
  claims?: WorkflowClaims
}

export async function establishIdentity(
  sigstore: SigstoreInputs,
  ctx: RunContext,
  tokens: TokenSource,
  provenance: boolean,
): Promise<Signer> {
  const { trust, services } = await loadSigningSetup(
    sigstore,
    path.join(ctx.runnerTemp, 'sign-release'),
  )
  for (const line of describeServices(services)) info(line)
  const token = await tokens.first()
  const identity = identityOf(token, ctx.serverUrl)
  info(`Certificate identity: ${identity.subjectAlternativeName}`)
  info(`Certificate OIDC issuer: ${identity.issuer}`)
  const claims = provenance ? workflowClaims(token.claims) : undefined
  return { identity, verifier: new BundleVerifier(trust, identity), services, claims }
}
