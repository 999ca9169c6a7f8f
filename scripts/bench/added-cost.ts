// What the provenance, or one SBOM, adds to a run: tokens, certificates, log
// entries and GitHub requests, without it and with it, side by side.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { releaseEvent } from '../../test/support/fixtures.js'
import { runAction } from '../../test/support/runner.js'
import { npmSbom } from '../../test/support/sbom.js'
import { fmt, githubRequests, problems, type Row, seed } from './run.js'
import type { Workload } from './workloads.js'

/** What one run cost, counted at the stand-ins. */
export interface RunCost {
  tokens: number
  certificates: number
  entries: number
  /** Requests to GitHub's API and uploads hosts. */
  github: number
  wallMs: number
}

/** What is added, and the three runs each side makes. */
const ADDED = {
  provenance: {
    steps: ['first run', 're-run, nothing to do', 're-run after a new asset'],
    off: () => ({ provenance: 'false' }),
    on: () => ({}),
  },
  sbom: {
    steps: ['first run', 're-run, the same SBOM', 're-run, the SBOM generated again'],
    off: () => ({}),
    on: () => ({ sbom: 'sbom/*.json' }),
  },
}

/** A workspace with a real SBOM of this project, as `npm sbom` writes it (a new time and id each call). */
function sbomWorkspace(dir: string): void {
  mkdirSync(path.join(dir, 'sbom'), { recursive: true })
  writeFileSync(path.join(dir, 'sbom', 'project.spdx.json'), npmSbom('spdx'))
}

/**
 * What `what` adds: the same release, on a stack of its own, signed without
 * it and with it. Three runs each: the first, a re-run with nothing to do,
 * and a re-run that changes it (a new asset for the provenance, a
 * regenerated SBOM), which replaces it and stores it again.
 */
export async function addedCost(
  w: Workload,
  digests: Map<string, string>,
  what: keyof typeof ADDED,
): Promise<{ rows: Row[]; table: string[] }> {
  const { steps } = ADDED[what]
  const costs: Record<'off' | 'on', RunCost[]> = { off: [], on: [] }
  for (const mode of ['off', 'on'] as const) {
    const { stack, release, claims } = await seed(w, digests)
    const workspace = path.join(tmpdir(), `sign-release-bench-${what}-${process.pid}-${mode}`)
    try {
      const inputs: Record<string, string> = ADDED[what][mode]()
      for (const [i, step] of steps.entries()) {
        if (what === 'provenance' && i === 2)
          await stack.github.state.addAsset(release, 'late.bin', {
            kind: 'bytes',
            data: Buffer.from('late'),
          })
        if (what === 'sbom' && i !== 1) sbomWorkspace(workspace)
        mkdirSync(workspace, { recursive: true })
        const before = { ...stack.counts(), github: githubRequests(stack) }
        const run = await runAction({
          sigstore: 'stack',
          stack,
          claims,
          event: releaseEvent(release),
          tsa: false,
          inputs,
          workspace,
        })
        if (run.exitCode !== 0) problems.push(`${w.name} (${mode}, ${step}): the action failed`)
        const after = stack.counts()
        costs[mode].push({
          tokens: after.tokens - before.tokens,
          certificates: after.certificates - before.certificates,
          entries: after.entries - before.entries,
          github: githubRequests(stack) - before.github,
          wallMs: run.wallMs,
        })
      }
      const attestations = release.assets.filter((a) => a.name.endsWith('.intoto.jsonl')).length
      const expected = what === 'provenance' ? (mode === 'on' ? 1 : 0) : mode === 'on' ? 2 : 1
      if (attestations !== expected)
        problems.push(`${w.name} (${mode}): ${attestations} .intoto.jsonl file(s) on the release`)
    } finally {
      rmSync(workspace, { recursive: true, force: true })
      await stack.stop()
    }
  }
  const table = steps.map((step, i) => {
    const off = costs.off[i] as RunCost
    const on = costs.on[i] as RunCost
    const extra = (k: keyof RunCost) => on[k] - off[k]
    // No extra token, ever, and never more than the run's one certificate.
    // The provenance: at most one extra log entry, and at most three extra
    // GitHub requests where nothing changes (replacing it without a gap
    // takes four: upload under a temporary name, delete, rename, store;
    // reported, not held to that). One SBOM: two log entries where it is
    // first signed (its bundle and its attestation), none where it is the
    // same, three where it was generated again (the provenance lists it).
    const maxEntries = what === 'provenance' ? 1 : ([2, 0, 3][i] ?? 0)
    const certificates = what === 'provenance' ? extra('certificates') : on.certificates - 1
    if (extra('tokens') > 0 || certificates > 0 || extra('entries') > maxEntries)
      problems.push(
        `${w.name}, ${step}: the ${what} cost ${JSON.stringify(on)} against ${JSON.stringify(off)}`,
      )
    if (what === 'provenance' && i < 2 && extra('github') > 3)
      problems.push(`${w.name}, ${step}: the provenance cost ${extra('github')} GitHub requests`)
    return `| ${w.name} | ${step} | ${off.tokens} / ${on.tokens} | ${off.certificates} / ${on.certificates} | ${off.entries} / ${on.entries} (+${extra('entries')}) | ${off.github} / ${on.github} (+${extra('github')}) | ${fmt(off.wallMs / 1000, 2)} / ${fmt(on.wallMs / 1000, 2)} |`
  })
  const first = costs.on[0] as RunCost
  const rows: Row[] = [
    {
      workload: w.name,
      runner: `a. this action, with ${what === 'sbom' ? 'one SBOM' : 'provenance'}`,
      wallMs: first.wallMs,
      peakRssMb: null,
      tokens: first.tokens,
      certificates: first.certificates,
      entries: first.entries,
      note: `first run; see the ${what === 'sbom' ? 'SBOM' : 'provenance'} table`,
    },
  ]
  return { rows, table }
}
