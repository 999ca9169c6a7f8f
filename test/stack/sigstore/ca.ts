// Fulcio's certificate authority. @sigstore/mock's CA always issues
// ten-minute certificates; this one issues certificates of any lifetime
// (notBefore = now), so certificate renewal can be tested. Its SCTs come from
// @sigstore/mock's CT log, which signs real RFC 6962 timestamps.
import 'reflect-metadata'
import { createHash, webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import { initializeCTLog } from '@sigstore/mock'
import * as asn1js from 'asn1js'

const SIGNING = { name: 'ECDSA', hash: 'SHA-384' }
const KEY = { name: 'ECDSA', namedCurve: 'P-256' }
const ISSUER = 'CN=sigstore,O=sigstore.mock'
const OID_SCT_LIST = '1.3.6.1.4.1.11129.2.4.2'

export interface Extension {
  oid: string
  value: string
  /** Fulcio's first extensions hold the raw string, not a DER UTF8String. */
  legacy?: boolean
}

type CTLog = Awaited<ReturnType<typeof initializeCTLog>>

export class CertificateAuthority {
  private constructor(
    private readonly keys: webcrypto.CryptoKeyPair,
    readonly root: x509.X509Certificate,
    readonly ctLog: CTLog,
    private readonly issuerId: ArrayBuffer,
  ) {}

  static async create(): Promise<CertificateAuthority> {
    x509.cryptoProvider.set(webcrypto as never)
    const keys = (await webcrypto.subtle.generateKey(KEY, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair
    const root = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: ISSUER,
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 365 * 86_400_000),
      signingAlgorithm: SIGNING,
      keys: keys as never,
      extensions: [
        new x509.BasicConstraintsExtension(true, 1, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
      ],
    })
    const { generateKeyPairSync } = await import('node:crypto')
    const ctLog = await initializeCTLog(generateKeyPairSync('ec', { namedCurve: 'P-256' }) as never)
    const spki = await webcrypto.subtle.exportKey('spki', keys.publicKey)
    const issuerId = createHash('sha256').update(Buffer.from(spki)).digest()
    return new CertificateAuthority(
      keys,
      root,
      ctLog,
      issuerId.buffer.slice(issuerId.byteOffset, issuerId.byteOffset + 32),
    )
  }

  async issue(options: {
    publicKeyDer: Buffer
    san: string
    extensions: Extension[]
    validitySeconds: number
  }): Promise<Buffer> {
    const publicKey = await webcrypto.subtle.importKey('spki', options.publicKeyDer, KEY, true, [
      'verify',
    ])
    const now = new Date(Math.floor(Date.now() / 1000) * 1000)
    const params = {
      serialNumber: createHash('sha256')
        .update(options.publicKeyDer)
        .update(String(Date.now()))
        .digest('hex')
        .slice(0, 16),
      issuer: ISSUER,
      subject: '',
      notBefore: now,
      notAfter: new Date(now.getTime() + options.validitySeconds * 1000),
      signingAlgorithm: SIGNING,
      publicKey: publicKey as never,
      signingKey: this.keys.privateKey as never,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
        new x509.SubjectAlternativeNameExtension([{ type: 'url', value: options.san }], true),
        await x509.SubjectKeyIdentifierExtension.create(publicKey as never),
        await x509.AuthorityKeyIdentifierExtension.create(this.keys.publicKey as never),
        ...options.extensions.map(
          (e) =>
            new x509.Extension(
              e.oid,
              false,
              e.legacy
                ? Buffer.from(e.value)
                : new asn1js.Utf8String({ value: e.value }).toBER(false),
            ),
        ),
      ] as x509.Extension[],
    }
    // Pre-certificate to the CT log, then the final certificate with the SCT.
    const pre = await x509.X509CertificateGenerator.create(params)
    const sct = Buffer.from(await this.ctLog.log(pre.rawData, this.issuerId))
    const list = Buffer.concat([Buffer.from([0x00, sct.length]), sct])
    params.extensions.push(
      new x509.Extension(
        OID_SCT_LIST,
        false,
        new asn1js.OctetString({ valueHex: list }).toBER(false),
      ),
    )
    const cert = await x509.X509CertificateGenerator.create(params)
    return Buffer.from(cert.rawData)
  }
}
