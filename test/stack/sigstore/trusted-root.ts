// Writes the trusted_root.json that describes the Sigstore stand-ins, in the
// format Sigstore distributes through TUF.
import { createHash } from 'node:crypto'

export interface TrustedRootParts {
  fulcioUrl: string
  caChain: Buffer[]
  rekorUrl: string
  rekorKey: Buffer
  ctlogKey: Buffer
  tsaUrl: string
  tsaChain: Buffer[]
  /** A Rekor v2 log beside the v1 one: its URL, ed25519 key (SPKI DER) and note key ID. */
  rekorV2?: { url: string; key: Buffer; logId: Buffer }
}

export function trustedRootJson(parts: TrustedRootParts): string {
  const validFor = { start: new Date(Date.now() - 86_400_000).toISOString() }
  const key = (der: Buffer) => ({
    rawBytes: der.toString('base64'),
    keyDetails: 'PKIX_ECDSA_P256_SHA_256',
    validFor,
  })
  const logId = (der: Buffer) => ({ keyId: createHash('sha256').update(der).digest('base64') })
  const chain = (certs: Buffer[]) => ({
    certificates: certs.map((c) => ({ rawBytes: c.toString('base64') })),
  })
  return JSON.stringify(
    {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [
        {
          baseUrl: parts.rekorUrl,
          hashAlgorithm: 'SHA2_256',
          publicKey: key(parts.rekorKey),
          logId: logId(parts.rekorKey),
        },
        ...(parts.rekorV2
          ? [
              {
                baseUrl: parts.rekorV2.url,
                hashAlgorithm: 'SHA2_256',
                publicKey: {
                  rawBytes: parts.rekorV2.key.toString('base64'),
                  keyDetails: 'PKIX_ED25519',
                  validFor,
                },
                logId: { keyId: parts.rekorV2.logId.toString('base64') },
              },
            ]
          : []),
      ],
      certificateAuthorities: [
        {
          subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
          uri: parts.fulcioUrl,
          certChain: chain(parts.caChain),
          validFor,
        },
      ],
      ctlogs: [
        {
          baseUrl: parts.fulcioUrl,
          hashAlgorithm: 'SHA2_256',
          publicKey: key(parts.ctlogKey),
          logId: logId(parts.ctlogKey),
        },
      ],
      timestampAuthorities: [
        {
          subject: { organization: 'sigstore.mock', commonName: 'sigstore-tsa' },
          uri: parts.tsaUrl,
          certChain: chain(parts.tsaChain),
          validFor,
        },
      ],
    },
    null,
    2,
  )
}
