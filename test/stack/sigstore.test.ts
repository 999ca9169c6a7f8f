// The Sigstore stand-ins produce bundles that the real verifier accepts, and
// that it rejects when the artifact or the expected identity is wrong.
import {
  FulcioSigner,
  MessageSignatureBundleBuilder,
  RekorWitness,
  TSAWitness,
} from '@sigstore/sign'
import { toSignedEntity } from '@sigstore/verify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { releaseJobClaims } from '../support/claims.js'
import { stackVerifier, workflowPolicy } from '../support/fixtures.js'
import { type Stack, startStack } from './index.js'

let stack: Stack

beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack.stop())

async function signWithStockLibrary(artifact: Buffer) {
  const claims = releaseJobClaims()
  const builder = new MessageSignatureBundleBuilder({
    signer: new FulcioSigner({
      fulcioBaseURL: stack.fulcio.server.url,
      identityProvider: { getToken: async () => stack.oidc.mint(claims, 'sigstore') },
    }),
    witnesses: [
      new RekorWitness({ rekorBaseURL: stack.rekor.server.url }),
      new TSAWitness({ tsaBaseURL: stack.tsa.server.url }),
    ],
  })
  return { bundle: await builder.create({ data: artifact }), claims }
}

const verifier = () => stackVerifier(stack)

describe('Sigstore stand-ins', () => {
  it('issue certificates, log entries and timestamps that verify', async () => {
    const artifact = Buffer.from('release artifact')
    const { bundle, claims } = await signWithStockLibrary(artifact)
    const identity = `https://github.com/${claims.job_workflow_ref}`
    const signer = verifier().verify(toSignedEntity(bundle, artifact), workflowPolicy(identity))
    expect(signer.identity?.subjectAlternativeName).toBe(identity)
    expect(Number(bundle.verificationMaterial.tlogEntries[0]?.logIndex)).toBeGreaterThan(0)
    expect(
      bundle.verificationMaterial.tlogEntries[0]?.inclusionProof?.hashes.length,
    ).toBeGreaterThan(0)
  })

  it('reject a changed artifact', async () => {
    const { bundle } = await signWithStockLibrary(Buffer.from('original'))
    expect(() => verifier().verify(toSignedEntity(bundle, Buffer.from('tampered')))).toThrow()
  })

  it('reject a policy that names another workflow', async () => {
    const artifact = Buffer.from('artifact for policy check')
    const { bundle } = await signWithStockLibrary(artifact)
    expect(() =>
      verifier().verify(
        toSignedEntity(bundle, artifact),
        workflowPolicy(
          'https://github.com/octo-org/octo-repo/.github/workflows/other.yml@refs/tags/v1.0.0',
        ),
      ),
    ).toThrow(/identity/)
  })

  it('Fulcio refuses a token with the wrong audience', async () => {
    const claims = releaseJobClaims()
    const signer = new FulcioSigner({
      fulcioBaseURL: stack.fulcio.server.url,
      identityProvider: { getToken: async () => stack.oidc.mint(claims, 'not-sigstore') },
    })
    await expect(signer.sign(Buffer.from('x'))).rejects.toThrow()
  })
})
