// The SBOMs the workflow generated (the sbom input): found in the
// workspace, each read whole (an SBOM is the predicate of its attestation,
// so it is held to the attestations API's 16 MiB), recognised as SPDX or
// CycloneDX, hashed, and tied to what it describes. Every refusal comes
// before anything is signed or written.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { info } from '@actions/core'
import { InputError, messageOf } from '../../errors.js'
import type { Asset } from '../../github/types.js'
import {
  describedFileOf,
  MAX_SBOM_BYTES,
  type SbomFormat,
  sbomTypeOf,
} from '../../sbom-statement.js'
import { formatBytes } from '../../util/format.js'
import type { LocalFile, PlanItem } from '../run/items.js'
import { findLocalFiles } from './find-files.js'

export interface SbomFile extends LocalFile {
  source: 'sbom'
  format: SbomFormat
  predicateType: string
  /** The document, parsed: the predicate of its attestation. */
  document: unknown
  /** The file it is named after (`<file>.spdx.json`), if any. */
  namedAfter?: string
  /** The one file it describes, when it is named after one the run signs; unset: every file the run signs. */
  describes?: string
}

export async function readSboms(patterns: string[], workspace: string): Promise<SbomFile[]> {
  const found = await findLocalFiles(patterns, workspace, 'sbom')
  const sboms: SbomFile[] = []
  for (const file of found) {
    const size = (await stat(file.path)).size
    if (size > MAX_SBOM_BYTES) {
      throw new InputError(
        'sbom',
        `${file.path} is ${formatBytes(size)}, over the ${formatBytes(MAX_SBOM_BYTES)} GitHub's attestations API accepts for an SBOM. Generate it for fewer components, or split it.`,
      )
    }
    const data = await readFile(file.path)
    let document: unknown
    try {
      document = JSON.parse(data.toString('utf8'))
    } catch (error) {
      throw new InputError(
        'sbom',
        `${file.path} is not JSON (${messageOf(error)}). Give the SPDX or CycloneDX JSON an SBOM generator wrote.`,
      )
    }
    const type = sbomTypeOf(document)
    if ('problem' in type)
      throw new InputError(
        'sbom',
        `${file.path} is not an SBOM this action can attest: ${type.problem}.`,
      )
    // Re-serialised as the predicate: held to the same limit as the file.
    if (Buffer.byteLength(JSON.stringify(document)) > MAX_SBOM_BYTES) {
      throw new InputError(
        'sbom',
        `${file.path}: its attestation's predicate would be over the ${formatBytes(MAX_SBOM_BYTES)} GitHub's attestations API accepts.`,
      )
    }
    const namedAfter = describedFileOf(file.name)
    sboms.push({
      name: file.name,
      path: file.path,
      size,
      digest: createHash('sha256').update(data).digest(),
      source: 'sbom',
      format: type.format,
      predicateType: type.predicateType,
      document,
      ...(namedAfter ? { namedAfter } : {}),
    })
  }
  return sboms
}

/**
 * What each SBOM describes, once the run's files are known: the file it is
 * named after when the run signs it, or every file the run signs when its
 * name names no file. Refuses an SBOM named after a file on the release or
 * in its folder that the run does not sign (it would describe nothing), and
 * one that `files` matches too.
 */
export function resolveSboms(
  sboms: SbomFile[],
  others: LocalFile[],
  plan: PlanItem[],
  listed: Asset[],
): SbomFile[] {
  return sboms.map((sbom) => {
    const also = others.find((f) => f.name === sbom.name)
    if (also) {
      throw new InputError(
        'sbom',
        `${sbom.name} is matched by files too (${also.path}). List it under sbom alone: an SBOM is attached and signed like any file.`,
      )
    }
    const after = sbom.namedAfter
    const describes = after && plan.some((item) => item.name === after) ? after : undefined
    if (after && !describes) {
      const where = listed.some((a) => a.name === after)
        ? 'the release has it'
        : existsSync(path.join(path.dirname(sbom.path), after))
          ? 'it is beside the SBOM'
          : undefined
      if (where) {
        throw new InputError(
          'sbom',
          `${sbom.path} is named after ${after} (${where}), which this run does not sign, so it would describe nothing. ` +
            'Sign that file too (assets or files), or rename the SBOM to describe every file the run signs.',
        )
      }
    }
    info(
      `SBOM ${sbom.name}: ${sbom.format === 'spdx' ? 'SPDX' : 'CycloneDX'} (${sbom.predicateType}), describing ${describes ?? 'every file this run signs'}`,
    )
    return describes ? { ...sbom, describes } : sbom
  })
}

/** The files an SBOM describes: the one it is named after, or every file the run signs but the SBOMs and the manifest. */
export function describedItems(sbom: SbomFile, plan: PlanItem[]): PlanItem[] {
  if (sbom.describes) return plan.filter((item) => item.name === sbom.describes)
  return plan.filter((item) => item.source !== 'sbom' && item.source !== 'checksums')
}
