// The verifiers consumers run, as they run them: cosign 3 and sigstore-go's
// verification program (what OpenSSF Scorecard verifies release bundles
// with), from the folder scripts/verifiers-lane.sh set up, against a release
// downloaded the way a consumer downloads it, with the instance's
// trusted_root.json beside it. Every program runs with the stack's egress
// proxy in its way, so none can reach a real service.
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ReleaseRecord } from '../stack/github/state.js'
import type { Stack } from '../stack/index.js'
import { tempDir } from './temp.js'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The folder that holds cosign and sigstore-go-verification. */
export const VERIFIERS_BIN = execFileSync('bash', [
  path.join(REPO, 'scripts/verifiers-lane.sh'),
  'bin',
])
  .toString()
  .trim()

export interface Ran {
  code: number
  output: string
}

/** Runs a program of the lane (or bash), in `cwd`, offline. */
export function runProgram(
  stack: Stack,
  cwd: string,
  command: string,
  args: string[],
): Promise<Ran> {
  const child = spawn(command, args, {
    cwd,
    env: {
      PATH: `${VERIFIERS_BIN}:${process.env.PATH ?? ''}`,
      // cosign keeps a TUF cache under HOME: one of the test's own, never used with --trusted-root.
      HOME: tempDir('sign-release-verifier-home-'),
      ...stack.egress.env(),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString()
  })
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString()
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, output }))
  })
}

/**
 * Downloads every asset of the release as `gh release download` does (the
 * API's asset URL, 302 to the storage host, followed without the token) into
 * a new folder, and puts the instance's trusted_root.json beside them.
 */
export async function downloadRelease(stack: Stack, release: ReleaseRecord): Promise<string> {
  const dir = tempDir('sign-release-download-')
  const api = stack.github.urls.api
  const listed = await fetch(
    `${api}/repos/${release.owner}/${release.repo}/releases/${release.id}/assets?per_page=100`,
    {
      headers: { authorization: `Bearer ${stack.github.token}` },
    },
  )
  if (!listed.ok) throw new Error(`listing the assets: ${listed.status}`)
  for (const asset of (await listed.json()) as { name: string; url: string }[]) {
    const answer = await fetch(asset.url, {
      headers: {
        authorization: `Bearer ${stack.github.token}`,
        accept: 'application/octet-stream',
      },
    })
    if (!answer.ok) throw new Error(`downloading ${asset.name}: ${answer.status}`)
    writeFileSync(path.join(dir, asset.name), Buffer.from(await answer.arrayBuffer()))
  }
  copyFileSync(stack.trustedRootPath, path.join(dir, 'trusted_root.json'))
  return dir
}

export interface Identity {
  san: string
  issuer: string
}

/** `cosign verify-blob` of one file against its bundle, identity and issuer pinned. */
export function cosignBlob(stack: Stack, dir: string, file: string, bundle: string, who: Identity) {
  return runProgram(stack, dir, 'cosign', [
    'verify-blob',
    file,
    '--bundle',
    bundle,
    '--certificate-identity',
    who.san,
    '--certificate-oidc-issuer',
    who.issuer,
    '--trusted-root',
    'trusted_root.json',
  ])
}

/** sigstore-go's verification program, as Scorecard's check uses the library, identity pinned. */
export function sigstoreGo(stack: Stack, dir: string, file: string, bundle: string, who: Identity) {
  return runProgram(stack, dir, 'sigstore-go-verification', [
    '-trustedrootJSONpath',
    'trusted_root.json',
    '-expectedSAN',
    who.san,
    '-expectedIssuer',
    who.issuer,
    '-artifact',
    file,
    bundle,
  ])
}

/** `cosign verify-blob-attestation` of one file against an in-toto attestation. */
export function cosignAttestation(
  stack: Stack,
  dir: string,
  file: string,
  attestation: string,
  type: string,
  who: Identity,
) {
  return runProgram(stack, dir, 'cosign', [
    'verify-blob-attestation',
    file,
    '--bundle',
    attestation,
    '--type',
    type,
    '--certificate-identity',
    who.san,
    '--certificate-oidc-issuer',
    who.issuer,
    '--trusted-root',
    'trusted_root.json',
  ])
}

/**
 * The shell commands of a step summary that a consumer can run here: each
 * `<pre lang="sh">` block whose command is cosign, sha256sum or shasum, with
 * the summary's HTML escaping undone.
 */
export function printedCommands(summary: string): string[] {
  const blocks = [...summary.matchAll(/<pre lang="sh"><code>([\s\S]*?)<\/code><\/pre>/g)].map((m) =>
    unescapeHtml(m[1] ?? ''),
  )
  return blocks.filter((b) => /^(cosign|sha256sum|shasum) /.test(b))
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

/** Runs `fn` while one byte of `file` is changed, then puts the file back. */
export async function withOneByteChanged<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const original = readFileSync(file)
  const changed = Buffer.from(original)
  const at = Math.floor(changed.length / 2)
  changed.writeUInt8(changed.readUInt8(at) ^ 0x01, at)
  writeFileSync(file, changed)
  try {
    return await fn()
  } finally {
    writeFileSync(file, original)
  }
}
