// Checks every bundle on a release, independently of the action's own
// verifier: the signature is checked with Node's streaming createVerify over
// the asset's bytes, and everything else by @sigstore/verify's Verifier.
import { createHash, createVerify, X509Certificate } from 'node:crypto'
import { bundleFromJSON, isBundleWithMessageSignature } from '@sigstore/bundle'
import { toSignedEntity } from '@sigstore/verify'
import { contentStream } from '../../test/stack/github/content.js'
import type { ReleaseRecord } from '../../test/stack/github/state.js'
import type { Stack } from '../../test/stack/index.js'
import { stackVerifier, workflowPolicy } from '../../test/support/fixtures.js'

/** Returns how many selected assets have a bundle that verifies. */
export async function countVerifiedBundles(
  stack: Stack,
  release: ReleaseRecord,
  identity: string,
): Promise<number> {
  const verifier = stackVerifier(stack)
  let verified = 0
  for (const asset of release.assets.filter((a) => !a.name.endsWith('.sigstore.json'))) {
    const bundleAsset = release.assets.find((a) => a.name === `${asset.name}.sigstore.json`)
    if (bundleAsset?.content.kind !== 'bytes') continue
    const bundle = bundleFromJSON(JSON.parse(bundleAsset.content.data.toString('utf8')))
    if (!isBundleWithMessageSignature(bundle)) continue
    const material = bundle.verificationMaterial.content
    if (material.$case !== 'certificate') continue
    const key = new X509Certificate(material.certificate.rawBytes).publicKey
    const signature = bundle.content.messageSignature.signature
    const hash = createHash('sha256')
    const check = createVerify('sha256')
    for await (const chunk of contentStream(asset.content)) {
      hash.update(chunk as Buffer)
      check.update(chunk as Buffer)
    }
    const digest = hash.digest()
    const valid = check.verify(key, signature)
    const entity = toSignedEntity(bundle)
    entity.signature = {
      signature,
      compareSignature: (s) => s.equals(signature),
      compareDigest: (d) => d.equals(digest),
      compareSignedDigest: (d) => d.equals(digest),
      verifySignature: (k) => valid && k.equals(key),
    }
    try {
      verifier.verify(entity, workflowPolicy(identity))
      verified++
    } catch (error) {
      console.error(`bundle for ${asset.name} does not verify: ${String(error)}`)
    }
  }
  return verified
}
