// Hash each asset in one streamed pass (github/hash-asset.ts), sign its digest,
// get it witnessed, verify the bundle, and write it under RUNNER_TEMP. The
// provenance's statement is signed here too, as a DSSE envelope.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { info } from '@actions/core'
import { type Bundle, bundleToJSON } from '@sigstore/bundle'
import Bottleneck from 'bottleneck/light.js'
import { hashAsset } from '../../github/hash-asset.js'
import type { ReleaseApi } from '../../github/types.js'
import { BundleMaker, dsseDigest, serializeBundle } from '../../sigstore/sign/bundle.js'
import { CertificateSource } from '../../sigstore/sign/certificate.js'
import type { TokenSource } from '../../sigstore/sign/id-token.js'
import { EphemeralKey } from '../../sigstore/sign/key.js'
import { DuplicateEntry } from '../../sigstore/sign/rekor-v2.js'
import type { BundleVerifier } from '../../sigstore/verify/bundle-verifier.js'
import { IN_TOTO_PAYLOAD_TYPE, sameSubjects, statementSubjects } from '../../slsa-provenance.js'
import { mapSettled, type Settled } from '../../util/pool.js'
import { CONCURRENCY, REKOR_V2_CONCURRENCY } from '../run/concurrency.js'
import type { PlanItem, SignedItem } from '../run/items.js'
import type { Outcome } from '../run/outcome.js'
import type { Signer } from '../setup/signing-identity.js'

export interface Signing {
  api: ReleaseApi
  key: EphemeralKey
  maker: BundleMaker
  verifier: BundleVerifier
  bundlesDir: string
  /** Downloads (and hashes) at once. */
  concurrency: number
  /** Assets in flight at once, counting those waiting on a log or a timestamp. */
  witnessConcurrency: number
  /** The run's one certificate, renewed when it runs low. */
  certificates: CertificateSource
}

/** The run's signing setup: one ephemeral key, one certificate, the services that witness each signature. */
export function signingFor(
  api: ReleaseApi,
  signer: Signer,
  tokens: TokenSource,
  bundlesDir: string,
): Signing {
  const key = new EphemeralKey()
  const certificates = new CertificateSource(signer.services.fulcioUrl, key, tokens)
  return {
    api,
    key,
    maker: new BundleMaker(signer.services, certificates),
    verifier: signer.verifier,
    bundlesDir,
    concurrency: CONCURRENCY,
    witnessConcurrency: signer.services.logs.some((log) => log.version === 2)
      ? REKOR_V2_CONCURRENCY
      : CONCURRENCY,
    certificates,
  }
}

/** The phase: signs the items, notes each failure in the outcome, and returns what was signed. */
export async function signPlanned(
  items: PlanItem[],
  signing: Signing,
  outcome: Outcome,
): Promise<SignedItem[]> {
  if (items.length === 0) {
    info('Every selected asset already has a bundle that verifies; nothing to sign.')
    return []
  }
  // The run's certificate first: without one nothing can be signed, and that
  // is one failure of the run (CertificateUnavailable), not one per asset.
  await signing.certificates.get()
  const settled = await signAssets(items, signing)
  info(`Certificates issued: ${signing.certificates.issued}`)
  return outcome.collect(items, settled, (item) => item)
}

export async function signAssets(
  items: PlanItem[],
  signing: Signing,
): Promise<Settled<SignedItem>[]> {
  // Bottleneck (already the GitHub client's limiter) caps the downloads;
  // the pool lets more assets wait on a log at once than it lets download.
  const downloads = new Bottleneck({ maxConcurrent: signing.concurrency })
  return mapSettled(items, signing.witnessConcurrency, (item) => signOne(item, signing, downloads))
}

async function signOne(item: PlanItem, s: Signing, downloads: Bottleneck): Promise<SignedItem> {
  // Local files were hashed from disk; only release assets are downloaded.
  const { asset } = item
  const digest = item.digest ?? (asset && (await downloads.schedule(() => hashAsset(s.api, asset))))
  if (!digest) throw new Error(`${item.name} has neither bytes on the release nor a local file`)
  let bundle: Bundle
  try {
    bundle = await s.maker.make(digest, s.key.signDigest(digest))
  } catch (error) {
    if (!(error instanceof DuplicateEntry)) throw error
    // Rekor v2 holds the entry whose answer was lost, and cannot return it:
    // a new signature makes a new entry (the first stays in the log, unused).
    info(`${item.name}: ${error.message}; signing again for an entry of its own`)
    bundle = await s.maker.make(digest, s.key.signDigest(digest, true))
  }
  const json = serializeBundle(bundle)
  try {
    s.verifier.verify(JSON.parse(json), digest)
  } catch (error) {
    throw new Error('the new bundle failed verification, so it will not be attached', {
      cause: error,
    })
  }
  const bundlePath = path.join(s.bundlesDir, item.fileName)
  await writeFile(bundlePath, json)
  const logIndex = bundle.verificationMaterial.tlogEntries[0]?.logIndex ?? ''
  info(
    `signed ${item.name} sha256:${digest.toString('hex')} -> ${item.bundleName} (log index ${logIndex})`,
  )
  return { item, sha256: digest.toString('hex'), bundlePath, logIndex }
}

/** The statement as a verified DSSE bundle (one JSON line), made with the run's key and certificate. */
export async function signStatement(
  payload: Buffer,
  s: Signing,
  what = 'provenance',
): Promise<{ json: string; logIndex: string }> {
  const digest = dsseDigest(payload, IN_TOTO_PAYLOAD_TYPE)
  let bundle: Awaited<ReturnType<typeof s.maker.makeDsse>>
  try {
    bundle = await s.maker.makeDsse(payload, IN_TOTO_PAYLOAD_TYPE, s.key.signDigest(digest))
  } catch (error) {
    if (!(error instanceof DuplicateEntry)) throw error
    // As for an asset (signOne): a fresh signature for an entry of its own.
    bundle = await s.maker.makeDsse(payload, IN_TOTO_PAYLOAD_TYPE, s.key.signDigest(digest, true))
  }
  const json = JSON.stringify(bundleToJSON(bundle))
  try {
    const signed = statementSubjects(s.verifier.verifyEnvelope(JSON.parse(json)))
    if (!sameSubjects(signed, statementSubjects(payload))) throw new Error('the subjects changed')
  } catch (error) {
    throw new Error(`the new ${what} failed verification, so it will not be attached`, {
      cause: error,
    })
  }
  return { json, logIndex: bundle.verificationMaterial.tlogEntries[0]?.logIndex ?? '' }
}
