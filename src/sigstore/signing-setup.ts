// The Sigstore instance a run signs with, from its inputs: the trusted root
// its bundles are verified against, and the services that make them, chosen
// from the instance's signing config. When both come from one TUF repository,
// one client fetches both.
import { readFile } from 'node:fs/promises'
import type { TrustMaterial } from '@sigstore/verify'
import { InputError, messageOf, UserError } from '../errors.js'
import { TUF_TARGETS } from './instances.js'
import type { SigstoreInputs } from './options.js'
import { chooseServices, parseSigningConfig, type Services } from './signing-config.js'
import { fetchFromTuf, loadTrustMaterial, materialFromTuf } from './trust.js'

export interface SigningSetup {
  trust: TrustMaterial
  services: Services
}

export async function loadSigningSetup(
  sigstore: SigstoreInputs,
  cacheDir: string,
): Promise<SigningSetup> {
  const { trust, services } = sigstore
  const choice = { rekorVersion: sigstore.rekorVersion, timestamp: sigstore.timestamp }

  if (services.kind === 'urls') {
    return {
      trust: await loadTrustMaterial(trust, cacheDir),
      services: {
        fulcioUrl: services.fulcioUrl,
        logs: [{ url: services.rekorUrl, version: services.rekorVersion }],
        tsaUrls: services.tsaUrl ? [services.tsaUrl] : [],
        source: 'the fulcio-url, rekor-url and tsa-url inputs',
      },
    }
  }

  if (services.kind === 'file') {
    let text: string
    try {
      text = await readFile(services.path, 'utf8')
    } catch (error) {
      throw new InputError('signing-config', `could not read ${services.path}: ${messageOf(error)}`)
    }
    const refuse = (problem: string) =>
      new InputError('signing-config', `${services.path} ${problem}`)
    return {
      trust: await loadTrustMaterial(trust, cacheDir),
      services: chooseServices(parseSigningConfig(text, refuse), choice, services.path, refuse),
    }
  }

  // The signing config from TUF. For Rekor v2 on an instance that offers it
  // in a config of its own (as public-good does), that config; otherwise the
  // instance's default one.
  const configNames: string[] =
    sigstore.rekorVersion === 2
      ? [TUF_TARGETS.signingConfigRekorV2, TUF_TARGETS.signingConfig]
      : [TUF_TARGETS.signingConfig]
  const rootFromSameRepo = trust.kind === 'tuf' && trust.mirror === services.mirror
  const texts = await fetchFromTuf(services, cacheDir, [
    ...(rootFromSameRepo ? [TUF_TARGETS.trustedRoot] : []),
    ...configNames,
  ])
  const rootText = rootFromSameRepo ? texts.shift() : undefined
  const configIndex = texts.findIndex((t) => t !== undefined)
  const configText = texts[configIndex]
  const configName = configNames[configIndex]
  if (configText === undefined || configName === undefined) {
    throw new UserError(
      `The TUF repository at ${services.mirror} distributes no signing config (${configNames.join(' or ')}), ` +
        'so it names no services to sign with. Give them with fulcio-url and rekor-url (and tsa-url), ' +
        'or give a signing config file with signing-config.',
    )
  }
  const source = `${configName} from ${services.mirror}`
  const refuse = (problem: string) => new UserError(`The signing config ${source} ${problem}`)
  const material =
    rootFromSameRepo && trust.kind === 'tuf'
      ? materialFromTuf(rootText, trust.mirror)
      : await loadTrustMaterial(trust, cacheDir)
  return {
    trust: material,
    services: chooseServices(parseSigningConfig(configText, refuse), choice, source, refuse),
  }
}
