// One signing identity per run: one token and one certificate for many
// assets, renewed with a fresh token before it would expire.
import { describe, expect, it } from 'vitest'
import { startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import {
  identityOf,
  releaseEvent,
  seedRelease,
  verifyAttachedBundles,
  verifyProvenanceFile,
} from '../support/fixtures.js'
import { runAction } from '../support/runner.js'

describe('certificates', () => {
  it('a run over 40 assets asks for one token, one certificate, one log entry per asset and one for the provenance', async () => {
    const stack = await startStack()
    try {
      const claims = releaseJobClaims({ repository: 'octo-org/many' })
      const assets = Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`file-${i}.bin`, `content ${i}`]),
      )
      const release = await seedRelease(stack, { claims, assets })
      const run = await runAction({
        sigstore: 'stack',
        stack,
        claims,
        event: releaseEvent(release),
      })
      expect(run.exitCode, run.log).toBe(0)
      expect(stack.counts()).toEqual({ tokens: 1, certificates: 1, entries: 41 })
      expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(
        40,
      )
      const provenance = verifyProvenanceFile(stack, release, identityOf(stack, claims))
      expect(provenance.statement.subject).toHaveLength(40)
    } finally {
      await stack.stop()
    }
  })

  it('renews a short-lived certificate, with a fresh token, before it expires', async () => {
    const stack = await startStack({ certValiditySeconds: 3 })
    try {
      const claims = releaseJobClaims({ repository: 'octo-org/renewal' })
      const assets = Object.fromEntries(
        Array.from({ length: 64 }, (_, i) => [`slow-${i}.bin`, `slow ${i}`]),
      )
      const release = await seedRelease(stack, { claims, assets })
      // Each download takes 1.5 s, sixteen at a time: four rounds outlive the first certificate.
      stack.servers.storage.fail({
        path: /slow-/,
        fault: { kind: 'slow', delayMs: 1500 },
        times: 64,
      })
      const run = await runAction({
        sigstore: 'stack',
        stack,
        claims,
        event: releaseEvent(release),
      })
      expect(run.exitCode, run.log).toBe(0)
      const counts = stack.counts()
      expect(counts.certificates).toBeGreaterThan(1)
      expect(counts.tokens).toBe(counts.certificates)
      expect(await verifyAttachedBundles(stack, release, identityOf(stack, claims))).toHaveLength(
        64,
      )
    } finally {
      await stack.stop()
    }
  })
})
