// SBOM attestations: an in-toto Statement v1 whose predicate is the SBOM
// document itself, recognised and typed as @actions/attest's
// generateSBOMPredicate does (so `gh attestation verify --predicate-type`
// and `cosign verify-blob-attestation --type` read it as theirs), and the
// names that tie an SBOM to what it describes. Pure; the signer writes these
// statements and the consumer's check reads them.
import { STATEMENT_TYPE, type Subject } from './slsa-provenance.js'

export type SbomFormat = 'spdx' | 'cyclonedx'

/** actions/attest-sbom's limit on an SBOM, which GitHub's attestations API also holds predicates to. */
export const MAX_SBOM_BYTES = 16 * 1024 * 1024

export const CYCLONEDX_PREDICATE = 'https://cyclonedx.org/bom'
const SPDX_PREDICATE_PREFIX = 'https://spdx.dev/Document/v'

/** Suffixes of an SBOM that describes one file: `<file>.spdx.json` describes `<file>` alone. */
const DESCRIBES_ONE = ['.spdx.json', '.cdx.json', '.sbom.json']

/** An SBOM's attestation sits beside it under this name. */
export function sbomAttestationName(sbomName: string): string {
  return `${sbomName}.intoto.jsonl`
}

/** The file an SBOM is named after, when it describes that file alone. */
export function describedFileOf(sbomName: string): string | undefined {
  const suffix = DESCRIBES_ONE.find((s) => sbomName.endsWith(s) && sbomName.length > s.length)
  return suffix ? sbomName.slice(0, -suffix.length) : undefined
}

/**
 * The SBOM's format and predicate type, or what was looked for when it is
 * neither: SPDX when `spdxVersion` and `SPDXID` are present, CycloneDX when
 * `bomFormat` is CycloneDX with `specVersion` and `serialNumber`.
 */
export function sbomTypeOf(
  doc: unknown,
): { format: SbomFormat; predicateType: string } | { problem: string } {
  const d = (doc ?? {}) as Record<string, unknown>
  if (typeof d.spdxVersion === 'string' && d.SPDXID !== undefined) {
    const version = /^SPDX-(\d+\.\d+)$/.exec(d.spdxVersion)?.[1]
    if (!version) return { problem: `spdxVersion '${d.spdxVersion}' is not SPDX-<major>.<minor>` }
    return { format: 'spdx', predicateType: `${SPDX_PREDICATE_PREFIX}${version}` }
  }
  if (d.bomFormat === 'CycloneDX' && d.specVersion !== undefined && d.serialNumber !== undefined)
    return { format: 'cyclonedx', predicateType: CYCLONEDX_PREDICATE }
  return {
    problem:
      'it is neither SPDX (spdxVersion and SPDXID) nor CycloneDX (bomFormat: CycloneDX, specVersion and serialNumber)',
  }
}

/** Whether a statement's predicate type is an SBOM's. */
export function isSbomPredicateType(type: unknown): type is string {
  return (
    typeof type === 'string' &&
    (type === CYCLONEDX_PREDICATE || /^https:\/\/spdx\.dev\/Document\/v\d+\.\d+$/.test(type))
  )
}

/** The statement an SBOM attestation signs: the files it describes, and the SBOM as the predicate. */
export function sbomStatement(subjects: Subject[], predicateType: string, sbom: unknown): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: STATEMENT_TYPE,
      subject: subjects.map((s) => ({ name: s.name, digest: { sha256: s.sha256 } })),
      predicateType,
      predicate: sbom,
    }),
  )
}

/** An SBOM attestation's predicate type, read from its (verified) statement. */
export function statementPredicateType(payload: Buffer): string | undefined {
  try {
    const type = (JSON.parse(payload.toString('utf8')) as { predicateType?: unknown }).predicateType
    return typeof type === 'string' ? type : undefined
  } catch {
    return undefined
  }
}
