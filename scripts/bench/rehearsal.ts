// A rehearsal: peak memory while the assets are copied through disk, and the
// release left untouched.
import { releaseEvent } from '../../test/support/fixtures.js'
import { cpuSeconds, peakRss } from './measure.js'
import { problems, type Row, seed, timedRun } from './run.js'
import type { Workload } from './workloads.js'

/** A rehearsal: peak memory while the asset is copied through disk, and the release untouched. */
export async function rehearsal(w: Workload, digests: Map<string, string>): Promise<Row> {
  const { stack, release, claims } = await seed(w, digests)
  try {
    const before = JSON.stringify(release.assets.map((a) => [a.id, a.name, a.size, a.digest]))
    const { run, standInCpuS } = await timedRun(w.name, {
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      tsa: false,
      inputs: { rehearse: 'true' },
    })
    const n = w.assets.length
    if (run.outputs.rehearsal !== 'passed') problems.push(`${w.name}: the rehearsal did not pass`)
    if (JSON.stringify(release.assets.map((a) => [a.id, a.name, a.size, a.digest])) !== before)
      problems.push(`${w.name}: the rehearsal changed the release`)
    if (stack.github.state.releases.length !== 1)
      problems.push(`${w.name}: the rehearsal left its copy behind`)
    const counts = stack.counts()
    if (counts.tokens !== 1 || counts.certificates !== 1 || counts.entries !== n + 1)
      problems.push(
        `${w.name}: expected 1 token, 1 certificate, ${n + 1} entries, got ${JSON.stringify(counts)}`,
      )
    const copy = /\(Rehearsal: copy the release to a scratch draft: ([\d.]+) s\)/.exec(run.log)?.[1]
    return {
      workload: w.name,
      runner: 'a. this action, rehearse: true',
      wallMs: run.wallMs,
      peakRssMb: peakRss(run.rawOutput),
      cpuS: cpuSeconds(run.rawOutput),
      standInCpuS,
      ...counts,
      verified: run.outputs.rehearsal === 'passed' ? `${n}/${n} on the copy` : 'failed',
      note: `copy phase: ${copy ?? '?'} s`,
    }
  } finally {
    await stack.stop()
  }
}
