// Rekor v1 against Rekor v2 on the same release.
import { identityOf, releaseEvent } from '../../test/support/fixtures.js'
import { cpuSeconds, peakRss } from './measure.js'
import { fmt, problems, type Row, seed, timedRun } from './run.js'
import { countVerifiedBundles } from './verify.js'
import type { Workload } from './workloads.js'

/**
 * The same release signed twice through the stack's signing configs, with a
 * timestamp per signature: once to Rekor v1, once to Rekor v2.
 */
export async function bothLogs(
  w: Workload,
  batchMs: number,
  digests: Map<string, string>,
): Promise<{ rows: Row[]; ratio: string }> {
  const n = w.assets.length
  const result: Row[] = []
  for (const version of ['1', '2'] as const) {
    const { stack, release, claims } = await seed(w, digests)
    stack.rekorV2.batchMs = batchMs
    try {
      const { run, standInCpuS } = await timedRun(`${w.name}, Rekor v${version}`, {
        sigstore: 'stack-tuf',
        stack,
        claims,
        event: releaseEvent(release),
        inputs: { 'rekor-version': version },
      })
      const counts = stack.counts()
      const verified = await countVerifiedBundles(stack, release, identityOf(stack, claims))
      if (counts.entries !== n + 1)
        problems.push(
          `${w.name}, Rekor v${version}: expected ${n + 1} log entries, got ${counts.entries}`,
        )
      if (verified !== n)
        problems.push(`${w.name}, Rekor v${version}: ${verified} of ${n} bundles verify`)
      console.error(`  a (Rekor v${version}): ${fmt(run.wallMs / 1000, 2)} s`)
      result.push({
        workload: w.name,
        runner: `a. this action, Rekor v${version} + timestamps`,
        wallMs: run.wallMs,
        peakRssMb: peakRss(run.rawOutput),
        cpuS: cpuSeconds(run.rawOutput),
        standInCpuS,
        ...counts,
        verified: `${verified}/${n}`,
        note: `sign phase: ${signSeconds(run.log)} s`,
      })
    } finally {
      await stack.stop()
    }
  }
  const [v1, v2] = result as [Row, Row]
  const ratio = `| ${w.name} | ${fmt(v1.wallMs / 1000, 2)} | ${fmt(v2.wallMs / 1000, 2)} | ${fmt(v2.wallMs / v1.wallMs, 2)} | ${/sign phase: ([\d.—]+)/.exec(v2.note ?? '')?.[1]} | ${v2.entries} | ${v2.verified} |`
  return { rows: result, ratio }
}

/** The sign phase's time, as the action logs it. */
export function signSeconds(log: string): string {
  return /\(Sign \d+ file\(s\): ([\d.]+) s\)/.exec(log)?.[1] ?? '—'
}
