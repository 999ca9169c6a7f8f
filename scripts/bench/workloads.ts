// The benchmark's workloads: many small assets, one huge asset, and a mix.
// Every asset is generated deterministically by the stack, never held in memory.
import type { Content } from '../../test/stack/github/content.js'

export interface Workload {
  name: string
  assets: { name: string; content: Content }[]
  /** Latency the stack adds to every answer, modelling services across the internet. */
  latencyMs?: number
  /** Capacity of the link that all downloads share, modelling the runner's network. */
  linkBytesPerSecond?: number
  /**
   * A certificate-renewal run: Fulcio issues certificates of this lifetime and
   * the storage host answers slowly, so the run outlives several certificates.
   * Only this action runs; the check is that every bundle still verifies.
   */
  renewal?: { certValiditySeconds: number; storageLatencyMs: number }
  /**
   * The assets are files the workflow built: written to the workspace and
   * signed with `files`, against Node's SHA-256 over the same files.
   */
  local?: boolean
  /**
   * Sign through the stack's signing config with timestamps, once with
   * Rekor v1 and once with Rekor v2 (entries sequenced every `batchMs`), and
   * compare the two.
   */
  logs?: { batchMs: number }
  /**
   * A rehearsal (rehearse: true): the release is copied to a scratch draft
   * through disk, signed there, checked, and the copy deleted. Memory must
   * not grow with the asset.
   */
  rehearse?: boolean
  /**
   * What the provenance costs: the same release signed with provenance: false
   * and with the default, side by side: a first run, a re-run that keeps
   * everything, and a re-run after a new asset.
   */
  provenance?: boolean
  /** What one SBOM costs, the same way: without it and with it, a first run and two re-runs. */
  sbom?: boolean
  /**
   * Under github.com's write limits (80 a minute, 500 an hour), their windows
   * shortened by this wait scale: the writes made, the secondary-limit
   * answers met, and the time the writes took against the floor the limits set.
   * Every other workload lifts the limits: it measures signing, not GitHub.
   */
  githubLimits?: { scale: number; provenance: boolean }
  /** Signed with bundles: manifest: at most four writes and two log entries, whatever the count. */
  manifest?: boolean
}

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB

function generated(name: string, size: number): { name: string; content: Content } {
  return { name, content: { kind: 'generated', size, seed: name } }
}

function many(count: number, size: number): Workload {
  return {
    name: `many (${count} × ${size / KiB} KiB)`,
    assets: Array.from({ length: count }, (_, i) =>
      generated(`pkg-${String(i).padStart(3, '0')}.whl`, size),
    ),
  }
}

function large(size: number): Workload {
  return {
    name: `large (1 × ${size / GiB >= 1 ? `${size / GiB} GiB` : `${size / MiB} MiB`})`,
    assets: [generated('model.safetensors', size)],
  }
}

/** `count` assets whose sizes grow geometrically from `min` to `max`. */
function mixed(count: number, min: number, max: number): Workload {
  const ratio = (max / min) ** (1 / (count - 1))
  return {
    name: `mixed (${count}, ${min / MiB} MiB to ${max / MiB} MiB)`,
    assets: Array.from({ length: count }, (_, i) =>
      generated(`sdk-part-${i}.tar.zst`, Math.round(min * ratio ** i)),
    ),
  }
}

function withLatency(w: Workload, latencyMs: number): Workload {
  return { ...w, name: `${w.name}, ${latencyMs} ms latency`, latencyMs }
}

function withLink(w: Workload, gigabitsPerSecond: number): Workload {
  return {
    ...w,
    name: `${w.name}, ${gigabitsPerSecond} Gbit/s link`,
    linkBytesPerSecond: (gigabitsPerSecond * 1e9) / 8,
  }
}

function renewal(count: number, certValiditySeconds: number, storageLatencyMs: number): Workload {
  return {
    ...many(count, 64 * KiB),
    name: `renewal (${count} × 64 KiB, ${certValiditySeconds} s certificates)`,
    renewal: { certValiditySeconds, storageLatencyMs },
  }
}

function localFiles(count: number, size: number): Workload {
  return {
    name: `local files (${count} × ${size / MiB} MiB)`,
    assets: Array.from({ length: count }, (_, i) => generated(`build-${i}.bin`, size)),
    local: true,
  }
}

function bothLogs(w: Workload, batchMs: number): Workload {
  return {
    ...w,
    name: `${w.name}, Rekor v1 and v2 (v2 batches every ${batchMs} ms)`,
    logs: { batchMs },
  }
}

function rehearsal(size: number): Workload {
  return { ...large(size), name: `rehearsal (1 × ${size / MiB} MiB)`, rehearse: true }
}

function provenanceCost(count: number, size: number): Workload {
  return {
    ...many(count, size),
    name: `provenance (${count} × ${size / KiB} KiB)`,
    provenance: true,
  }
}

function sbomCost(count: number, size: number): Workload {
  return { ...many(count, size), name: `one SBOM (${count} × ${size / KiB} KiB)`, sbom: true }
}

/** 500 files fill the cap with their bundles alone: that release is signed with provenance: false. */
function underLimits(count: number, scale: number): Workload {
  const provenance = count < 500
  return {
    ...many(count, 4 * KiB),
    name: `GitHub's write limits (${count} × 4 KiB${provenance ? '' : ', provenance: false'}, wait scale ${scale})`,
    githubLimits: { scale, provenance },
  }
}

function manifestMode(count: number): Workload {
  return { ...many(count, 4 * KiB), name: `bundles: manifest (${count} × 4 KiB)`, manifest: true }
}

// A release holds at most 1,000 assets: 499 files, their bundles and the
// provenance (498 where a run adds one more file). 500 files with a bundle
// each fill it without a provenance.
export const FULL: Workload[] = [
  many(499, 256 * KiB),
  withLatency(many(499, 256 * KiB), 50),
  large(5 * GiB),
  mixed(20, 1 * MiB, 1 * GiB),
  withLink(mixed(20, 1 * MiB, 1 * GiB), 1),
  renewal(256, 30, 3_000),
  localFiles(8, 128 * MiB),
  bothLogs(many(499, 256 * KiB), 100),
  bothLogs(withLatency(many(499, 256 * KiB), 50), 1_000),
  rehearsal(512 * MiB),
  provenanceCost(498, 256 * KiB),
  sbomCost(496, 256 * KiB),
  underLimits(500, 0.01),
  underLimits(499, 0.01),
  manifestMode(900),
]
export const QUICK: Workload[] = [
  many(50, 64 * KiB),
  withLatency(many(50, 64 * KiB), 20),
  large(256 * MiB),
  mixed(8, 1 * MiB, 32 * MiB),
  withLink(mixed(8, 1 * MiB, 32 * MiB), 1),
  renewal(64, 3, 1_500),
  localFiles(4, 16 * MiB),
  bothLogs(many(50, 64 * KiB), 100),
  bothLogs(withLatency(many(50, 64 * KiB), 20), 1_000),
  rehearsal(32 * MiB),
  provenanceCost(50, 64 * KiB),
  sbomCost(50, 64 * KiB),
  underLimits(499, 0.002),
  manifestMode(900),
]

export function totalBytes(w: Workload): number {
  return w.assets.reduce((sum, a) => sum + (a.content.kind === 'generated' ? a.content.size : 0), 0)
}
