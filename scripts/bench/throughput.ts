// Throughput: this action (a) against the per-file baseline (b) and against
// the limit (c: sha256sum, Node's SHA-256 alone, a plain download of the same bytes).
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { contentStream } from '../../test/stack/github/content.js'
import { identityOf, releaseEvent } from '../../test/support/fixtures.js'
import { runAction } from '../../test/support/runner.js'
import { cpuSeconds, measure, peakRss } from './measure.js'
import { cpuSince, fmt, githubRequests, problems, REPO, type Row, seed, timedRun } from './run.js'
import { countVerifiedBundles } from './verify.js'
import type { Workload } from './workloads.js'

export async function thisAction(w: Workload, digests: Map<string, string>): Promise<Row> {
  const { stack, release, claims } = await seed(w, digests)
  try {
    const { run, standInCpuS } = await timedRun(w.name, {
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      tsa: false,
    })
    const counts = stack.counts()
    const verified = await countVerifiedBundles(stack, release, identityOf(stack, claims))
    const n = w.assets.length
    const firstApi = githubRequests(stack)
    const rerun = await runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(release),
      tsa: false,
    })
    if (rerun.exitCode !== 0)
      problems.push(`${w.name}: the re-run failed:\n${rerun.log.slice(-2000)}`)
    if (stack.counts().entries !== counts.entries)
      problems.push(
        `${w.name}: the re-run wrote ${stack.counts().entries - counts.entries} log entries`,
      )
    const rerunApi = githubRequests(stack) - firstApi
    const apiPerAsset = `${fmt(firstApi / n, 3)} / ${fmt(rerunApi / n, 3)}`
    if (w.renewal) {
      if (counts.certificates < 2 || counts.tokens !== counts.certificates) {
        problems.push(
          `${w.name}: expected renewals with a fresh token each, got ${counts.certificates} certificates and ${counts.tokens} tokens`,
        )
      }
    } else if (counts.tokens !== 1 || counts.certificates !== 1) {
      problems.push(
        `${w.name}: expected 1 token and 1 certificate, got ${counts.tokens} and ${counts.certificates}`,
      )
    }
    // One per asset, and one for the provenance.
    if (counts.entries !== n + 1)
      problems.push(`${w.name}: expected ${n + 1} log entries, got ${counts.entries}`)
    if (verified !== n) problems.push(`${w.name}: ${verified} of ${n} bundles verify`)
    return {
      workload: w.name,
      runner: 'a. this action',
      wallMs: run.wallMs,
      peakRssMb: peakRss(run.rawOutput),
      cpuS: cpuSeconds(run.rawOutput),
      standInCpuS,
      ...counts,
      verified: `${verified}/${n}`,
      apiPerAsset,
    }
  } finally {
    await stack.stop()
  }
}

export async function baseline(w: Workload, digests: Map<string, string>): Promise<Row> {
  const { stack, release, claims } = await seed(w, digests)
  try {
    const cpu = process.cpuUsage()
    const result = await measure(
      [process.execPath, '--import', 'tsx', path.join('scripts', 'bench', 'baseline.ts')],
      {
        ...process.env,
        BASELINE_API_URL: stack.github.urls.api,
        BASELINE_REPOSITORY: REPO,
        BASELINE_RELEASE_ID: String(release.id),
        BASELINE_GITHUB_TOKEN: stack.github.token,
        BASELINE_FULCIO_URL: stack.fulcio.server.url,
        BASELINE_REKOR_URL: stack.rekor.server.url,
        ACTIONS_ID_TOKEN_REQUEST_URL: stack.oidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: stack.oidc.registerJob(claims),
      },
    )
    const standInCpuS = cpuSince(cpu)
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as {
      signed?: number
      failed?: { name: string; error: string }[]
    }
    const failed = summary.failed ?? []
    const note = failed.length
      ? `${failed.length} failed: ${failed[0]?.error.slice(0, 90)}`
      : result.exitCode !== 0
        ? `exit ${result.exitCode}: ${
            result.stderr
              .split('\n')
              .find((l) => /error/i.test(l))
              ?.slice(0, 90) ?? ''
          }`
        : undefined
    return {
      workload: w.name,
      runner: 'b. per-file baseline',
      wallMs: result.wallMs,
      peakRssMb: result.peakRssMb,
      cpuS: result.cpuS,
      standInCpuS,
      ...stack.counts(),
      verified: `${summary.signed ?? 0}/${w.assets.length} signed`,
      note,
    }
  } finally {
    await stack.stop()
  }
}

export async function limits(w: Workload, digests: Map<string, string>): Promise<Row[]> {
  const { stack, release } = await seed(w, digests)
  const dir = mkdtempSync(path.join(tmpdir(), 'sign-release-bench-'))
  try {
    const config = path.join(dir, 'curl.conf')
    writeFileSync(
      config,
      release.assets
        .map(
          (a) =>
            `url = "${stack.github.storage.presign(a.content, a.name)}"\noutput = "/dev/null"\n`,
        )
        .join(''),
    )
    const cpu = process.cpuUsage()
    const download = await measure([
      'curl',
      '-sSf',
      '--parallel',
      '--parallel-max',
      '4',
      '-K',
      config,
    ])
    const downloadStandInCpuS = cpuSince(cpu)
    if (download.exitCode !== 0)
      problems.push(`${w.name}: curl failed: ${download.stderr.slice(0, 300)}`)

    const files: string[] = []
    for (const a of release.assets) {
      const file = path.join(dir, a.name)
      await pipeline(contentStream(a.content), createWriteStream(file))
      files.push(file)
    }
    const hashed = await measure(['sha256sum', ...files])
    const nodeHashed = await measure([
      process.execPath,
      path.join('scripts', 'bench', 'hash-files.mjs'),
      ...files,
    ])
    for (const [tool, result] of [
      ['sha256sum', hashed],
      ['Node', nodeHashed],
    ] as const) {
      const wrong = release.assets.filter(
        (a) => !result.stdout.includes(`${digests.get(a.name)}  ${path.join(dir, a.name)}`),
      )
      if (result.exitCode !== 0 || wrong.length > 0)
        problems.push(`${w.name}: ${tool} hashed ${wrong.length} asset(s) differently`)
    }
    return [
      {
        workload: w.name,
        runner: 'c. sha256sum',
        wallMs: hashed.wallMs,
        peakRssMb: hashed.peakRssMb,
        cpuS: hashed.cpuS,
      },
      {
        workload: w.name,
        runner: 'c. SHA-256 alone (Node)',
        wallMs: nodeHashed.wallMs,
        peakRssMb: nodeHashed.peakRssMb,
        cpuS: nodeHashed.cpuS,
      },
      {
        workload: w.name,
        runner: 'c. plain download (curl)',
        wallMs: download.wallMs,
        peakRssMb: download.peakRssMb,
        cpuS: download.cpuS,
        standInCpuS: downloadStandInCpuS,
      },
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
    await stack.stop()
  }
}
