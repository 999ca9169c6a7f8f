// A copy of the provenance, or of an SBOM attestation, with GitHub's attestations API, for `gh attestation
// verify` without a file. `auto` tries, and says in one notice when the job
// may not (no attestations: write) or the repository's plan has none; `true`
// fails the run then; `false` never asks; `never` is a rehearsal's, whose
// copy is deleted again while a stored attestation stays for good.
import { info, notice, warning } from '@actions/core'
import { describeError, UserError } from '../../errors.js'
import { AttestationsRefused, type ReleaseApi } from '../../github/types.js'
import type { AttestationsMode } from '../setup/inputs.js'

export async function storeAttestation(
  api: ReleaseApi,
  bundle: unknown,
  mode: AttestationsMode | 'never',
  /** What is stored, as the messages name it. */
  what = 'the provenance',
): Promise<number | undefined> {
  const What = what.charAt(0).toUpperCase() + what.slice(1)
  if (mode === 'false') return
  if (mode === 'never') {
    info('A rehearsal stores no attestation with GitHub; a real run would.')
    return
  }
  try {
    const id = await api.storeAttestation(bundle)
    info(`Stored ${what} with GitHub's attestations API (attestation ${id}).`)
    return id
  } catch (error) {
    const why = describeError(error).split('\n')[0]
    if (error instanceof AttestationsRefused) {
      if (mode === 'true') {
        throw new UserError(
          `Input 'attestations' is true, and GitHub refused to store the attestation (${why}). ` +
            "Add 'attestations: write' to the job's permissions (a private repository also needs a plan with " +
            `attestations), or set attestations: auto. ${What} was not attached; a re-run makes it again.`,
          { cause: error },
        )
      }
      notice(
        `${What} was not stored with GitHub's attestations API (${why}): the job needs ` +
          "'permissions: attestations: write' for that. The .intoto.jsonl file is attached all the same; " +
          'gh attestation verify reads it with --bundle. Set attestations: false to leave this out.',
      )
      return
    }
    if (mode === 'true') throw error
    warning(
      `Could not store ${what} with GitHub's attestations API: ${why}. The .intoto.jsonl file is attached ` +
        'all the same; to store it, delete that file and re-run.',
    )
  }
}
