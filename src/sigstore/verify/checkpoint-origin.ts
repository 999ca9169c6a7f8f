// A Rekor v2 checkpoint must name its log: the origin line, and the name on
// each signature, are the host name of the log's base URL in the trusted
// root, without a port. sigstore-go (and so cosign 3 and OpenSSF Scorecard)
// builds its note verifier from that name and refuses any other;
// @sigstore/verify checks the signature by key alone and does not look.
// Without this check, verify-release would pass a bundle cosign refuses.
// Rekor v1 checkpoints ("<host> - <tree ID>") are checked by key, as
// sigstore-go checks them.
import type { Bundle } from '@sigstore/bundle'
import type { TrustMaterial } from '@sigstore/verify'

type TLogAuthority = TrustMaterial['tlogs'][number]

/** A Rekor v1 signed tree head's origin line: `<name> - <tree ID>`. */
const V1_ORIGIN = /^.* - [0-9]+$/

/** Throws when a checkpoint of a Rekor v2 entry names another origin than its log's host name. */
export function checkCheckpointOrigins(bundle: Bundle, tlogs: TLogAuthority[]): void {
  for (const entry of bundle.verificationMaterial.tlogEntries) {
    const envelope = entry.inclusionProof?.checkpoint?.envelope
    if (!envelope) continue
    const [origin = '', ...rest] = envelope.split('\n')
    if (V1_ORIGIN.test(origin)) continue
    const log = tlogs.find((t) => t.logID.equals(entry.logId.keyId))
    // An entry of a log the trusted root does not know fails the verifier's own checks.
    if (!log?.baseURL) continue
    const expected = hostName(log.baseURL)
    const names = rest.filter((line) => line.startsWith('\u2014 ')).map((l) => l.split(' ')[1])
    if (origin !== expected || names.some((name) => name !== expected)) {
      throw new Error(
        `the log's checkpoint is for origin '${origin}', not '${expected}', the host name of the log's base URL in the trusted root (cosign and sigstore-go refuse it)`,
      )
    }
  }
}

function hostName(baseURL: string): string {
  try {
    return new URL(baseURL).hostname
  } catch {
    return baseURL
  }
}
