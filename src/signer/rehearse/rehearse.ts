// A rehearsal (rehearse: true): the whole job runs against a scratch draft
// copy of the release (rehearsal-copy.ts), the copy is then checked as a
// consumer would check it, and deleted, whether the rehearsal passed or not.
// The release itself is only read.
import path from 'node:path'
import { info, setOutput, summary } from '@actions/core'
import { describeError, UserError } from '../../errors.js'
import type { Release, ReleaseApi } from '../../github/types.js'
import { DEFAULT_MANIFEST } from '../../release-names.js'
import type { CertificateIdentity } from '../../sigstore/certificate-identity.js'
import type { BundleVerifier } from '../../sigstore/verify/bundle-verifier.js'
import { escapeHtml } from '../../util/html.js'
import { verifyRelease } from '../../verifier/check-release.js'
import { verdictLine } from '../../verifier/verdict.js'
import { provenanceFor } from '../plan/provenance-on-release.js'
import { phase } from '../run/phase.js'
import type { AssetResult } from '../run/results.js'
import type { RunContext } from '../setup/context.js'
import type { RunInputs } from '../setup/inputs.js'
import type { Signer } from '../setup/signing-identity.js'
import { endRehearsal, startRehearsal } from './rehearsal-copy.js'

/** What a rehearsal needs of the run: its setup, and the run itself against another release. */
export interface RehearsalJob {
  api: ReleaseApi
  inputs: RunInputs
  ctx: RunContext
  repo: string
  signer: Signer
  /** Signs a release as the run would (publishing only checked), and returns the results. */
  signRelease: (release: Release, publish: 'check' | 'no') => Promise<AssetResult[]>
}

/**
 * rehearse: true. The whole job against a scratch draft copy of the release,
 * the copy checked as a consumer would check it, then deleted: the release
 * itself is only read.
 */
export async function rehearse(job: RehearsalJob, release: Release): Promise<void> {
  const { api, inputs, ctx, signer } = job
  const provenance = provenanceFor(inputs, ctx.repo, release.tagName)
  let passed = false
  let why = ''
  let results: AssetResult[] = []
  let copy: Release | undefined
  try {
    copy = await phase('Rehearsal: copy the release to a scratch draft', () =>
      startRehearsal(api, release, {
        run: ctx.run,
        runUrl: `${ctx.serverUrl}/${job.repo}/actions/runs/${ctx.run.runId}`,
        patterns: inputs.assetPatterns,
        wholeRelease: inputs.publish && inputs.assetPatterns.length === 0,
        manifest: inputs.checksums,
        provenance,
        bundleSuffix: inputs.bundleSuffix,
        scratchDir: path.join(ctx.runnerTemp, 'sign-release', 'rehearsal'),
      }),
    )
    // The real release's immutability applies: where it refuses, so does the rehearsal.
    const target = { ...copy, immutable: release.immutable }
    results = await job.signRelease(target, inputs.publish && release.draft ? 'check' : 'no')
    const scratch = copy
    await phase('Rehearsal: check the copy as a consumer would', () =>
      checkCopy(api, scratch, signer.verifier, signer.identity, {
        bundleSuffix: inputs.bundleSuffix,
        checksums: inputs.checksums ?? DEFAULT_MANIFEST,
        provenance: provenance ?? '',
        provenanceWritten: results.some(
          (r) =>
            r.source === 'provenance' && ['signed', 'replaced', 'unchanged'].includes(r.status),
        ),
      }),
    )
    passed = true
  } catch (error) {
    why = describeError(error)
    throw new UserError(`Rehearsal failed; the release was not changed. ${why}`, {
      cause: error,
    })
  } finally {
    const scratch = copy
    if (scratch) await phase('Rehearsal: delete the copy', () => endRehearsal(api, scratch))
    await reportRehearsal(
      { tag: release.tagName, passed, why, results, wouldPublish: inputs.publish && release.draft },
      ctx.hasStepSummary,
    )
  }
}

/**
 * Checks the copy as `verify-release` would, for this run's identity, and
 * throws naming every asset that does not verify.
 */
export async function checkCopy(
  api: ReleaseApi,
  copy: Release,
  verifier: BundleVerifier,
  policy: CertificateIdentity,
  o: {
    bundleSuffix: string
    /** The checksums manifest, which covers every file under bundles: manifest. */
    checksums: string
    /** The provenance's name: checked when the copy has it, */
    provenance: string
    /** and required when the run wrote or kept it. */
    provenanceWritten: boolean
  },
): Promise<void> {
  const verdicts = await verifyRelease(api, copy, verifier, {
    patterns: ['*'],
    bundleSuffix: o.bundleSuffix,
    checksums: o.checksums,
    policy,
    concurrency: 8,
    provenance: o.provenance,
    requireProvenance: o.provenanceWritten,
  })
  for (const v of verdicts) info(verdictLine(v))
  const bad = verdicts.filter((v) => v.status !== 'ok')
  if (bad.length > 0) {
    throw new UserError(
      `The rehearsal's copy does not verify for ${policy.subjectAlternativeName}: ` +
        bad.map(verdictLine).join('; '),
    )
  }
}

/** The rehearsal's verdict: the output, the log's last word, and the step summary. */
export async function reportRehearsal(
  r: { tag: string; passed: boolean; why: string; results: AssetResult[]; wouldPublish: boolean },
  stepSummary: boolean,
): Promise<void> {
  setOutput('rehearsal', r.passed ? 'passed' : 'failed')
  const files = r.results.filter((x) => x.source !== 'provenance')
  const provenance = r.results.find((x) => x.source === 'provenance')
  const count = (status: string) => files.filter((x) => x.status === status).length
  const signed = count('signed') + count('replaced')
  const doing = [
    `sign ${signed} file(s)`,
    `replace ${count('replaced')} bundle(s)`,
    `keep ${count('unchanged') + count('foreign')}`,
    `attach ${signed} bundle(s)`,
    ...(provenance
      ? [
          `${provenance.status === 'unchanged' || provenance.status === 'foreign' ? 'keep' : 'write'} ${provenance.name}`,
        ]
      : []),
    r.wouldPublish ? 'and publish the release' : 'and not publish the release',
  ].join(', ')
  const line = r.passed
    ? `Rehearsal passed: a real run would ${doing}.`
    : 'Rehearsal failed: the error below says why. The release was not changed.'
  const log = `The rehearsal's ${signed} signature(s) are real entries in the transparency log (public and permanent on Sigstore's instances); the scratch copy was deleted.`
  info(log)
  info(line)
  if (!stepSummary) return
  const tag = escapeHtml(r.tag)
  const heading = r.passed
    ? `✅ Rehearsal of ${tag} passed: a real run would sign ${signed} file${signed === 1 ? '' : 's'}`
    : `❌ Rehearsal of ${tag} failed`
  const reason = r.passed
    ? `<p>${escapeHtml(line)}</p>`
    : `<p>The release was not changed. Why:</p><pre><code>${escapeHtml(r.why.split('\n').slice(0, 12).join('\n'))}</code></pre>`
  await summary.addRaw(`<h2>${heading}</h2>\n${reason}\n<p>${escapeHtml(log)}</p>`, true).write()
}
