// Releases under github.com's write limits (writes against the floor the
// limits set), and bundles: manifest (a handful of writes whatever the size).
import { minimumWriteTimeMs } from '../../src/github/write-pacer.js'
import type { ReleaseRecord } from '../../test/stack/github/state.js'
import type { Stack, startStack } from '../../test/stack/index.js'
import { identityOf, releaseEvent } from '../../test/support/fixtures.js'
import type { RunOptions } from '../../test/support/runner.js'
import { cpuSeconds, peakRss } from './measure.js'
import { fmt, problems, type Row, seed, timedRun } from './run.js'
import { countVerifiedBundles } from './verify.js'
import type { Workload } from './workloads.js'

/** Writes GitHub counted (uploads, and every non-GET API request), by when they arrived. */
export function writeTimes(stack: Awaited<ReturnType<typeof startStack>>): number[] {
  return [...stack.servers.api.requests, ...stack.servers.uploads.requests]
    .filter((r) => r.method !== 'GET')
    .map((r) => r.at)
    .sort((a, b) => a - b)
}

/**
 * One run of `w` under github.com's limits, on a stack of its own: the
 * run, the limits' counts, and its row in the main table.
 */
export async function limitedRun(
  w: Workload,
  digests: Map<string, string>,
  runner: string,
  options: Pick<RunOptions, 'env' | 'inputs'>,
  check: (stack: Stack, release: ReleaseRecord, identity: string) => Promise<string>,
) {
  const { stack, release, claims } = await seed(w, digests)
  try {
    const { run, standInCpuS } = await timedRun(w.name, {
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      tsa: false,
      ...options,
    })
    const { writes, secondaryRefusals } = stack.github.limits
    const verified = await check(stack, release, identityOf(stack, claims))
    const row: Row = {
      workload: w.name,
      runner,
      wallMs: run.wallMs,
      peakRssMb: peakRss(run.rawOutput),
      cpuS: cpuSeconds(run.rawOutput),
      standInCpuS,
      ...stack.counts(),
      verified,
      note: `${writes} writes, ${secondaryRefusals} secondary-limit answers`,
    }
    return { run, row, writes, secondaryRefusals, entries: stack.counts().entries, stack }
  } finally {
    await stack.stop()
  }
}

/**
 * A release of `w` under github.com's write limits with their windows scaled:
 * the writes, the secondary-limit answers (goal 0), and the span from the
 * first write to the last against the floor the limits set for that many
 * writes (goal within 1.1 times).
 */
export async function underGitHubLimits(
  w: Workload,
  { scale, provenance }: { scale: number; provenance: boolean },
  digests: Map<string, string>,
): Promise<{ row: Row; line: string }> {
  const n = w.assets.length
  const r = await limitedRun(
    w,
    digests,
    'a. this action',
    { env: { SIGN_RELEASE_WAIT_SCALE: String(scale) }, inputs: { provenance: String(provenance) } },
    async (stack, release, identity) => {
      const verified = await countVerifiedBundles(stack, release, identity)
      if (verified !== n) problems.push(`${w.name}: ${verified} of ${n} bundles verify`)
      return `${verified}/${n}`
    },
  )
  const times = writeTimes(r.stack)
  const spanMs = (times.at(-1) ?? 0) - (times[0] ?? 0)
  const floorMs = minimumWriteTimeMs(r.writes) * scale
  if (r.secondaryRefusals > 0)
    problems.push(`${w.name}: ${r.secondaryRefusals} secondary-limit answer(s)`)
  // A bundle each, and the provenance and its attestation.
  const expected = n + (provenance ? 2 : 0)
  if (r.writes !== expected) problems.push(`${w.name}: ${r.writes} writes, not ${expected}`)
  console.error(`  a: ${fmt(r.run.wallMs / 1000, 2)} s, writes over ${fmt(spanMs / 1000, 2)} s`)
  return {
    row: r.row,
    line: `| ${w.name} | ${r.writes} | ${r.secondaryRefusals} | ${r.entries} | ${fmt(spanMs / 1000, 2)} | ${fmt(floorMs / 1000, 2)} | ${fmt(spanMs / floorMs, 3)} | ${fmt(r.run.wallMs / 1000, 2)} |`,
  }
}

/** bundles: manifest under github.com's limits: at most four writes and two log entries. */
export async function manifestRun(
  w: Workload,
  digests: Map<string, string>,
): Promise<{ row: Row; line: string }> {
  const r = await limitedRun(
    w,
    digests,
    'a. this action, bundles: manifest',
    { inputs: { bundles: 'manifest' } },
    async (stack, release, identity) => {
      const verified = await countVerifiedBundles(stack, release, identity)
      if (verified !== 1)
        problems.push(`${w.name}: ${verified} bundles verify, not the manifest's 1`)
      const manifest = release.assets.find((a) => a.name === 'SHA256SUMS')
      const lines = manifest?.content.kind === 'bytes' ? manifest.content.data.toString('utf8') : ''
      const wrong = w.assets.filter((a) => !lines.includes(`${digests.get(a.name)}  ${a.name}\n`))
      if (wrong.length > 0)
        problems.push(`${w.name}: SHA256SUMS misses or misstates ${wrong.length} file(s)`)
      return `manifest ${verified}/1`
    },
  )
  if (r.writes > 4) problems.push(`${w.name}: ${r.writes} writes, more than 4`)
  if (r.entries > 2) problems.push(`${w.name}: ${r.entries} log entries, more than 2`)
  console.error(`  a: ${fmt(r.run.wallMs / 1000, 2)} s, ${r.writes} writes`)
  return {
    row: r.row,
    line: `| ${w.name} | ${r.writes} | ${r.secondaryRefusals} | ${r.entries} | | | | ${fmt(r.run.wallMs / 1000, 2)} |`,
  }
}
