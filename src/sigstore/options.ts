// What the Sigstore adapter is asked to use: the instance, where its services
// are named, where its trusted root comes from, and the choices of log
// version and timestamps. signer/setup/sigstore-inputs.ts reads these from the
// action's inputs; everything in src/sigstore/ takes them from here.
import type { KnownInstance } from './instances.js'
import type { RekorChoice, RekorVersion, TimestampChoice } from './signing-config.js'

/**
 * Where the trusted root comes from: a file, or a TUF repository. With
 * `rootPath` unset, the TUF client starts from the known instance's initial
 * root (shipped with @sigstore/tuf, or taken from the mirror for staging).
 */
export type TrustSource =
  | { kind: 'file'; path: string }
  | { kind: 'tuf'; mirror: string; rootPath?: string }

/**
 * Where the services to sign with are named: URLs given as inputs (for
 * instances without a signing config), a signing config file, or the signing
 * config that the TUF repository of `trust` distributes (the default).
 */
export type ServiceSource =
  | {
      kind: 'urls'
      fulcioUrl: string
      rekorUrl: string
      rekorVersion: RekorVersion
      tsaUrl?: string
    }
  | { kind: 'file'; path: string }
  | { kind: 'tuf'; mirror: string; rootPath?: string }

export interface SigstoreInputs {
  /** A Sigstore instance known by name, or one the inputs describe. */
  instance: KnownInstance | 'custom'
  services: ServiceSource
  rekorVersion: RekorChoice
  timestamp: TimestampChoice
  /** Sign with a public instance even when the repository is private or internal. */
  allowPrivateRepository: boolean
  trust: TrustSource
}
