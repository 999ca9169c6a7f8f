// Phase 2: the trust material and the services first (a run that could not
// verify what it signs never mints a token, asks for a certificate or writes
// to a log), then the identity the run's OIDC token gives.
import path from 'node:path'
import { info } from '@actions/core'
import type { RunContext } from '../context.js'
import { type CertificateIdentity, identityOf, type TokenSource } from '../sigstore/identity.js'
import type { SigstoreInputs } from '../sigstore/options.js'
import { loadSigningSetup } from '../sigstore/setup.js'
import { describeServices, type Services } from '../sigstore/signing-config.js'
import { BundleVerifier } from '../sigstore/verify.js'

export interface Signer {
  identity: CertificateIdentity
  /** Checks bundles against the trusted root and this identity. */
  verifier: BundleVerifier
  services: Services
}

export async function establishIdentity(
  sigstore: SigstoreInputs,
  ctx: RunContext,
  tokens: TokenSource,
): Promise<Signer> {
  const { trust, services } = await loadSigningSetup(
    sigstore,
    path.join(ctx.runnerTemp, 'sign-release'),
  )
  for (const line of describeServices(services)) info(line)
  const identity = identityOf(await tokens.first(), ctx.serverUrl)
  info(`Certificate identity: ${identity.subjectAlternativeName}`)
  info(`Certificate OIDC issuer: ${identity.issuer}`)
  return { identity, verifier: new BundleVerifier(trust, identity), services }
}
