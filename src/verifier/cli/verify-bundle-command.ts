// `sign-release verify-bundle`: one bundle, with the flags of the
// sigstore-conformance client protocol.
import { BundleVerifier } from '../../sigstore/verify/bundle-verifier.js'
import { type Command, UsageError, type Values } from './args.js'
import { checkSubject, digestOf, readJson, readKey } from './files.js'
import { TRUSTED_ROOT_DEFAULT, trustFor } from './trust-options.js'

export const verifyBundleCli: Command = {
  name: 'verify-bundle',
  summary: 'verify one file (or its digest) against one Sigstore bundle',
  usage: [
    'verify-bundle --bundle FILE --certificate-identity IDENTITY --certificate-oidc-issuer URL [--trusted-root FILE] [--staging] FILE_OR_DIGEST',
    'verify-bundle --bundle FILE --key PUBLIC_KEY_PEM [--trusted-root FILE] FILE_OR_DIGEST',
  ],
  positional: {
    name: 'FILE_OR_DIGEST',
    help: 'The signed file, or its digest as sha256:<64 hex digits>.',
  },
  flags: [
    { name: 'bundle', value: 'FILE', help: 'The Sigstore bundle (.sigstore.json). Required.' },
    {
      name: 'certificate-identity',
      value: 'IDENTITY',
      help: 'The exact identity the certificate must name (its SAN), such as https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/tags/v1.2.3. Required with certificate-signed bundles: no signer is accepted by default.',
    },
    {
      name: 'certificate-oidc-issuer',
      value: 'URL',
      help: 'The OIDC issuer the identity must come from, such as https://token.actions.githubusercontent.com. Required with --certificate-identity.',
    },
    {
      name: 'key',
      value: 'PUBLIC_KEY_PEM',
      help: 'A PEM public key, for a bundle signed with a managed key instead of a certificate.',
    },
    {
      name: 'trusted-root',
      value: 'FILE',
      help: 'A trusted_root.json to verify against.',
      default: TRUSTED_ROOT_DEFAULT,
    },
    { name: 'staging', help: "Trust Sigstore's staging instance instead of public-good." },
  ],
  env: [
    {
      name: 'TMPDIR',
      help: 'Where the TUF metadata is cached (sign-release-cli/ under the system temporary folder).',
    },
    {
      name: 'HTTPS_PROXY',
      help: 'A proxy for reaching the TUF repository, with NODE_USE_ENV_PROXY=1.',
    },
  ],
  run: verifyBundle,
}

async function verifyBundle(values: Values, positionals: string[]): Promise<number> {
  // Every argument is checked before anything is fetched.
  const bundleFile = values.bundle as string | undefined
  if (!bundleFile) throw new UsageError('--bundle is required')
  const [subject] = positionals
  if (!subject) throw new UsageError('FILE_OR_DIGEST is required: the signed file, or sha256:<hex>')
  checkSubject(subject)
  const identity = values['certificate-identity'] as string | undefined
  const issuer = values['certificate-oidc-issuer'] as string | undefined
  const keyFile = values.key as string | undefined
  if (!keyFile && !(identity && issuer)) {
    throw new UsageError(
      'give --certificate-identity and --certificate-oidc-issuer, or --key: no signer is accepted by default',
    )
  }
  const key = keyFile ? readKey(keyFile) : undefined
  const json = readJson(bundleFile, '--bundle')
  const digest = await digestOf(subject)

  const trust = await trustFor(
    values['trusted-root'] as string | undefined,
    values.staging === true,
    key,
  )
  if (key && hasCertificate(json)) {
    console.log('FAIL: the bundle is signed with a certificate, not with the key given by --key')
    return 1
  }
  const policy = key ? undefined : { subjectAlternativeName: identity as string, issuer }
  const verdict = new BundleVerifier(trust).check(json, digest, policy)
  if (verdict.ok) {
    console.log(`OK: ${subject} (signed by ${verdict.signer})`)
    return 0
  }
  const why = verdict.problem === 'wrong identity' ? `signed by ${verdict.signer}` : verdict.why
  console.log(`FAIL: ${verdict.problem}: ${why}`)
  return 1
}

function hasCertificate(json: unknown): boolean {
  const material = (json as { verificationMaterial?: Record<string, unknown> })
    ?.verificationMaterial
  return Boolean(material?.certificate || material?.x509CertificateChain)
}
