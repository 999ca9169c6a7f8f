// Checks every bundle on a release (or beside local files), independently of the action's own
// verifier: the signature is checked with Node's streaming createVerify over
// the asset's bytes, and everything else by @sigstore/verify's Verifier.
import { createHash, createVerify, X509Certificate } from 'node:crypto'
import { createReadStream, readFileSync } from 'node:fs'
import path from 'node:path'
import { bundleFromJSON, isBundleWithMessageSignature } from '@sigstore/bundle'
import { toSignedEntity } from '@sigstore/verify'
import { contentStream } from '../../test/stack/github/content.js'
import type { ReleaseRecord } from '../../test/stack/github/state.js'
import type { Stack } from '../../test/stack/index.js'
import { stackVerifier, workflowPolicy } from '../../test/support/fixtures.js'

/** Returns how many local files have a bundle in `bundlesDir` that verifies. */
export async function countVerifiedFiles(
  stack: Stack,
  files: string[],
  bundlesDir: string,
  identity: string,
): Promise<number> {
  let verified = 0
  for (const file of files) {
    const json = readFileSync(path.join(bundlesDir, `${path.basename(file)}.sigstore.json`), 'utf8')
    if (await verifies(stack, json, createReadStream(file), identity, path.basename(file)))
      verified++
  }
  return verified
}

/** Returns how many selected assets have a bundle that verifies. */
export async function countVerifiedBundles(
  stack: Stack,
  release: ReleaseRecord,
  identity: string,
): Promise<number> {
  let verified = 0
  for (const asset of release.assets.filter((a) => !a.name.endsWith('.sigstore.json'))) {
    const bundleAsset = release.assets.find((a) => a.name === `${asset.name}.sigstore.json`)
    if (bundleAsset?.content.kind !== 'bytes') continue
    const json = bundleAsset.content.data.toString('utf8')
    if (await verifies(stack, json, contentStream(asset.content), identity, asset.name)) verified++
  }
  return verified
}

async function verifies(
  stack: Stack,
  json: string,
  bytes: AsyncIterable<unknown>,
  identity: string,
  name: string,
): Promise<boolean> {
  const bundle = bundleFromJSON(JSON.parse(json))
  if (!isBundleWithMessageSignature(bundle)) return false
  const material = bundle.verificationMaterial.content
  if (material.$case !== 'certificate') return false
  const key = new X509Certificate(material.certificate.rawBytes).publicKey
  const signature = bundle.content.messageSignature.signature
  const hash = createHash('sha256')
  const check = createVerify('sha256')
  for await (const chunk of bytes) {
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
    stackVerifier(stack).verify(entity, workflowPolicy(identity))
    return true
  } catch (error) {
    console.error(`bundle for ${name} does not verify: ${String(error)}`)
    return false
  }
}
