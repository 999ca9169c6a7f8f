// The Sigstore instances this action knows by name: where their TUF
// repository is and where people search their log. Their services are not
// listed here: each instance names them in the signing config that its TUF
// repository distributes, and they are read from there on every run.

export type KnownInstance = 'public-good' | 'staging'

export interface InstanceInfo {
  /** The TUF repository that distributes the instance's trusted root and signing configs. */
  tufMirror: string
  /**
   * Where the TUF client's first root.json comes from. Production's ships
   * with @sigstore/tuf. Nothing ships one for staging, a test instance, so
   * its first root is taken from the mirror itself on first use.
   */
  initialRoot: 'shipped' | 'from-mirror'
  /** The Rekor v1 log's search page, for links in the step summary. */
  searchUrl: string
}

export const INSTANCES: Record<KnownInstance, InstanceInfo> = {
  'public-good': {
    tufMirror: 'https://tuf-repo-cdn.sigstore.dev',
    initialRoot: 'shipped',
    searchUrl: 'https://search.sigstore.dev',
  },
  staging: {
    tufMirror: 'https://tuf-repo-cdn.sigstage.dev',
    initialRoot: 'from-mirror',
    searchUrl: 'https://search.sigstage.dev',
  },
}

/** The TUF targets every Sigstore repository serves, and the one that offers Rekor v2 instead of v1. */
export const TUF_TARGETS = {
  trustedRoot: 'trusted_root.json',
  signingConfig: 'signing_config.v0.2.json',
  signingConfigRekorV2: 'signing_config_rekor_v2.v0.2.json',
} as const

/** The name of the known instance whose TUF repository is at this URL, if any. */
export function knownInstanceOfMirror(mirror: string): KnownInstance | undefined {
  return (Object.keys(INSTANCES) as KnownInstance[]).find((k) => INSTANCES[k].tufMirror === mirror)
}

/** The known instance whose TUF repository is at this URL, if any. */
export function instanceOfMirror(mirror: string): InstanceInfo | undefined {
  const known = knownInstanceOfMirror(mirror)
  return known && INSTANCES[known]
}
