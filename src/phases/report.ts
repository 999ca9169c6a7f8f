// Phase 5: the outputs, the log table, and the step summary with the exact
// commands a consumer runs to verify.
import { info, setOutput, summary } from '@actions/core'
import { listedSha256, type Release } from '../github/types.js'
import type { CertificateIdentity } from '../sigstore/identity.js'
import { INSTANCES } from '../sigstore/instances.js'
import type { SigstoreInputs } from '../sigstore/options.js'
import { describeServices, type Services } from '../sigstore/signing-config.js'
import type { SubjectSource } from './gather.js'
import type { PlanItem } from './plan.js'

/**
 * `kept` is the provenance file's own: it already covered exactly these
 * files. `covered`: under bundles: manifest, hashed and listed in the signed
 * checksums manifest, whose bundle is `bundle`.
 */
export type ResultStatus =
  | 'signed'
  | 'replaced'
  | 'unchanged'
  | 'foreign'
  | 'failed'
  | 'kept'
  | 'covered'

export interface AssetResult {
  name: string
  /** Where it came from: release, file, source-archive or checksums; or the provenance file. */
  source: SubjectSource | 'provenance'
  size: number
  sha256: string
  bundle: string
  status: ResultStatus
  logIndex: string | null
  /** Why the asset failed, for status `failed`. */
  error?: string
  /** Who signed a kept bundle, for status `foreign`. */
  signer?: string
}

export interface Report {
  release: Release
  /** owner/repo, for the commands a consumer runs. */
  repo: string
  results: AssetResult[]
  bundlesDir: string
  identity: CertificateIdentity
  sigstore: SigstoreInputs
  /** The services the bundles are made with. */
  services: Services
  dryRun: boolean
  /** Write the step summary (only where the runner collects one). */
  stepSummary: boolean
}

/** The result for a planned asset; `signed` is its attached (or, on a dry run, kept) bundle. */
export function resultFor(
  item: PlanItem,
  signed: { sha256: string; logIndex?: string } | undefined,
  error?: string,
): AssetResult {
  const listed =
    item.digest?.toString('hex') ?? (item.asset ? listedSha256(item.asset) : undefined) ?? ''
  const base = { name: item.name, source: item.source, size: item.size, bundle: item.bundleName }
  if (item.action === 'keep') {
    const sha256 = listed
    if (item.foreignSigner) {
      const signer = item.foreignSigner
      return { ...base, sha256, status: 'foreign', logIndex: item.logIndex ?? null, signer }
    }
    return { ...base, sha256, status: 'unchanged', logIndex: item.logIndex ?? null }
  }
  if (!signed) {
    return {
      ...base,
      sha256: listed,
      status: 'failed',
      logIndex: null,
      error: error ?? 'not signed',
    }
  }
  if (item.action === 'cover')
    return { ...base, sha256: signed.sha256, status: 'covered', logIndex: null }
  return {
    ...base,
    sha256: signed.sha256,
    status: item.existingBundle ? 'replaced' : 'signed',
    logIndex: signed.logIndex ?? null,
  }
}

export async function report(r: Report): Promise<void> {
  setOutput('results', JSON.stringify(r.results))
  setOutput('bundles-dir', r.bundlesDir)
  setOutput('certificate-identity', r.identity.subjectAlternativeName)
  setOutput('certificate-oidc-issuer', r.identity.issuer)

  for (const x of r.results) {
    const what = x.source === 'provenance' ? '(SLSA provenance)' : `-> ${x.bundle}`
    info(`${x.status.padEnd(9)} ${x.name} ${what}`)
  }
  info(`Certificate identity: ${r.identity.subjectAlternativeName}`)
  info(`Certificate OIDC issuer: ${r.identity.issuer}`)

  if (!r.stepSummary) return
  // Names, tags and identities come from outside (a branch name can hold a
  // quote): shell-quoted in commands, and HTML-escaped everywhere, since the
  // toolkit's summary writes raw HTML.
  const first = r.results.find((x) => x.status !== 'failed' && x.source !== 'provenance')
  const example = shellQuote(first?.name ?? 'ASSET')
  const bundleExample = shellQuote(first?.bundle ?? 'ASSET.sigstore.json')
  const identity = shellQuote(r.identity.subjectAlternativeName)
  const issuer = shellQuote(r.identity.issuer)
  summary
    .addHeading(
      `Signed ${escapeHtml(r.release.tagName)}${r.dryRun ? ' (dry run: nothing attached)' : ''}`,
      2,
    )
    .addTable([
      [
        { data: 'Asset', header: true },
        { data: 'SHA-256', header: true },
        { data: 'Status', header: true },
        { data: 'Transparency log', header: true },
      ],
      ...r.results.map((x) => [
        escapeHtml(x.name),
        `<code>${x.sha256.slice(0, 16)}…</code>`,
        x.error ? `failed: ${escapeHtml(x.error.split('\n')[0] ?? '')}` : x.status,
        logLink(r.sigstore, r.services, x.logIndex),
      ]),
    ])
    .addDetails(
      'Sigstore services',
      `<ul>${describeServices(r.services)
        .map((line) => `<li>${escapeHtml(line)}</li>`)
        .join('')}</ul>`,
    )
    .addHeading('Verify', 3)
    .addRaw('With cosign:', true)
    .addCodeBlock(
      escapeHtml(
        `cosign verify-blob ${example} --bundle ${bundleExample} \\\n  --certificate-identity ${identity} \\\n  --certificate-oidc-issuer ${issuer}`,
      ),
      'sh',
    )
    .addRaw('With sigstore-python:', true)
    .addCodeBlock(
      escapeHtml(
        `sigstore verify identity --bundle ${bundleExample} \\\n  --cert-identity ${identity} \\\n  --cert-oidc-issuer ${issuer} ${example}`,
      ),
      'sh',
    )
  const manifest = r.results.find((x) => x.source === 'checksums' && x.status !== 'failed')
  if (manifest) {
    const name = shellQuote(manifest.name)
    summary
      .addRaw(`Or check every file at once with the signed ${escapeHtml(manifest.name)}:`, true)
      .addCodeBlock(
        escapeHtml(
          `cosign verify-blob ${name} --bundle ${shellQuote(manifest.bundle)} \\\n  --certificate-identity ${identity} \\\n  --certificate-oidc-issuer ${issuer} \\\n  && sha256sum -c ${name}`,
        ),
        'sh',
      )
  }
  // Another identity's provenance is not this run's to give commands for.
  const provenance = r.results.find(
    (x) => x.source === 'provenance' && (x.status === 'signed' || x.status === 'kept'),
  )
  if (provenance) {
    const name = shellQuote(provenance.name)
    summary
      .addRaw(
        `Check its SLSA provenance, ${escapeHtml(provenance.name)}, with GitHub's CLI (stored attestation, or offline with --bundle) or cosign:`,
        true,
      )
      .addCodeBlock(
        escapeHtml(
          `gh attestation verify ${example} --repo ${shellQuote(r.repo)}\n` +
            `gh attestation verify ${example} --repo ${shellQuote(r.repo)} --bundle ${name}\n` +
            `cosign verify-blob-attestation ${example} --bundle ${name} --type slsaprovenance1 \\\n  --certificate-identity ${identity} \\\n  --certificate-oidc-issuer ${issuer}`,
        ),
        'sh',
      )
  }
  await summary.write()
}

function logLink(sigstore: SigstoreInputs, services: Services, logIndex: string | null): string {
  if (logIndex === null || logIndex === '') return '—'
  // The search page covers the instance's Rekor v1 log only.
  if (sigstore.instance === 'custom' || services.logs[0]?.version !== 1) return logIndex
  return `<a href="${INSTANCES[sigstore.instance].searchUrl}/?logIndex=${logIndex}">${logIndex}</a>`
}

/** One shell word, whatever the text holds. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`
}

/** Escapes text placed in HTML element content (never in an attribute). */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}
