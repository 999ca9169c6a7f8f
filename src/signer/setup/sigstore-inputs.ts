// Parses the Sigstore inputs: which instance to sign with, where its services
// are named (URLs, a signing config file, or the signing config its TUF
// repository distributes), how far to trust it, and the log version and
// timestamps to use. Pure, like inputs.ts.
import { InputError } from '../../errors.js'
import { bool, type Getter, url } from '../../input-values.js'
import {
  INSTANCES,
  instanceOfMirror,
  type KnownInstance,
  knownInstanceOfMirror,
} from '../../sigstore/instances.js'
import type { SigstoreInputs, TrustSource } from '../../sigstore/options.js'
import type { RekorChoice, RekorVersion, TimestampChoice } from '../../sigstore/signing-config.js'

export function sigstoreInputs(get: Getter): SigstoreInputs {
  const staging = bool(get, 'staging')
  const fulcioUrl = url(get, 'fulcio-url')
  const rekorUrl = url(get, 'rekor-url')
  const tsaUrl = url(get, 'tsa-url')
  const signingConfig = get('signing-config').trim() || undefined
  const rekorVersion = rekorChoice(get('rekor-version'))
  const timestamp = timestampChoice(get('timestamp'))
  const urls = Boolean(fulcioUrl || rekorUrl || tsaUrl)
  if (signingConfig && urls) {
    throw new InputError(
      'signing-config',
      'cannot be combined with fulcio-url, rekor-url or tsa-url: the signing config names the services. ' +
        'Give either the signing config or the URLs.',
    )
  }
  if ((urls || signingConfig) && staging) {
    throw new InputError(
      'staging',
      `cannot be combined with ${signingConfig ? 'signing-config' : 'fulcio-url, rekor-url or tsa-url'}; choose one Sigstore instance.`,
    )
  }
  if (urls && !(fulcioUrl && rekorUrl)) {
    throw new InputError(
      fulcioUrl ? 'rekor-url' : 'fulcio-url',
      'is required with ' +
        `${[fulcioUrl && 'fulcio-url', rekorUrl && 'rekor-url', tsaUrl && 'tsa-url'].filter(Boolean).join(' and ')}: ` +
        "an instance given by URL needs its Fulcio and its Rekor. Sigstore's own instances need neither: " +
        'their services come from the signing config their TUF repository distributes.',
    )
  }
  const known: KnownInstance = staging ? 'staging' : 'public-good'
  const trust = trustSource(get, Boolean(urls || signingConfig), INSTANCES[known].tufMirror)
  const common = {
    rekorVersion,
    timestamp,
    allowPrivateRepository: bool(get, 'allow-private-repository'),
    trust,
  }
  if (fulcioUrl && rekorUrl) {
    const version = rekorVersion === 'auto' ? 1 : rekorVersion
    if (timestamp === true && !tsaUrl) {
      throw new InputError(
        'timestamp',
        'is true, but no tsa-url is given: give the timestamp authority with tsa-url.',
      )
    }
    if (timestamp === false && tsaUrl) {
      throw new InputError('timestamp', 'is false, but tsa-url is given: remove one of them.')
    }
    if (version === 2 && !tsaUrl) {
      throw new InputError(
        'rekor-version',
        'is 2, but no tsa-url is given: Rekor v2 entries carry no time, so each signature needs a timestamp. Give tsa-url.',
      )
    }
    return {
      instance: 'custom',
      services: { kind: 'urls', fulcioUrl, rekorUrl, rekorVersion: version, tsaUrl },
      ...common,
    }
  }
  if (signingConfig)
    return { instance: 'custom', services: { kind: 'file', path: signingConfig }, ...common }
  // The signing config comes from the TUF repository that gives the trusted
  // root, or, with a trusted_root.json file, from the chosen instance's.
  if (trust.kind === 'tuf') {
    return {
      instance: knownInstanceOfMirror(trust.mirror) ?? 'custom',
      services: { kind: 'tuf', mirror: trust.mirror, rootPath: trust.rootPath },
      ...common,
    }
  }
  return {
    instance: known,
    services: { kind: 'tuf', mirror: INSTANCES[known].tufMirror },
    ...common,
  }
}

function rekorChoice(raw: string): RekorChoice {
  const value = raw.trim().toLowerCase() || 'auto'
  if (value === 'auto') return 'auto'
  if (value === '1' || value === '2') return Number(value) as RekorVersion
  throw new InputError(
    'rekor-version',
    `must be auto (what the signing config selects), 1 or 2, not '${raw.trim()}'.`,
  )
}

function timestampChoice(raw: string): TimestampChoice {
  const value = raw.trim().toLowerCase() || 'auto'
  if (value === 'auto') return 'auto'
  if (value === 'true') return true
  if (value === 'false') return false
  throw new InputError(
    'timestamp',
    `must be auto (timestamp when the instance offers it), true or false, not '${raw.trim()}'.`,
  )
}

function trustSource(get: Getter, custom: boolean, defaultMirror: string): TrustSource {
  const trustedRoot = get('trusted-root').trim()
  const mirror = url(get, 'tuf-mirror')
  const rootPath = get('tuf-root').trim() || undefined
  if (trustedRoot && mirror) {
    throw new InputError(
      'tuf-mirror',
      'cannot be combined with trusted-root: give either a trusted_root.json file or the TUF repository that serves it.',
    )
  }
  if (rootPath && !mirror) {
    throw new InputError(
      'tuf-root',
      'needs tuf-mirror: it is the initial root.json of the TUF repository that tuf-mirror names.',
    )
  }
  if (trustedRoot) return { kind: 'file', path: trustedRoot }
  if (mirror) {
    if (!rootPath && !instanceOfMirror(mirror)) {
      throw new InputError(
        'tuf-root',
        `is required with tuf-mirror ${mirror}: give the path to that repository's initial root.json.`,
      )
    }
    return { kind: 'tuf', mirror, rootPath }
  }
  if (custom) {
    throw new InputError(
      'trusted-root',
      "is required with signing-config, fulcio-url or rekor-url: give the path to that instance's trusted_root.json, " +
        'or its TUF repository with tuf-mirror and tuf-root.',
    )
  }
  return { kind: 'tuf', mirror: defaultMirror }
}
