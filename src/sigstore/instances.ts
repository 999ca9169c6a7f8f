// The Sigstore instances this action knows by name: where their services
// live, where their TUF repository is, and where people search their log.
// Every other module takes these URLs from here.

export type KnownInstance = 'public-good' | 'staging'

export interface InstanceInfo {
  fulcioUrl: string
  rekorUrl: string
  /** The TUF repository that distributes the instance's trusted_root.json. */
  tufMirror: string
  /**
   * Where the TUF client's first root.json comes from. Production's ships
   * with @sigstore/tuf. Nothing ships one for staging, a test instance, so
   * its first root is taken from the mirror itself on first use.
   */
  initialRoot: 'shipped' | 'from-mirror'
  /** The log's search page, for links in the step summary. */
  searchUrl: string
}

export const INSTANCES: Record<KnownInstance, InstanceInfo> = {
  'public-good': {
    fulcioUrl: 'https://fulcio.sigstore.dev',
    rekorUrl: 'https://rekor.sigstore.dev',
    tufMirror: 'https://tuf-repo-cdn.sigstore.dev',
    initialRoot: 'shipped',
    searchUrl: 'https://search.sigstore.dev',
  },
  staging: {
    fulcioUrl: 'https://fulcio.sigstage.dev',
    rekorUrl: 'https://rekor.sigstage.dev',
    tufMirror: 'https://tuf-repo-cdn.sigstage.dev',
    initialRoot: 'from-mirror',
    searchUrl: 'https://search.sigstage.dev',
  },
}

/** The known instance whose TUF repository is at this URL, if any. */
export function instanceOfMirror(mirror: string): InstanceInfo | undefined {
  return Object.values(INSTANCES).find((i) => i.tufMirror === mirror)
}
