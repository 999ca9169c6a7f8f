// Phase 5: the outputs, the log table, and the step summary (step-summary.ts).
import { info, setOutput, summary } from '@actions/core'
import { listedSha256, type Release } from '../../github/types.js'
import type { SigstoreInputs } from '../../sigstore/options.js'
import type { CertificateIdentity } from '../../sigstore/sign/id-token.js'
import type { Services } from '../../sigstore/signing-config.js'
import type { SubjectSource } from '../plan/gather.js'
import type { PlanItem } from '../plan/plan-release.js'
import { dryRunArtifactName } from './dry-run-artifact.js'
import { stepSummaryHtml } from './step-summary.js'

/**
 * One word per outcome, for files and the provenance alike. `covered`:
 * under bundles: manifest, hashed and listed in the signed checksums
 * manifest, whose bundle is `bundle`.
 */
export type ResultStatus = 'signed' | 'replaced' | 'unchanged' | 'foreign' | 'failed' | 'covered'

export interface AssetResult {
  name: string
  /** Where it came from: release, file, source-archive or checksums; or the provenance file. */
  source: SubjectSource | 'provenance'
  size: number
  sha256: string
  bundle: string
  status: ResultStatus
  logIndex: string | null
  /** Why the asset failed, for status `failed`; and its cause in a few words. */
  error?: string
  cause?: string
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
  /** Release files asked for but not written, with why. */
  notWritten: { name: string; why: string }[]
  /** A draft that was to be published, left a draft. */
  leftDraft: boolean
  /** The stored attestation's page on GitHub, when this run stored one. */
  attestationUrl?: string
  /** RUNNER_OS: the commands are given for PowerShell on Windows. */
  runnerOs: string
  /** Write the step summary (only where the runner collects one, and not for a rehearsal's copy). */
  stepSummary: boolean
}

/** The result for a planned asset; `signed` is its attached (or, on a dry run, kept) bundle. */
export function resultFor(
  item: PlanItem,
  signed: { sha256: string; logIndex?: string } | undefined,
  failure: { error?: string; cause?: string } = {},
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
      error: failure.error ?? 'not signed',
      ...(failure.cause ? { cause: failure.cause } : {}),
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
  const html = stepSummaryHtml({
    mode: r.dryRun ? 'dry-run' : 'real',
    repo: r.repo,
    tag: r.release.tagName,
    identity: r.identity.subjectAlternativeName,
    issuer: r.identity.issuer,
    sigstore: r.sigstore,
    shell: r.runnerOs === 'Windows' ? 'pwsh' : 'sh',
    results: r.results,
    notWritten: r.notWritten,
    leftDraft: r.leftDraft,
    services: r.services,
    bundlesDir: r.bundlesDir,
    artifact: dryRunArtifactName(r.release.tagName),
    attestation: r.attestationUrl ? { url: r.attestationUrl } : undefined,
  })
  await summary.addRaw(html, true).write()
}
