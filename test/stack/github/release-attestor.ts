// GitHub's own Sigstore instance, as it signs the release attestation of an
// immutable release when it is published: its own certificate authority and
// timestamp authority (not public-good), a leaf whose SAN is
// https://dotcom.releases.github.com with no OIDC-issuer extension and no
// SCT, one RFC 3161 timestamp, no log entry; and its own trusted root. The
// statement is the in-toto release predicate as cli/cli's `gh release
// verify` reads it: the tag's purl and git object first, then each asset.
import 'reflect-metadata'
import { createHash, generateKeyPairSync, type KeyObject, sign, webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import { initializeTSA } from '@sigstore/mock'
import type { ReleaseRecord } from './state.js'

const SIGNING = { name: 'ECDSA', hash: 'SHA-384' }
const KEY = { name: 'ECDSA', namedCurve: 'P-256' }
const ROOT = 'CN=Internal Services Root,O=GitHub\\, Inc.'
const OID_SHA256 = '2.16.840.1.101.3.4.2.1'

type TSA = Awaited<ReturnType<typeof initializeTSA>>

export interface ReleaseSubjects {
  /** The tag's git object: the annotated tag object, or the commit of a lightweight tag. */
  tagSha: string
  repositoryId: number
  ownerId: number
}

export class GitHubReleaseAttestor {
  /** The leaf's SAN; a test sets another to model a certificate for something else. */
  san = 'https://dotcom.releases.github.com'
  /** The release predicate's version: v0.2 now, v0.1 on older releases. */
  predicateVersion: 'v0.1' | 'v0.2' = 'v0.2'
  /** Lets a test change the statement before it is signed (a wrong tag or repository). */
  tamper?: (statement: Record<string, unknown>) => void

  private constructor(
    private readonly caKeys: webcrypto.CryptoKeyPair,
    private readonly root: x509.X509Certificate,
    private readonly tsa: TSA,
  ) {}

  static async create(): Promise<GitHubReleaseAttestor> {
    x509.cryptoProvider.set(webcrypto as never)
    const caKeys = (await webcrypto.subtle.generateKey(KEY, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair
    const root = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '02',
      name: ROOT,
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 365 * 86_400_000),
      signingAlgorithm: SIGNING,
      keys: caKeys as never,
      extensions: [
        new x509.BasicConstraintsExtension(true, 1, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey as never),
      ],
    })
    const tsa = await initializeTSA(generateKeyPairSync('ec', { namedCurve: 'P-256' }) as never)
    // Whole seconds, as the Sigstore TSA stand-in (@sigstore/core rejects two fraction digits).
    ;(tsa as unknown as { getCurrentTime: () => Date }).getCurrentTime = () =>
      new Date(Math.floor(Date.now() / 1000) * 1000)
    return new GitHubReleaseAttestor(caKeys, root, tsa)
  }

  /** GitHub's trusted root as its TUF repository distributes it: a CA and a TSA, no logs. */
  trustedRootJson(): string {
    const validFor = { start: new Date(Date.now() - 86_400_000).toISOString() }
    const chain = (certs: Buffer[]) => ({
      certificates: certs.map((c) => ({ rawBytes: c.toString('base64') })),
    })
    const tsaChain = [this.tsa.intCertificate, this.tsa.rootCertificate].map((c) =>
      Buffer.from(c.buffer, c.byteOffset, c.byteLength),
    )
    return JSON.stringify(
      {
        mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
        tlogs: [],
        certificateAuthorities: [
          {
            subject: { organization: 'GitHub, Inc.', commonName: 'Internal Services Root' },
            uri: 'fulcio.githubapp.com',
            certChain: chain([Buffer.from(this.root.rawData)]),
            validFor,
          },
        ],
        ctlogs: [],
        timestampAuthorities: [
          {
            subject: { organization: 'GitHub, Inc.', commonName: 'TSA Timestamping' },
            uri: 'timestamp.githubapp.com',
            certChain: chain(tsaChain),
            validFor,
          },
        ],
      },
      null,
      2,
    )
  }

  /** The release attestation of a release as it is now: a Sigstore bundle v0.3 (JSON). */
  async attest(release: ReleaseRecord, s: ReleaseSubjects): Promise<unknown> {
    const purl = `pkg:github/${release.owner}/${release.repo}@${release.tagName}`
    const statement: Record<string, unknown> = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [
        { uri: purl, digest: { sha1: s.tagSha } },
        ...release.assets
          .filter((a) => a.state === 'uploaded' && a.digest)
          .map((a) => ({ name: a.name, digest: { sha256: a.digest } })),
      ],
      predicateType: `https://in-toto.io/attestation/release/${this.predicateVersion}`,
      predicate: {
        ownerId: String(s.ownerId),
        purl,
        [this.predicateVersion === 'v0.1' ? 'releaseId' : 'databaseId']: String(release.id),
        repository: `${release.owner}/${release.repo}`,
        repositoryId: String(s.repositoryId),
        tag: release.tagName,
      },
    }
    this.tamper?.(statement)
    const payload = Buffer.from(JSON.stringify(statement))
    const type = 'application/vnd.in-toto+json'
    const pae = Buffer.concat([
      Buffer.from(`DSSEv1 ${type.length} ${type} ${payload.length} `),
      payload,
    ])
    const leaf = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const signature = sign('sha256', pae, leaf.privateKey)
    const certificate = await this.leafCertificate(leaf.publicKey)
    const timestamp = await this.tsa.timestamp({
      artifactHash: createHash('sha256').update(signature).digest(),
      hashAlgorithmOID: OID_SHA256,
      nonce: Math.floor(Math.random() * 2 ** 31),
      policyOID: '1.3.6.1.4.1.57264.2',
      certReq: false,
    })
    return {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: {
        timestampVerificationData: {
          rfc3161Timestamps: [
            {
              signedTimestamp: Buffer.from(
                timestamp.buffer,
                timestamp.byteOffset,
                timestamp.byteLength,
              ).toString('base64'),
            },
          ],
        },
        certificate: { rawBytes: certificate.toString('base64') },
      },
      dsseEnvelope: {
        payload: payload.toString('base64'),
        payloadType: type,
        signatures: [{ sig: signature.toString('base64') }],
      },
    }
  }

  /** A year-long leaf, as GitHub's are: the SAN alone, no OIDC issuer, no SCT. */
  private async leafCertificate(publicKey: KeyObject): Promise<Buffer> {
    const spki = publicKey.export({ type: 'spki', format: 'der' })
    const key = await webcrypto.subtle.importKey('spki', spki, KEY, true, ['verify'])
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: createHash('sha256').update(spki).digest('hex').slice(0, 16),
      issuer: ROOT,
      subject: 'CN=Attester,O=GitHub\\, Inc.',
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 365 * 86_400_000),
      signingAlgorithm: SIGNING,
      publicKey: key as never,
      signingKey: this.caKeys.privateKey as never,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
        new x509.SubjectAlternativeNameExtension([{ type: 'url', value: this.san }], false),
        await x509.AuthorityKeyIdentifierExtension.create(this.caKeys.publicKey as never),
      ] as x509.Extension[],
    })
    return Buffer.from(cert.rawData)
  }
}
