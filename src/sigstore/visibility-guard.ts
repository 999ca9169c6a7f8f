// Keeps a private repository's name out of a public transparency log. The
// certificate Fulcio issues names the repository and the workflow path, and
// its log entry is public for good. On a private or internal repository,
// Sigstore's public instances are refused unless the user says otherwise;
// an instance of the user's own is never refused.
import { warning } from '@actions/core'
import { UserError } from '../errors.js'
import type { ReleaseApi, Visibility } from '../github/types.js'
import type { SigstoreInputs } from './options.js'

export async function checkVisibility(
  sigstore: SigstoreInputs,
  api: ReleaseApi,
  repo: string,
  fromEvent: Visibility | undefined,
): Promise<void> {
  if (sigstore.instance === 'custom') return
  const visibility = fromEvent ?? (await api.repositoryVisibility())
  if (visibility === 'public') return
  const instance = sigstore.instance === 'staging' ? 'staging' : 'public-good'
  if (sigstore.allowPrivateRepository) {
    warning(
      `${repo} is ${visibility}, and allow-private-repository is true: its name and the workflow's path ` +
        `go into Sigstore's public ${instance} transparency log, where anyone can read them.`,
    )
    return
  }
  throw new UserError(
    `${repo} is ${visibility}. Signing with Sigstore's ${instance} instance would write the repository's ` +
      "name and the workflow's path into a public transparency log, for anyone to read, for good. " +
      'Nothing was signed. Either sign with a private Sigstore instance (signing-config and trusted-root, ' +
      'or fulcio-url, rekor-url and trusted-root), or set allow-private-repository: true to accept that.',
  )
}
