// Rekor v1 against Rekor v2 on the same release.
import { identityOf, releaseEvent } from '../../test/support/fixtures.js'
import { cpuSeconds, peakRss } from './measure.js'
import { fmt, problems, type Row, seed, timedRun } from './run.js'
import { countVerifiedBundles } from './verify.js'
import type { Workload } from './workloads.js'

/**
 * The same release signed three times through the stack's signing configs:
 * to Rekor v1 without timestamps (its signed entry timestamps alone), to
 * Rekor v1 with a timestamp per signature, and to Rekor v2 (which needs
 * them). The first two side by side give what a timestamp costs the
 * action's CPU per asset.
 */
export async function bothLogs(
  w: Workload,
  batchMs: number,
  digests: Map<string, string>,
): Promise<{ rows: Row[]; ratio: string }> {
  const n = w.assets.length
  const result: Row[] = []
  const runs = [
    { version: '1', timestamps: false },
    { version: '1', timestamps: true },
    { version: '2', timestamps: true },
  ] as const
  for (const { version, timestamps } of runs) {
    const label = `Rekor v${version}${timestamps ? ' + timestamps' : ''}`
    const { stack, release, claims } = await seed(w, digests)
    stack.rekorV2.batchMs = batchMs
    try {
      const { run, standInCpuS } = await timedRun(`${w.name}, ${label}`, {
        sigstore: 'stack-tuf',
        stack,
        claims,
        event: releaseEvent(release),
        inputs: { 'rekor-version': version, ...(timestamps ? {} : { timestamp: 'false' }) },
      })
      const counts = stack.counts()
      const verified = await countVerifiedBundles(stack, release, identityOf(stack, claims))
      if (counts.entries !== n + 1)
        problems.push(`${w.name}, ${label}: expected ${n + 1} log entries, got ${counts.entries}`)
      if (verified !== n) problems.push(`${w.name}, ${label}: ${verified} of ${n} bundles verify`)
      console.error(`  a (${label}): ${fmt(run.wallMs / 1000, 2)} s`)
      result.push({
        workload: w.name,
        runner: `a. this action, ${label}`,
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
  const [bare, v1, v2] = result as [Row, Row, Row]
  const msPerAsset = (r: Row) => ((r.cpuS ?? Number.NaN) * 1000) / n
  const ratio = `| ${w.name} | ${fmt(v1.wallMs / 1000, 2)} | ${fmt(v2.wallMs / 1000, 2)} | ${fmt(v2.wallMs / v1.wallMs, 2)} | ${/sign phase: ([\d.—]+)/.exec(v2.note ?? '')?.[1]} | ${v2.entries} | ${v2.verified} | ${fmt(msPerAsset(bare), 1)} / ${fmt(msPerAsset(v1), 1)} | ${fmt(msPerAsset(v1) - msPerAsset(bare), 1)} |`
  return { rows: result, ratio }
}

/** The sign phase's time, as the action logs it. */
export function signSeconds(log: string): string {
  return /\(Sign \d+ file\(s\): ([\d.]+) s\)/.exec(log)?.[1] ?? '—'
}
