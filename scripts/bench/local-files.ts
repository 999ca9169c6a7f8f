// The workflow's own files, signed with `files`, against Node's SHA-256 over the same files.
import { spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { contentStream } from '../../test/stack/github/content.js'
import { startStack } from '../../test/stack/index.js'
import { releaseJobClaims } from '../../test/support/claims.js'
import { identityOf, releaseEvent } from '../../test/support/fixtures.js'
import { cpuSeconds, measure, peakRss } from './measure.js'
import { fmt, problems, REPO, type Row, timedRun } from './run.js'
import { countVerifiedBundles, countVerifiedFiles } from './verify.js'
import { totalBytes, type Workload } from './workloads.js'

export const TASKSET = '/usr/bin/taskset'

/** Rounds of the local-files comparison: the dry run and Node's SHA-256 alternate. */
export const LOCAL_ROUNDS = 3

/**
 * Local files: the workflow's own build outputs, signed with `files`. The
 * dry run is signing alone (hash from disk, sign, verify, keep); the attaching
 * run adds the uploads. Both against Node's SHA-256 over the same files.
 * The files are flushed to disk first, and the dry run and Node's SHA-256
 * take turns, LOCAL_ROUNDS times each, so that neither always runs while the
 * kernel is still writing the files out; the medians are reported.
 */
export async function localFiles(
  w: Workload,
  digests: Map<string, string>,
): Promise<{ rows: Row[]; ratio: string }> {
  const workspace = mkdtempSync(path.join(tmpdir(), 'sign-release-bench-ws-'))
  const stack = await startStack()
  // Signing local files is what this measures, not GitHub's write limits.
  stack.github.limits.unlimitedWrites()
  try {
    const files: string[] = []
    for (const a of w.assets) {
      const file = path.join(workspace, a.name)
      await pipeline(contentStream(a.content), createWriteStream(file))
      files.push(file)
    }
    spawnSync('sync')
    const [owner, repo] = REPO.split('/') as [string, string]
    stack.github.state.addRepo(owner, repo)
    const claims = releaseJobClaims({ repository: REPO })
    const n = w.assets.length

    const signRun = async (dryRun: boolean, tag: string, pin: string[] = []): Promise<Row> => {
      const release = stack.github.state.createRelease(owner, repo, { tag_name: tag, draft: true })
      const before = stack.counts()
      const { run, standInCpuS } = await timedRun(
        w.name,
        {
          sigstore: 'stack',
          stack,
          claims,
          workspace,
          event: releaseEvent(release, 'created'),
          tsa: false,
          inputs: { files: '*', 'dry-run': String(dryRun) },
        },
        pin,
      )
      const entries = stack.counts().entries - before.entries
      if (entries !== n) problems.push(`${w.name}: expected ${n} log entries, got ${entries}`)
      const verified = dryRun
        ? await countVerifiedFiles(
            stack,
            files,
            run.outputs['bundles-dir'] ?? '',
            identityOf(stack, claims),
          )
        : await countVerifiedBundles(stack, release, identityOf(stack, claims))
      if (verified !== n) problems.push(`${w.name}: ${verified} of ${n} bundles verify`)
      const uploaded = release.assets.filter((a) => digests.get(a.name) === a.digest).length
      if (!dryRun && uploaded !== n)
        problems.push(`${w.name}: ${uploaded} of ${n} files uploaded intact`)
      console.error(`  a${dryRun ? ' (dry run)' : ''}: ${fmt(run.wallMs / 1000, 2)} s`)
      return {
        workload: w.name,
        runner: `a. this action, ${dryRun ? 'dry run' : 'attaching'}${pin.length > 0 ? ', one CPU' : ''}`,
        wallMs: run.wallMs,
        peakRssMb: peakRss(run.rawOutput),
        cpuS: cpuSeconds(run.rawOutput),
        standInCpuS,
        entries,
        verified: `${verified}/${n}`,
        note: `gather phase (find and hash): ${gatherSeconds(run.log)} s`,
      }
    }
    const nodeRun = async (pin: string[] = []): Promise<Row> => {
      const hashed = await measure([
        ...pin,
        process.execPath,
        path.join('scripts', 'bench', 'hash-files.mjs'),
        ...files,
      ])
      const wrong = w.assets.filter(
        (a) => !hashed.stdout.includes(`${digests.get(a.name)}  ${path.join(workspace, a.name)}`),
      )
      if (hashed.exitCode !== 0 || wrong.length > 0)
        problems.push(`${w.name}: Node hashed ${wrong.length} file(s) differently`)
      console.error(`  c: ${fmt(hashed.wallMs / 1000, 2)} s`)
      return {
        workload: w.name,
        runner: `c. SHA-256 alone (Node)${pin.length > 0 ? ', one CPU' : ''}`,
        wallMs: hashed.wallMs,
        peakRssMb: hashed.peakRssMb,
        cpuS: hashed.cpuS,
      }
    }

    const dryRuns: Row[] = []
    const nodeRuns: Row[] = []
    for (let round = 0; round < LOCAL_ROUNDS; round++) {
      nodeRuns.push(await nodeRun())
      dryRuns.push(await signRun(true, `v1.0.0-dry.${round}`))
    }
    const dry = median(dryRuns)
    const node = median(nodeRuns)
    const samples = (rows: Row[]) => rows.map((r) => fmt(r.wallMs / 1000, 2)).join(', ')
    dry.note = `median of ${samples(dryRuns)} s; ${dry.note}`
    node.note = `median of ${samples(nodeRuns)} s`
    const attaching = await signRun(false, 'v1.0.1')
    // The action hashes on one thread per CPU; pinned to one CPU, it shows
    // what a single-CPU runner gets.
    const oneCpu = existsSync(TASKSET)
      ? [await nodeRun([TASKSET, '-c', '0']), await signRun(true, 'v1.0.2', [TASKSET, '-c', '0'])]
      : []

    const mib = totalBytes(w) / 2 ** 20
    const gatherS = Number(/gather phase \(find and hash\): ([\d.]+) s/.exec(dry.note ?? '')?.[1])
    const nodeS = node.wallMs / 1000
    const ratio = `| ${w.name} | ${fmt(node.wallMs / dry.wallMs, 2)} | ${fmt(nodeS / gatherS, 2)} | ${fmt(mib / (dry.wallMs / 1000), 0)} | ${fmt(mib / gatherS, 0)} | ${fmt(mib / nodeS, 0)} | ${fmt(dry.peakRssMb, 0)} |`
    return { rows: [dry, attaching, node, ...oneCpu], ratio }
  } finally {
    rmSync(workspace, { recursive: true, force: true })
    await stack.stop()
  }
}

/** The row with the median wall time (the middle one of an odd count). */
export function median(rows: Row[]): Row {
  const sorted = [...rows].sort((a, b) => a.wallMs - b.wallMs)
  return { ...(sorted[Math.floor(sorted.length / 2)] as Row) }
}

/** The gather phase's time, as the action logs it. */
export function gatherSeconds(log: string): string {
  return /\(Gather the workflow's files: ([\d.]+) s\)/.exec(log)?.[1] ?? '—'
}
