// The Sigstore stand-ins produce bundles that the real verifier accepts, and
// that it rejects when the artifact or the expected identity is wrong.
import {
  DSSEBundleBuilder,
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

  it('Rekor v1 takes a DSSE envelope as a dsse entry, as sigstore-js writes it, and the bundle verifies', async () => {
    const claims = releaseJobClaims()
    const builder = new DSSEBundleBuilder({
      signer: new FulcioSigner({
        fulcioBaseURL: stack.fulcio.server.url,
        identityProvider: { getToken: async () => stack.oidc.mint(claims, 'sigstore') },
      }),
      witnesses: [new RekorWitness({ rekorBaseURL: stack.rekor.server.url })],
    })
    const statement = Buffer.from(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'a.tar.gz', digest: { sha256: 'ab'.repeat(32) } }],
        predicateType: 'https://slsa.dev/provenance/v1',
        predicate: {},
      }),
    )
    const bundle = await builder.create({ data: statement, type: 'application/vnd.in-toto+json' })
    expect(bundle.verificationMaterial.tlogEntries[0]?.kindVersion).toEqual({
      kind: 'dsse',
      version: '0.0.1',
    })
    const identity = `https://github.com/${claims.job_workflow_ref}`
    const signer = verifier().verify(toSignedEntity(bundle), workflowPolicy(identity))
    expect(signer.identity?.subjectAlternativeName).toBe(identity)
    // A payload changed after signing is refused.
    const changed = structuredClone(bundle)
    if (changed.content.$case !== 'dsseEnvelope') throw new Error('not a DSSE bundle')
    changed.content.dsseEnvelope.payload = Buffer.from(statement.toString().replace('ab', 'cd'))
    expect(() => verifier().verify(toSignedEntity(changed), workflowPolicy(identity))).toThrow()
  })

  it('Rekor v2 refuses the dsse type that rekor-tiles dropped', async () => {
    const response = await fetch(`${stack.rekorV2.server.url}/api/v2/log/entries`, {
      method: 'POST',
      body: JSON.stringify({
        dsseRequestV002: {
          envelope: {
            payload: 'e30=',
            payloadType: 'application/vnd.in-toto+json',
            signatures: [],
          },
          verifiers: [],
        },
      }),
    })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('log the envelope as a hashedrekord over its PAE')
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
