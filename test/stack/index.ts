// The offline stack: GitHub (API, uploads, storage), the Actions OIDC
// endpoint, and Sigstore (Fulcio, Rekor v1, a timestamp authority), each a
// real HTTP server on 127.0.0.1 with an ephemeral port.
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ResultsService } from './actions/results.js'
import { GitHubEmulator } from './github/index.js'
import type { StandInServer } from './http.js'
import { OidcIssuer } from './oidc.js'
import { FulcioStandIn } from './sigstore/fulcio.js'
import { RekorStandIn } from './sigstore/rekor.js'
import { trustedRootJson } from './sigstore/trusted-root.js'
import { TsaStandIn } from './sigstore/tsa.js'

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
  tsa: TsaStandIn
  /** The Actions results service, where workflow artifacts go. */
  results: ResultsService
  /** Folder holding trusted_root.json; removed by stop(). */
  dir: string
  trustedRootPath: string
  servers: Record<
    'api' | 'uploads' | 'storage' | 'oidc' | 'fulcio' | 'rekor' | 'tsa',
    StandInServer
  >
  /** How many tokens, certificates and log entries were requested. */
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
  const tsa = new TsaStandIn()
  const results = new ResultsService()
  await Promise.all([
    results.server.start(),
    github.start(),
    oidc.server.start(),
    fulcio.start(),
    rekor.server.start(),
    tsa.start(ec()),
  ])

  const dir = mkdtempSync(path.join(tmpdir(), 'sign-release-stack-'))
  const trustedRootPath = path.join(dir, 'trusted_root.json')
  writeFileSync(
    trustedRootPath,
    trustedRootJson({
      fulcioUrl: fulcio.server.url,
      caChain: [fulcio.rootCertificate],
      rekorUrl: rekor.server.url,
      rekorKey: rekor.publicKeyDer,
      ctlogKey: fulcio.ctLogPublicKey,
      tsaUrl: tsa.server.url,
      tsaChain: tsa.chain,
    }),
  )

  const servers = {
    api: github.api.server,
    uploads: github.uploads.server,
    storage: github.storage.server,
    oidc: oidc.server,
    fulcio: fulcio.server,
    rekor: rekor.server,
    tsa: tsa.server,
    results: results.server,
  }
  for (const server of Object.values(servers)) server.latencyMs = options.latencyMs ?? 0
  return {
    github,
    oidc,
    fulcio,
    rekor,
    tsa,
    results,
    dir,
    trustedRootPath,
    servers,
    counts: () => ({
      tokens: oidc.server.requests.length,
      certificates: fulcio.server.requests.filter((r) => r.method === 'POST').length,
      entries: rekor.server.requests.filter((r) => r.method === 'POST').length,
    }),
    async stop() {
      await Promise.all(Object.values(servers).map((s) => s.stop()))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
