// The step summary: the page read after every run. Its first line tells the
// outcome (signed, failed, nothing to do, dry run); a failure says what to do
// next and which release files were not written; each file's row gives its
// status once, with the cause in a few words; and the commands are the ones
// a consumer pastes, for the instance and shell at hand. Pure: HTML as
// GitHub renders it (names, tags and identities are escaped; they come from
// outside, and a branch name can hold anything).
import { INSTANCES } from '../../sigstore/instances.js'
import { describeServices, type Services } from '../../sigstore/signing-config.js'
import { escapeHtml } from '../../util/html.js'
import type { AssetResult } from '../run/results.js'
import {
  type CommandFacts,
  checksumCommands,
  cosignCommand,
  githubReleaseCommands,
  provenanceCommands,
  sbomCommands,
  sigstorePythonCommand,
  trustedRootNote,
  verifyReleaseCommand,
} from './consumer-commands.js'

/** Rows shown before the rest collapse: a release of 900 files stays readable, and under 1 MiB. */
export const ROWS_SHOWN = 25

export interface SummaryFacts extends CommandFacts {
  mode: 'real' | 'dry-run'
  results: AssetResult[]
  /** Release files the run was asked for but did not write, with why. */
  notWritten: { name: string; why: string }[]
  /** The draft was not published as asked. */
  leftDraft: boolean
  services: Services
  bundlesDir: string
  /** The dry run's workflow artifact. */
  artifact: string
  /** The provenance's attestation on GitHub, when this run stored one. */
  attestation?: { url: string }
}

/** One word per outcome, as `results` says it. */
const CHANGED = new Set(['signed', 'replaced', 'covered'])

export function stepSummaryHtml(f: SummaryFacts): string {
  const failed = f.results.filter(
    (r) => r.status === 'failed' && r.source !== 'provenance' && r.source !== 'github',
  ).length
  const parts = [heading(f, failed)]
  if (failed > 0 || f.notWritten.length > 0) parts.push(nextSteps(f, failed))
  if (f.mode === 'dry-run') parts.push(dryRunNote(f))
  parts.push(table(f), digests(f.results), services(f.services))
  if (f.results.some((r) => r.status !== 'failed')) parts.push(commands(f))
  return parts.filter((p) => p !== '').join('\n')
}

/** The outcome at a glance, counted in files (the provenance is the release's, not a file's). */
function heading(f: SummaryFacts, failed: number): string {
  const tag = escapeHtml(f.tag)
  const files = f.results.filter((r) => r.source !== 'provenance' && r.source !== 'github')
  const changed = files.filter((r) => CHANGED.has(r.status)).length
  const n = (count: number) => `${count} file${count === 1 ? '' : 's'}`
  const dry = f.mode === 'dry-run' ? 'Dry run of ' : ''
  let text: string
  if (failed > 0) text = `❌ ${dry}${tag}: ${failed} of ${n(files.length)} failed`
  else if (f.notWritten.length > 0)
    text = `❌ ${dry}${tag}: ${f.notWritten.map((x) => escapeHtml(x.name)).join(', ')} not written`
  else if (f.mode === 'dry-run')
    text = `🧪 Dry run of ${tag}: ${n(changed)} signed and verified, nothing attached`
  else if (changed === 0 && !f.results.some((r) => CHANGED.has(r.status)))
    text = `✅ ${tag}: nothing to do, ${files.length === 1 ? 'its one file is' : `all ${n(files.length)} are`} already signed`
  else {
    const already = files.length - changed
    text = `✅ Signed ${tag}: ${n(changed)}${already > 0 ? `, and ${already} already signed` : ''}`
  }
  return `<h2>${text}</h2>`
}

function nextSteps(f: SummaryFacts, failed: number): string {
  const items = f.notWritten.map(
    (x) => `<li><code>${escapeHtml(x.name)}</code> was not written: ${escapeHtml(x.why)}</li>`,
  )
  const draft = f.leftDraft ? ' The release was left a draft; the re-run publishes it.' : ''
  const rerun =
    failed > 0
      ? `<p><strong>Next:</strong> fix the cause in the table below, then re-run the job. A re-run resumes: every bundle that verifies is kept, and only what is missing is signed.${draft}</p>`
      : `<p><strong>Next:</strong> re-run the job once the cause below is fixed; every file's bundle is in place and is kept.${draft}</p>`
  return `${rerun}${items.length > 0 ? `<ul>${items.join('')}</ul>` : ''}`
}

function dryRunNote(f: SummaryFacts): string {
  return (
    `<p>Nothing was attached to the release. The bundles are in the workflow artifact <code>${escapeHtml(f.artifact)}</code>` +
    ` and in <code>bundles-dir</code> (<code>${escapeHtml(f.bundlesDir)}</code>) for later steps of this job.` +
    ' Their transparency-log entries are real: public and permanent on Sigstore&#39;s instances.</p>'
  )
}

function table(f: SummaryFacts): string {
  // Failures first: they are what the reader has to act on.
  const rows = [
    ...f.results.filter((r) => r.status === 'failed'),
    ...f.results.filter((r) => r.status !== 'failed'),
  ].map((r) => row(f, r))
  const head = '<tr><th>File</th><th>Status</th><th>SHA-256</th><th>Transparency log</th></tr>'
  const shown = `<table>${head}${rows.slice(0, ROWS_SHOWN).join('')}</table>`
  if (rows.length <= ROWS_SHOWN) return shown
  const rest = rows.slice(ROWS_SHOWN)
  return `${shown}\n<details><summary>${rest.length} more</summary><table>${head}${rest.join('')}</table></details>`
}

function row(f: SummaryFacts, r: AssetResult): string {
  const status =
    r.status === 'failed'
      ? `failed: ${escapeHtml(r.cause ?? r.error?.split('\n')[0] ?? '')}`
      : r.status === 'foreign'
        ? `foreign (${escapeHtml(r.signer ?? 'another identity')})`
        : r.status
  // A digest only where this run computed or checked it: never a failed file's listed one.
  const digest = r.status === 'failed' || !r.sha256 ? '—' : `<code>${r.sha256.slice(0, 12)}…</code>`
  return `<tr><td>${escapeHtml(r.name)}</td><td>${status}</td><td>${digest}</td><td>${logLink(f, r.logIndex)}</td></tr>`
}

/** Every digest in full, as sha256sum writes them, folded away. */
function digests(results: AssetResult[]): string {
  const lines = results
    .filter((r) => r.status !== 'failed' && r.sha256)
    .map((r) => `${r.sha256}  ${escapeHtml(r.name)}`)
  if (lines.length === 0) return ''
  return `<details><summary>SHA-256 of every file</summary><pre><code>${lines.join('\n')}</code></pre></details>`
}

function services(s: Services): string {
  const items = describeServices(s).map((line) => `<li>${escapeHtml(line)}</li>`)
  return `<details><summary>Sigstore services</summary><ul>${items.join('')}</ul></details>`
}

function logLink(f: SummaryFacts, logIndex: string | null): string {
  if (logIndex === null || logIndex === '') return '—'
  // The search page covers the instance's Rekor v1 log only.
  const instance = f.sigstore.instance
  if (instance === 'custom' || f.services.logs[0]?.version !== 1) return logIndex
  return `<a href="${INSTANCES[instance].searchUrl}/?logIndex=${logIndex}">${logIndex}</a>`
}

function commands(f: SummaryFacts): string {
  const lang = f.shell === 'pwsh' ? 'powershell' : 'sh'
  const block = (code: string) => `<pre lang="${lang}"><code>${escapeHtml(code)}</code></pre>`
  const ok = (r: AssetResult) => r.status !== 'failed'
  const manifest = f.results.find((r) => r.source === 'checksums' && ok(r))
  const file = f.results.find(
    (r) => r.source !== 'provenance' && r.source !== 'checksums' && !r.predicateType && ok(r),
  )
  const provenance = f.results.find(
    (r) => r.source === 'provenance' && ['signed', 'replaced', 'unchanged'].includes(r.status),
  )
  const out = [
    `<h3>Verify</h3>`,
    `<p>Identity: <code>${escapeHtml(f.identity)}</code>, issuer <code>${escapeHtml(f.issuer)}</code>.</p>`,
  ]
  if (f.mode === 'real') {
    out.push(
      '<p>The whole release, every file and the provenance, with this project&#39;s CLI:</p>',
    )
    out.push(block(verifyReleaseCommand(f)))
  }
  const note = trustedRootNote(f)
  if (manifest) {
    out.push(
      `<p>Any files you downloaded, against the signed <code>${escapeHtml(manifest.name)}</code>:</p>`,
    )
    out.push(block(cosignCommand(f, manifest.name, manifest.bundle)))
    for (const c of checksumCommands(f, manifest.name)) out.push(block(c))
  }
  if (file && file.status !== 'covered') {
    out.push(`<p>One file and its bundle, with cosign or sigstore-python:</p>`)
    out.push(block(cosignCommand(f, file.name, file.bundle)))
    const python = sigstorePythonCommand(f, file.name, file.bundle)
    if (python) out.push(block(python))
  }
  if (provenance && file) {
    const stored = f.attestation !== undefined
    out.push(
      `<p>The SLSA provenance, <code>${escapeHtml(provenance.name)}</code>${
        stored
          ? `, also stored as <a href="${escapeHtml(f.attestation?.url ?? '')}">an attestation on GitHub</a>`
          : ''
      }:</p>`,
    )
    for (const c of provenanceCommands(f, file.name, provenance.name, stored)) out.push(block(c))
  }
  for (const sbom of f.results.filter((r) => r.source === 'sbom' && r.predicateType && ok(r))) {
    const described = sbom.describes?.[0]
    if (!described || !sbom.predicateType || sbom.status === 'foreign') continue
    out.push(
      `<p>The SBOM attestation <code>${escapeHtml(sbom.name)}</code> (${escapeHtml(sbom.predicateType)}), over ${sbom.describes?.length} file(s):</p>`,
    )
    for (const c of sbomCommands(f, described, sbom.name, sbom.predicateType)) out.push(block(c))
  }
  const github = f.results.find((r) => r.source === 'github' && r.status === 'verified')
  if (github && file) {
    out.push(
      `<p>GitHub's own release attestation of the immutable release, over all ${github.covers} files, with <code>gh</code>:</p>`,
    )
    for (const c of githubReleaseCommands(f, file.name)) out.push(block(c))
  }
  if (note) out.push(`<p>${escapeHtml(note)}</p>`)
  return out.join('\n')
}
