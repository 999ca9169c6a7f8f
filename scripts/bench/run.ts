// What every workload shares: the stack seeded with a release, one timed run
// of the bundled action, the problems found, and the figures' formatting.
import { startStack } from '../../test/stack/index.js'
import { releaseJobClaims } from '../../test/support/claims.js'
import { type RunOptions, type RunResult, runAction } from '../../test/support/runner.js'
import { timeWrapper } from './measure.js'
import type { Workload } from './workloads.js'

export const REPO = 'octo-org/bench'

export interface Row {
  workload: string
  runner: string
  wallMs: number
  peakRssMb: number | null
  /** CPU seconds of the runner's own process (user plus system). */
  cpuS?: number | null
  /**
   * CPU seconds of this process, where the stand-in services run, while the
   * runner ran. Nearly all of it is their one JavaScript thread, so it is also
   * close to a floor on the runner's wall time.
   */
  standInCpuS?: number
  tokens?: number
  certificates?: number
  entries?: number
  verified?: string
  /** GitHub API requests (API and uploads hosts) per asset: first run, and a re-run. */
  apiPerAsset?: string
  note?: string
}

export const problems: string[] = []

export async function seed(w: Workload, digests: Map<string, string>) {
  const stack = await startStack({
    latencyMs: w.latencyMs,
    certValiditySeconds: w.renewal?.certValiditySeconds,
  })
  if (w.renewal) stack.servers.storage.latencyMs = w.renewal.storageLatencyMs
  stack.github.storage.bandwidthBytesPerSecond = w.linkBytesPerSecond ?? 0
  // These workloads measure signing, not GitHub: its write limits are lifted
  // here, and measured on their own (githubLimits, and manifest, which meets none).
  if (!w.githubLimits && !w.manifest) stack.github.limits.unlimitedWrites()
  const [owner, repo] = REPO.split('/') as [string, string]
  stack.github.state.addRepo(owner, repo)
  const release = stack.github.state.createRelease(owner, repo, { tag_name: 'v1.0.0' })
  for (const a of w.assets)
    await stack.github.state.addAsset(release, a.name, a.content, { digest: digests.get(a.name) })
  return { stack, release, claims: releaseJobClaims({ repository: REPO }) }
}

/**
 * One timed run of the bundled action: wall time, its own CPU and peak RSS
 * (through /usr/bin/time), and the stand-ins' CPU while it ran. A failed run
 * is noted under `label`.
 */
export async function timedRun(
  label: string,
  options: Omit<RunOptions, 'wrapper'>,
  pin: string[] = [],
): Promise<{ run: RunResult; standInCpuS: number }> {
  const cpu = process.cpuUsage()
  const run = await runAction({ ...options, wrapper: [...timeWrapper(), ...pin] })
  const standInCpuS = cpuSince(cpu)
  if (run.exitCode !== 0) problems.push(`${label}: the action failed:\n${run.log.slice(-2000)}`)
  return { run, standInCpuS }
}

export function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1e6
}

export const fmt = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? '—' : n.toFixed(digits)

/** Requests to GitHub's API and uploads hosts so far: what counts against the token's hourly budget. */
export function githubRequests(stack: Awaited<ReturnType<typeof startStack>>): number {
  return stack.servers.api.requests.length + stack.servers.uploads.requests.length
}
