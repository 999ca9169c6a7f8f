// The offline stack: GitHub (API, uploads, storage), the Actions OIDC
// endpoint, and Sigstore (Fulcio, Rekor v1 and v2, a timestamp authority, and
// the TUF repository that distributes its trusted root and signing configs),
// each a real HTTP server
// on 127.0.0.1 with an ephemeral port; and an egress proxy that refuses
// every connection beyond them.
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ResultsService } from './actions/results.js'
import { EgressProxy } from './egress.js'
import { GitHubEmulator } from './github/index.js'
import type { StandInServer } from './http.js'
import { OidcIssuer } from './oidc.js'
import { FulcioStandIn } from './sigstore/fulcio.js'
import { RekorStandIn } from './sigstore/rekor.js'
import { RekorV2StandIn } from './sigstore/rekor-v2.js'
import { signingConfigJson } from './sigstore/signing-config.js'
import { trustedRootJson } from './sigstore/trusted-root.js'
import { TsaStandIn } from './sigstore/tsa.js'
import { TufRepositoryStandIn } from './sigstore/tuf.js'

export interface StackOptions {
  /** Lifetime of the certificates Fulcio issues (default 600 s, as real Fulcio). */
  certValiditySeconds?: number
  /** Latency added to every answer of every server, to model distant services (default 0). */
  latencyMs?: number
}

export interface Stack {
  github: GitHubEmulator
  oidc: OidcIssuer
  fulcio: FulcioStandIn
  rekor: RekorStandIn
  rekorV2: RekorV2StandIn
  tsa: TsaStandIn
  /**
   * The TUF repository serving trusted_root.json, signing_config.v0.2.json
   * (Fulcio, Rekor v1, the TSA) and signing_config_rekor_v2.v0.2.json (the
   * same with Rekor v2): give tuf-mirror its URL, tuf-root tufRootPath.
   */
  tuf: TufRepositoryStandIn
  /** Refuses every connection beyond the stack, and records where it was headed. */
  egress: EgressProxy
  /** The Actions results service, where workflow artifacts go. */
  results: ResultsService
  /** Folder holding trusted_root.json and the TUF repository's first root.json; removed by stop(). */
  dir: string
  trustedRootPath: string
  /** GitHub's own Sigstore instance's trusted root (for --github-trusted-root). */
  githubTrustedRootPath: string
  tufRootPath: string
  /** The two signing configs the TUF repository serves, as files (for the signing-config input). */
  signingConfigPath: string
  signingConfigV2Path: string
  servers: Record<
    'api' | 'uploads' | 'storage' | 'web' | 'oidc' | 'fulcio' | 'rekor' | 'rekorV2' | 'tsa' | 'tuf',
    StandInServer
  >
  /** How many tokens, certificates and log entries (v1 and v2) were requested. */
  counts(): { tokens: number; certificates: number; entries: number }
  stop(): Promise<void>
}

const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' })

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const github = new GitHubEmulator()
  const oidc = new OidcIssuer()
  const fulcio = new FulcioStandIn(oidc, () => github.serverUrl)
  fulcio.validitySeconds = options.certValiditySeconds ?? 600
  const rekor = new RekorStandIn(ec())
  const rekorV2 = new RekorV2StandIn()
  const tsa = new TsaStandIn()
  const results = new ResultsService()
  const tuf = new TufRepositoryStandIn()
  const egress = new EgressProxy()
  await Promise.all([
    tuf.server.start(),
    egress.start(),
    results.server.start(),
    github.start(),
    oidc.server.start(),
    fulcio.start(),
    rekor.server.start(),
    rekorV2.server.start(),
    tsa.start(ec()),
  ])

  const dir = mkdtempSync(path.join(tmpdir(), 'sign-release-stack-'))
  const trustedRootPath = path.join(dir, 'trusted_root.json')
  const trustedRoot = trustedRootJson({
    fulcioUrl: fulcio.server.url,
    caChain: [fulcio.rootCertificate],
    rekorUrl: rekor.server.url,
    rekorKey: rekor.publicKeyDer,
    ctlogKey: fulcio.ctLogPublicKey,
    tsaUrl: tsa.server.url,
    tsaChain: tsa.chain,
    rekorV2: { url: rekorV2.server.url, key: rekorV2.publicKeyDer, logId: rekorV2.logId },
  })
  writeFileSync(trustedRootPath, trustedRoot)
  tuf.setTarget('trusted_root.json', Buffer.from(trustedRoot))
  const configFor = (rekorUrl: string, majorApiVersion: number) =>
    signingConfigJson({
      ca: [{ url: fulcio.server.url, majorApiVersion: 1 }],
      tlogs: [{ url: rekorUrl, majorApiVersion }],
      tsas: [{ url: `${tsa.server.url}/api/v1/timestamp`, majorApiVersion: 1 }],
    })
  const signingConfigPath = path.join(dir, 'signing_config.v0.2.json')
  const signingConfigV2Path = path.join(dir, 'signing_config_rekor_v2.v0.2.json')
  const [v1Config, v2Config] = [configFor(rekor.server.url, 1), configFor(rekorV2.server.url, 2)]
  writeFileSync(signingConfigPath, v1Config)
  writeFileSync(signingConfigV2Path, v2Config)
  tuf.setTarget('signing_config.v0.2.json', Buffer.from(v1Config))
  tuf.setTarget('signing_config_rekor_v2.v0.2.json', Buffer.from(v2Config))
  const tufRootPath = path.join(dir, 'tuf-root.json')
  writeFileSync(tufRootPath, tuf.initialRoot)
  const githubTrustedRootPath = path.join(dir, 'github_trusted_root.json')
  writeFileSync(githubTrustedRootPath, github.releaseAttestor.trustedRootJson())

  const servers = {
    api: github.api.server,
    uploads: github.uploads.server,
    storage: github.storage.server,
    web: github.web.server,
    oidc: oidc.server,
    fulcio: fulcio.server,
    rekor: rekor.server,
    rekorV2: rekorV2.server,
    tsa: tsa.server,
    tuf: tuf.server,
    results: results.server,
  }
  for (const server of Object.values(servers)) server.latencyMs = options.latencyMs ?? 0
  return {
    github,
    oidc,
    fulcio,
    rekor,
    rekorV2,
    tsa,
    tuf,
    egress,
    results,
    dir,
    trustedRootPath,
    githubTrustedRootPath,
    tufRootPath,
    signingConfigPath,
    signingConfigV2Path,
    servers,
    counts: () => ({
      tokens: oidc.server.requests.length,
      certificates: fulcio.server.requests.filter((r) => r.method === 'POST').length,
      entries: [rekor, rekorV2]
        .flatMap((log) => log.server.requests)
        .filter((r) => r.method === 'POST').length,
    }),
    async stop() {
      await Promise.all([...Object.values(servers).map((s) => s.stop()), egress.stop()])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
