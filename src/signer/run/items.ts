// What a run carries from stage to stage for each file: where it comes
// from, what the plan decided for it, what signing made of it, and which
// bundle covers it on the release.
import type { Asset } from '../../github/types.js'

/** Where a signed subject comes from; reported as `source` in the results. */
export type SubjectSource = 'release' | 'file' | 'source-archive' | 'checksums' | 'sbom'

/** A file on the runner's disk, hashed, to be signed and attached under `name`. */
export interface LocalFile {
  name: string
  path: string
  size: number
  digest: Buffer
  source: Exclude<SubjectSource, 'release'>
}

export interface PlanItem {
  /** The asset's name on the release (for a local file, the name it is attached under). */
  name: string
  size: number
  source: SubjectSource
  /** The asset on the release; unset for a local file that is not there yet. */
  asset?: Asset
  /** The run's own file, when it is to be uploaded (it is not on the release yet). */
  local?: LocalFile
  /** For the checksums manifest only: this run's older manifest, replaced by the new one. */
  replaces?: Asset
  bundleName: string
  /** The bundle's file name under the run's bundles folder (see diskNames). */
  fileName: string
  /** The bundle already on the release under bundleName, if any. */
  existingBundle?: Asset
  /**
   * sign: a bundle is made for it; keep: its bundle verifies; cover: no
   * bundle of its own (bundles: manifest), the checksums manifest covers it.
   */
  action: 'sign' | 'keep' | 'cover'
  reason: string
  /** For kept bundles: the transparency-log index recorded in them. */
  logIndex?: string
  /** For a kept bundle signed by another identity than this run's: that identity. */
  foreignSigner?: string
  /** The SHA-256, when known before signing: local files, and assets the plan downloaded. */
  digest?: Buffer
}

export interface SignedItem {
  item: PlanItem
  sha256: string
  bundlePath: string
  logIndex: string
}

/** Asset id → the name of the bundle this run attached or kept for it. */
export type Covered = Map<number, string>
