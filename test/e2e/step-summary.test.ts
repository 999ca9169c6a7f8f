// The step summary each kind of run writes, read from the file the runner
// collects: its first line tells the outcome, a failure says what to do next,
// each file's status is said once, and the commands fit the run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from '../stack/index.js'
import { releaseJobClaims } from '../support/claims.js'
import { identityOf, releaseEvent, seedRelease } from '../support/fixtures.js'
import { runAction } from '../support/runner.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(async () => {
  await stack.stop()
})

const ASSETS = {
  'mytool-1.4.2.tar.gz': 'sdist',
  'mytool-1.4.2-py3-none-any.whl': 'wheel',
  'mytool-linux-amd64': 'linux',
  'mytool-darwin-arm64': 'darwin',
}

/** The summary as a reader copies it: entities decoded. */
function text(html: string): string {
  return html.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&')
}

async function release(repository: string) {
  const claims = releaseJobClaims({ repository })
  const seeded = await seedRelease(stack, { claims, assets: ASSETS })
  const sign = (inputs: Record<string, string> = {}, env: Record<string, string> = {}) =>
    runAction({
      sigstore: 'stack',
      stack,
      claims,
      event: releaseEvent(seeded),
      inputs: { checksums: 'SHA256SUMS', ...inputs },
      env,
    })
  return { claims, release: seeded, sign, identity: identityOf(stack, claims) }
}

describe('the step summary', () => {
  it('all signed: the count, every digest in full, and the commands for this release', async () => {
    const { release: r, sign, identity } = await release('octo-org/summary-signed')
    const run = await sign()
    expect(run.exitCode, run.log).toBe(0)
    const summary = text(run.summary)
    expect(summary.split('\n')[0]).toBe('<h2>✅ Signed v1.0.0: 5 files</h2>')
    expect(summary).not.toContain('failed')
    expect(summary).not.toContain('Next:')
    // The digest list holds every file's SHA-256 in full, as sha256sum writes it.
    for (const a of r.assets.filter((x) => !x.name.endsWith('.json'))) {
      expect(summary).toContain(`${a.digest}  ${a.name}`)
    }
    expect(summary).toContain(
      `npx sign-release verify-release --repo 'octo-org/summary-signed' --tag 'v1.0.0' \\\n  --certificate-identity '${identity}'`,
    )
    expect(summary).toContain("sha256sum -c --ignore-missing 'SHA256SUMS'")
    expect(summary).toContain("shasum -a 256 -c --ignore-missing 'SHA256SUMS'")
    // The stored attestation, linked on GitHub.
    const id = stack.github.state.attestations.at(-1)?.id
    expect(summary).toContain(
      `<a href="https://github.com/octo-org/summary-signed/attestations/${id}">an attestation on GitHub</a>`,
    )
    // A custom instance: every command names the trusted root, and says where it comes from.
    expect(summary).toContain('--trusted-root trusted_root.json')
    expect(summary).toContain('trusted_root.json is the trusted root of the Sigstore instance')
    // No line of a command runs off GitHub's column (its longest words are the identity and URLs).
    const code = [...summary.matchAll(/<code>([^<]*)<\/code><\/pre>/g)].map((m) => m[1] ?? '')
    for (const line of code.join('\n').split('\n'))
      expect(line.replace(identity, 'I').length, line).toBeLessThanOrEqual(100)
  })

  it('some failed: the count, what to do next, what was not written, and each cause in a few words', async () => {
    const { sign } = await release('octo-org/summary-failed')
    stack.servers.storage.fail({
      path: /mytool-1\.4\.2-py3-none-any\.whl/,
      fault: { kind: 'status', status: 500 },
      times: 100,
    })
    const run = await sign()
    stack.servers.storage.clearFaults()
    expect(run.exitCode).toBe(1)
    const summary = text(run.summary)
    expect(summary.split('\n')[0]).toBe('<h2>❌ v1.0.0: 1 of 4 files failed</h2>')
    expect(summary).toContain(
      '<strong>Next:</strong> fix the cause in the table below, then re-run the job. A re-run resumes: every bundle that verifies is kept',
    )
    expect(summary).toContain('<code>SHA256SUMS</code> was not written: a file failed')
    expect(summary).toContain(
      '<code>summary-failed-v1.0.0.intoto.jsonl</code> was not written: a file failed',
    )
    // The failed row first, its status once, its cause without the server's page; no digest.
    expect(summary).toMatch(
      /<tr><th>File<\/th>.*?<\/tr><tr><td>mytool-1\.4\.2-py3-none-any\.whl<\/td><td>failed: HTTP 500 from 127\.0\.0\.1:\d+ after 4 attempts<\/td><td>—<\/td>/,
    )
    expect(summary).not.toContain('injected')
    expect(summary).not.toMatch(/\d+ {2}mytool-1\.4\.2-py3-none-any\.whl/)
  })

  it('nothing to do: a re-run that keeps everything says so, in the words results uses', async () => {
    const { sign } = await release('octo-org/summary-nothing')
    expect((await sign()).exitCode).toBe(0)
    const again = await sign()
    expect(again.exitCode, again.log).toBe(0)
    const summary = text(again.summary)
    expect(summary.split('\n')[0]).toBe(
      '<h2>✅ v1.0.0: nothing to do, all 5 files are already signed</h2>',
    )
    const statuses = JSON.parse(again.outputs.results ?? '[]').map(
      (r: { status: string }) => r.status,
    )
    expect(new Set(statuses)).toEqual(new Set(['unchanged']))
    expect(summary).not.toMatch(/<td>(kept|signed)<\/td>/)
  })

  it('a dry run: where the bundles are, that the log entries are public, and no release-wide command', async () => {
    const { sign } = await release('octo-org/summary-dry')
    const run = await sign({ 'dry-run': 'true' })
    expect(run.exitCode, run.log).toBe(0)
    const summary = text(run.summary)
    expect(summary.split('\n')[0]).toBe(
      '<h2>🧪 Dry run of v1.0.0: 5 files signed and verified, nothing attached</h2>',
    )
    expect(summary).toContain('the workflow artifact <code>sigstore-bundles-v1.0.0</code>')
    expect(summary).toContain(`<code>${run.outputs['bundles-dir']}</code>`)
    expect(summary).toContain('public and permanent')
    expect(summary).not.toContain('verify-release')
  })

  it('on a Windows runner, the commands are PowerShell', async () => {
    const { sign, identity } = await release('octo-org/summary-windows')
    const run = await sign({}, { RUNNER_OS: 'Windows' })
    expect(run.exitCode, run.log).toBe(0)
    const summary = text(run.summary)
    expect(summary).toContain('<pre lang="powershell">')
    expect(summary).not.toContain('<pre lang="sh">')
    expect(summary).toContain(
      `npx sign-release verify-release --repo 'octo-org/summary-windows' --tag 'v1.0.0' \`\n  --certificate-identity '${identity}'`,
    )
    expect(summary).toContain("Get-Content 'SHA256SUMS' | ForEach-Object {")
    expect(summary).toContain('Get-FileHash -LiteralPath $name -Algorithm SHA256')
  })

  it('a release of many files: the first rows, and the rest folded away', async () => {
    const claims = releaseJobClaims({ repository: 'octo-org/summary-many' })
    const assets = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`part-${i}.bin`, `part ${i}`]),
    )
    const seeded = await seedRelease(stack, { claims, assets })
    const run = await runAction({ sigstore: 'stack', stack, claims, event: releaseEvent(seeded) })
    expect(run.exitCode, run.log).toBe(0)
    // 40 files and the provenance: 25 rows shown, 16 folded.
    expect(run.summary).toContain('<details><summary>16 more</summary>')
    const shown = run.summary.split('<details><summary>16 more</summary>')[0] ?? ''
    expect(shown.match(/<tr><td>/g)).toHaveLength(25)
  })
})
