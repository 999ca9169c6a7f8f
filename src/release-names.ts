// The names this action gives the files it makes on a release: a bundle
// beside each signed asset, the provenance file, a source archive, and the
// temporary name a replacement is uploaded under before it takes the old
// one's place.
import { randomBytes } from 'node:crypto'

/** GitHub refuses asset names longer than this. */
export const MAX_ASSET_NAME = 255

/** Bundles under either suffix; they are never signed themselves. */
const BUNDLE_NAME = /\.sigstore(\.json)?$/

/**
 * A replacement's name until it takes the old one's place:
 * `<name>.sign-release-tmp-r<run id>a<attempt>-<8 hex>`, naming the workflow
 * run that holds it, so a later run can tell when its owner can no longer be
 * at work. Older releases of this action wrote `<name>.sign-release-tmp-<8 hex>`.
 */
const TEMPORARY_MARK = '.sign-release-tmp-'
const TEMPORARY_NAME = /\.sign-release-tmp-(?:r(\d+)a(\d+)-)?(gone-)?[0-9a-f]{8}$/
/** Marks a temporary copy its run gave up on (it could not delete it): anyone may remove it. */
const GONE = 'gone-'

/** The workflow run, and its attempt, that uploads a replacement. */
export interface RunOwner {
  runId: string
  attempt: number
}

/** In-toto attestations (JSON lines): this action's provenance, or another tool's. */
/** The checksums manifest's name under bundles: manifest when checksums is not given. */
export const DEFAULT_MANIFEST = 'SHA256SUMS'

export const PROVENANCE_SUFFIX = '.intoto.jsonl'

/**
 * True for a bundle, a provenance file, or a replacement left behind by an
 * interrupted run: files that carry signatures, never signed themselves.
 */
export function isManagedName(name: string): boolean {
  return BUNDLE_NAME.test(name) || name.endsWith(PROVENANCE_SUFFIX) || TEMPORARY_NAME.test(name)
}

/** `<repo>-<tag>`, with every character GitHub would change in an asset name (such as `/`) as `-`. */
export function archiveBaseName(repo: string, tag: string): string {
  return `${repo}-${tag}`.replace(/[^A-Za-z0-9._+-]/g, '-')
}

/** The provenance file's name on a release: `<repo>-<tag>.intoto.jsonl`. */
export function provenanceName(repo: string, tag: string): string {
  return `${archiveBaseName(repo, tag)}${PROVENANCE_SUFFIX}`
}

export function isTemporaryName(name: string): boolean {
  return TEMPORARY_NAME.test(name)
}

/** A fresh temporary name for `owner`'s replacement of `name`, within GitHub's length limit. */
export function temporaryName(name: string, owner: RunOwner): string {
  const mark = `${TEMPORARY_MARK}r${owner.runId}a${owner.attempt}-${randomBytes(4).toString('hex')}`
  // Room is left for the abandoned marker, so that name fits too.
  return `${name.slice(0, MAX_ASSET_NAME - mark.length - GONE.length)}${mark}`
}

/** The run that holds a temporary name; undefined for the older names, which do not say. */
export function temporaryOwner(name: string): RunOwner | undefined {
  const m = TEMPORARY_NAME.exec(name)
  return m?.[1] && m[2] ? { runId: m[1], attempt: Number(m[2]) } : undefined
}

/** The name a run gives its temporary copy when it gives up on it and cannot delete it. */
export function abandonedName(name: string): string {
  if (isAbandoned(name)) return name
  if (!TEMPORARY_NAME.test(name)) throw new Error(`${name} is not a temporary name`)
  return `${name.slice(0, -8)}${GONE}${name.slice(-8)}`
}

/** True for a temporary copy its run gave up on: nothing will rename it into place. */
export function isAbandoned(name: string): boolean {
  return TEMPORARY_NAME.exec(name)?.[3] === GONE
}

/** A file name on disk stays well within every file system's 255-byte limit. */
const MAX_FILE_NAME = 200

/**
 * Names Windows keeps for devices, with or without an extension (`aux.tar.gz`
 * is AUX): no file of that name can be made there.
 */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i

/**
 * File names for bundles on disk, one per bundle name, in order. Asset names
 * come from outside, so they are never used raw: no separators or control
 * characters, no name Windows keeps for a device, bounded length, and unique
 * even where the file system ignores case or Unicode normalisation (`A.bin`
 * and `a.bin` on macOS and Windows).
 */
export function diskNames(bundleNames: readonly string[]): string[] {
  const taken = new Set<string>()
  return bundleNames.map((name) => {
    const cleaned = name.replace(/[^\p{L}\p{N}._+-]/gu, '_').replace(/^\.+/, '_')
    const safe = WINDOWS_DEVICE.test(cleaned) ? `_${cleaned}` : cleaned
    for (let n = 1; ; n++) {
      const mark = n === 1 ? '' : `-${n}`
      const candidate = `${safe.slice(0, MAX_FILE_NAME - mark.length)}${mark}`
      const key = candidate.normalize('NFC').toLowerCase()
      if (!taken.has(key)) {
        taken.add(key)
        return candidate
      }
    }
  })
}

/** A folder name for a release's bundles: its tag made safe and short, and a random part. */
export function runFolderName(tag: string): string {
  return `${tag.replace(/[^\w.-]/g, '_').slice(0, 64)}-${randomBytes(4).toString('hex')}`
}
