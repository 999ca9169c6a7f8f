// The benchmark: this action against the per-file baseline and against the
// limit (sha256sum and a plain download of the same bytes), on the offline
// stack, one workload family a file under scripts/bench/. Reports figures side by side; fails only when a count is wrong or a
// bundle does not verify, never on a time.
//   npm run bench             the full workloads (minutes, GiB of disk)
//   npm run bench -- --quick  small workloads, for CI
//   npm run bench -- --only large   one workload
import { contentDigest } from '../test/stack/github/content.js'
import { addedCost } from './bench/added-cost.js'
import { coldStart, distSize } from './bench/footprint.js'
import { manifestRun, underGitHubLimits } from './bench/github-limits.js'
import { localFiles } from './bench/local-files.js'
import { bothLogs } from './bench/logs.js'
import { rehearsal } from './bench/rehearsal.js'
import { fmt, problems, type Row } from './bench/run.js'
import { baseline, limits, thisAction } from './bench/throughput.js'
import { FULL, QUICK, totalBytes } from './bench/workloads.js'

const quick = process.argv.includes('--quick')
/** `--only large` runs only the workloads whose name contains that word. */
const only = process.argv[process.argv.indexOf('--only') + 1]
const workloads = (quick ? QUICK : FULL).filter(
  (w) => !process.argv.includes('--only') || w.name.includes(only ?? ''),
)
const rows: Row[] = []

console.log(
  `sign-release benchmark${quick ? ' (quick)' : ''}: ${new Date().toISOString()}, Node ${process.version}`,
)
const ratios: string[] = []
const localRatios: string[] = []
const logRatios: string[] = []
const provenanceRows: string[] = []
const limitRows: string[] = []
for (const w of workloads) {
  const bytes = totalBytes(w)
  console.error(`\n${w.name}: ${(bytes / 2 ** 20).toFixed(0)} MiB in ${w.assets.length} assets`)
  const digests = new Map<string, string>()
  for (const a of w.assets) digests.set(a.name, await contentDigest(a.content))
  if (w.rehearse) {
    const row = await rehearsal(w, digests)
    console.error(`  a (rehearse): ${fmt(row.wallMs / 1000, 2)} s, ${fmt(row.peakRssMb, 0)} MB`)
    rows.push(row)
    continue
  }
  if (w.githubLimits) {
    const paced = await underGitHubLimits(w, w.githubLimits, digests)
    rows.push(paced.row)
    limitRows.push(paced.line)
    continue
  }
  if (w.manifest) {
    const covered = await manifestRun(w, digests)
    rows.push(covered.row)
    limitRows.push(covered.line)
    continue
  }
  if (w.provenance || w.sbom) {
    const cost = await addedCost(w, digests, w.sbom ? 'sbom' : 'provenance')
    rows.push(...cost.rows)
    provenanceRows.push(...cost.table)
    continue
  }
  if (w.logs) {
    const compared = await bothLogs(w, w.logs.batchMs, digests)
    rows.push(...compared.rows)
    logRatios.push(compared.ratio)
    continue
  }
  const a = w.local ? undefined : await thisAction(w, digests)
  if (!a) {
    const local = await localFiles(w, digests)
    rows.push(...local.rows)
    localRatios.push(local.ratio)
    continue
  }
  console.error(`  a: ${fmt(a.wallMs / 1000, 2)} s`)
  if (w.renewal) {
    rows.push(a)
    continue
  }
  const b = await baseline(w, digests)
  console.error(`  b: ${fmt(b.wallMs / 1000, 2)} s`)
  const [sha, nodeSha, dl] = await limits(w, digests)
  console.error(
    `  c: ${fmt((sha?.wallMs ?? 0) / 1000, 2)} s, ${fmt((nodeSha?.wallMs ?? 0) / 1000, 2)} s, ${fmt((dl?.wallMs ?? 0) / 1000, 2)} s`,
  )
  rows.push(a, b, ...(sha && nodeSha && dl ? [sha, nodeSha, dl] : []))
  const slowerLimit = Math.max(sha?.wallMs ?? 0, dl?.wallMs ?? 0)
  const mib = bytes / 2 ** 20
  ratios.push(
    `| ${w.name} | ${fmt(a.wallMs / b.wallMs, 3)} | ${fmt((a.standInCpuS ?? 0) / (b.wallMs / 1000), 3)} | ${fmt(a.wallMs / (sha?.wallMs ?? 1), 2)} | ${fmt(a.wallMs / (dl?.wallMs ?? 1), 2)} | ${fmt((nodeSha?.wallMs ?? 0) / (dl?.wallMs ?? 1), 2)} | ${fmt(mib / (a.wallMs / 1000), 0)} | ${fmt(mib / (slowerLimit / 1000), 0)} |`,
  )
}

console.log(
  '\n| workload | runner | wall (s) | CPU (s) | stand-in CPU (s) | peak RSS (MB) | tokens | certificates | log entries | bundles | GitHub API requests per asset (first run / re-run) | note |',
)
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|')
for (const r of rows) {
  console.log(
    `| ${r.workload} | ${r.runner} | ${fmt(r.wallMs / 1000, 2)} | ${fmt(r.cpuS, 2)} | ${r.standInCpuS === undefined ? '' : fmt(r.standInCpuS, 2)} | ${fmt(r.peakRssMb, 0)} | ${r.tokens ?? ''} | ${r.certificates ?? ''} | ${r.entries ?? ''} | ${r.verified ?? ''} | ${r.apiPerAsset ?? ''} | ${r.note ?? ''} |`,
  )
}
if (ratios.length > 0)
  console.log(
    '\n| workload | a/b wall | a/b floor here (stand-in CPU in a / b wall) | a/sha256sum wall | a/download wall | Node SHA-256 alone / download | a throughput (MiB/s) | slower of sha256sum and download (MiB/s) |',
  )
if (ratios.length > 0) console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
for (const line of ratios) console.log(line)
if (localRatios.length > 0) {
  console.log(
    '\n| workload | Node SHA-256 alone / a (dry run), whole run | Node SHA-256 alone / a, gather phase | a whole run (MiB/s) | a gather phase (MiB/s) | Node SHA-256 alone (MiB/s) | a (dry run) peak RSS (MB) |',
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|')
  for (const line of localRatios) console.log(line)
}
if (logRatios.length > 0) {
  console.log(
    "\n| workload | Rekor v1 wall (s) | Rekor v2 wall (s) | v2 / v1 | v2 sign phase (s) | v2 entries | v2 bundles | the action's CPU per asset, v1 without / with timestamps (ms) | a timestamp's CPU per asset (ms) |",
  )
  console.log('|---|---:|---:|---:|---:|---:|---|---:|---:|')
  for (const line of logRatios) console.log(line)
}
if (provenanceRows.length > 0) {
  console.log(
    '\n| workload | run | tokens (without / with the provenance, or one SBOM) | certificates | log entries | GitHub requests | wall (s) |',
  )
  console.log('|---|---|---|---|---|---|---|')
  for (const line of provenanceRows) console.log(line)
}
if (limitRows.length > 0) {
  console.log(
    "\n| workload | writes to GitHub | secondary-limit answers | log entries | first to last write (s) | floor GitHub's limits set (s) | writes / floor | whole run (s) |",
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
  for (const line of limitRows) console.log(line)
}
console.log(`\nCold start to first log line (median of 7): ${fmt(await coldStart(), 0)} ms`)
console.log(`dist/ without source maps: ${fmt(distSize() / 1e6, 2)} MB`)

if (problems.length > 0) {
  console.error(`\nBenchmark checks failed:\n${problems.join('\n')}`)
  process.exit(1)
}
console.log(
  '\nChecks: every run of this action used 1 token and 1 certificate (the renewal run: a fresh token per certificate), 1 log entry per asset and 1 for the provenance, and every bundle verifies. The provenance added no token or certificate, at most 1 log entry, and at most 3 GitHub requests to a first run or a re-run with nothing to do. One SBOM added no token or certificate, 2 log entries to a first run and none to a re-run with the same SBOM.',
)
