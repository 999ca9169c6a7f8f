// The outputs, the log table, and the step summary (step-summary.ts).
import { info, setOutput, summary } from '@actions/core'
import type { Release } from '../../github/types.js'
import type { CertificateIdentity } from '../../sigstore/certificate-identity.js'
import type { SigstoreInputs } from '../../sigstore/options.js'
import type { Services } from '../../sigstore/signing-config.js'
import type { AssetResult } from '../run/results.js'
import { dryRunArtifactName } from './dry-run-artifact.js'
import { stepSummaryHtml } from './step-summary.js'

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

export async function report(r: Report): Promise<void> {
  setOutput('results', JSON.stringify(r.results))
  setOutput('bundles-dir', r.bundlesDir)
  setOutput('certificate-identity', r.identity.subjectAlternativeName)
  setOutput('certificate-oidc-issuer', r.identity.issuer)

  for (const x of r.results) {
    const what =
      x.source === 'provenance'
        ? '(SLSA provenance)'
        : x.predicateType
          ? '(SBOM attestation)'
          : `-> ${x.bundle}`
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
