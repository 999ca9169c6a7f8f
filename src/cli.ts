#!/usr/bin/env node
// The command line, for the people who download a release:
//   sign-release verify-bundle   one bundle, with the sigstore-conformance client's flags
//   sign-release verify-release  every asset of a GitHub release against its bundle
// Exit 0 when everything verifies; 1 with one line saying why when not; 2 for
// a command line that cannot be run.
import { createPublicKey, type KeyObject } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { describeError, messageOf, UserError } from './errors.js'
import { GitHubReleases } from './github/client.js'
import { GITHUB_ISSUER } from './sigstore/identity.js'
import { INSTANCES } from './sigstore/instances.js'
import { toMaterial } from './sigstore/trust.js'
import { BundleVerifier, type IdentityPolicy } from './sigstore/verify.js'
import { hashFile } from './util/hash-files.js'
import { splitList } from './util/patterns.js'
import { verdictLine, verifyRelease } from './verify-release.js'

const USAGE = `usage:
  sign-release verify-bundle [--staging] --bundle FILE --certificate-identity IDENTITY --certificate-oidc-issuer URL [--trusted-root FILE] FILE_OR_DIGEST
  sign-release verify-bundle [--staging] --bundle FILE --key PUBLIC_KEY_PEM [--trusted-root FILE] FILE_OR_DIGEST
  sign-release verify-release --tag TAG [--repo OWNER/REPO] (--certificate-identity ID | --certificate-identity-regexp RE)
      [--certificate-oidc-issuer URL] [--assets PATTERNS] [--bundle-suffix .sigstore.json] [--trusted-root FILE] [--staging] [--json]`

/** A command line that cannot be run as given. */
class UsageError extends UserError {}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv
  if (command === 'verify-bundle') return verifyBundle(args)
  if (command === 'verify-release') return verifyReleaseCommand(args)
  throw new UsageError(command ? `unknown command '${command}'` : 'no command given')
}

async function verifyBundle(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      staging: { type: 'boolean' },
      bundle: { type: 'string' },
      'certificate-identity': { type: 'string' },
      'certificate-oidc-issuer': { type: 'string' },
      key: { type: 'string' },
      'trusted-root': { type: 'string' },
    },
  })
  const [subject, ...extra] = positionals
  if (!values.bundle) throw new UsageError('--bundle is required')
  if (!subject || extra.length > 0) throw new UsageError('give exactly one FILE_OR_DIGEST')
  const identity = values['certificate-identity']
  const issuer = values['certificate-oidc-issuer']
  if (!values.key && !(identity && issuer)) {
    throw new UsageError(
      'give --certificate-identity and --certificate-oidc-issuer, or --key: no signer is accepted by default',
    )
  }
  const key = values.key ? readKey(values.key) : undefined
  const trust = await trustFor(values['trusted-root'], values.staging ?? false, key)
  const digest = await digestOf(subject)
  const json = readJson(values.bundle, 'bundle')
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

async function verifyReleaseCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      tag: { type: 'string' },
      repo: { type: 'string' },
      'certificate-identity': { type: 'string' },
      'certificate-identity-regexp': { type: 'string' },
      'certificate-oidc-issuer': { type: 'string' },
      assets: { type: 'string' },
      'bundle-suffix': { type: 'string' },
      'trusted-root': { type: 'string' },
      staging: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  })
  if (!values.tag) throw new UsageError('--tag is required')
  const repository = values.repo ?? process.env.GITHUB_REPOSITORY
  const [owner, repo, ...more] = (repository ?? '').split('/')
  if (!owner || !repo || more.length > 0)
    throw new UsageError('give --repo OWNER/REPO (or set GITHUB_REPOSITORY)')
  const policy = identityPolicy(
    values['certificate-identity'],
    values['certificate-identity-regexp'],
    values['certificate-oidc-issuer'],
  )
  const trust = await trustFor(values['trusted-root'], values.staging ?? false)
  const api = new GitHubReleases({
    token: process.env.GITHUB_TOKEN || process.env.GH_TOKEN || '',
    owner,
    repo,
    apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
    publicRepository: false,
  })
  const release = await api.findReleaseByTag(values.tag)
  if (!release) throw new UserError(`${owner}/${repo} has no release tagged ${values.tag}`)
  const verdicts = await verifyRelease(api, release, new BundleVerifier(trust), {
    patterns: splitList(values.assets).length > 0 ? splitList(values.assets) : ['*'],
    bundleSuffix: values['bundle-suffix'] ?? '.sigstore.json',
    policy,
    concurrency: 8,
  })
  if (values.json) console.log(JSON.stringify(verdicts, null, 2))
  else for (const v of verdicts) console.log(verdictLine(v))
  if (verdicts.length === 0) {
    console.error(`no asset of ${values.tag} matches the patterns`)
    return 1
  }
  return verdicts.every((v) => v.status === 'ok') ? 0 : 1
}

/** The identity a consumer expects: exact or a pattern, and the issuer (GitHub's by default). */
export function identityPolicy(
  exact: string | undefined,
  pattern: string | undefined,
  issuer: string | undefined,
): IdentityPolicy {
  if (exact && pattern)
    throw new UsageError('give --certificate-identity or --certificate-identity-regexp, not both')
  if (!exact && !pattern) {
    throw new UsageError(
      'give --certificate-identity or --certificate-identity-regexp: no signer is accepted by default',
    )
  }
  let san: string | RegExp = exact as string
  if (pattern) {
    try {
      san = new RegExp(pattern)
    } catch (error) {
      throw new UsageError(
        `--certificate-identity-regexp is not a regular expression: ${messageOf(error)}`,
      )
    }
  }
  return { subjectAlternativeName: san, issuer: issuer ?? GITHUB_ISSUER }
}

/**
 * The trusted root: a file, or the one Sigstore's TUF repository distributes
 * (production, or staging). Offline, production falls back to the trusted
 * root that ships with @sigstore/tuf.
 */
async function trustFor(trustedRoot: string | undefined, staging: boolean, key?: KeyObject) {
  const keys = key ? [key] : undefined
  if (trustedRoot) {
    const text = readText(trustedRoot, 'trusted root')
    return toMaterial(text, (problem) => new UserError(`${trustedRoot} ${problem}`), keys)
  }
  const instance = INSTANCES[staging ? 'staging' : 'public-good']
  const { fetchTrustedRootJson, shippedTrustedRootJson } = await import('./sigstore/tuf.js')
  const repo = {
    mirror: instance.tufMirror,
    rootFromMirror: instance.initialRoot === 'from-mirror',
  }
  const cacheDir = path.join(tmpdir(), 'sign-release-cli', staging ? 'staging' : 'production')
  let text: string
  try {
    text = await fetchTrustedRootJson(repo, cacheDir)
  } catch (error) {
    const shipped = shippedTrustedRootJson(instance.tufMirror)
    if (!shipped) {
      throw new UserError(
        `could not fetch the trusted root from ${instance.tufMirror}: ${describeError(error).split('\n')[0]}`,
      )
    }
    console.error(
      `warning: ${instance.tufMirror} could not be reached; using the trusted root that ships with @sigstore/tuf`,
    )
    text = shipped
  }
  const refuse = (problem: string) =>
    new UserError(`the trusted root from ${instance.tufMirror} ${problem}`)
  return toMaterial(text, refuse, keys)
}

/** A file's SHA-256, or the digest given as sha256:<hex> when no such file exists. */
async function digestOf(subject: string): Promise<Buffer> {
  if (existsSync(subject)) return (await hashFile(subject)).digest
  const hex = /^sha256:([0-9a-fA-F]{64})$/.exec(subject)?.[1]
  if (hex) return Buffer.from(hex, 'hex')
  throw new UsageError(
    `${subject} is neither a file nor a digest of the form sha256:<64 hex digits>`,
  )
}

function readKey(file: string): KeyObject {
  try {
    return createPublicKey(readText(file, 'key'))
  } catch (error) {
    throw new UserError(`${file} is not a PEM public key: ${messageOf(error)}`)
  }
}

function hasCertificate(json: unknown): boolean {
  const material = (json as { verificationMaterial?: Record<string, unknown> })
    ?.verificationMaterial
  return Boolean(material?.certificate || material?.x509CertificateChain)
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readText(file, what))
  } catch (error) {
    if (error instanceof UserError) throw error
    throw new UserError(`the ${what} ${file} is not JSON: ${messageOf(error)}`)
  }
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new UserError(`could not read the ${what} ${file}: ${messageOf(error)}`)
  }
}

/**
 * The GitHub adapter logs through @actions/core, which writes workflow
 * commands to stdout. Outside a runner they are noise: debug lines are
 * dropped, and warnings go to stderr as plain text.
 */
function translateWorkflowCommands(): void {
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    if (text.startsWith('::debug::')) return true
    const warning = /^::warning[^:]*::(.*)/s.exec(text)
    if (warning) return process.stderr.write(`warning: ${warning[1]}`)
    return write(chunk, ...(rest as []))
  }) as typeof process.stdout.write
}

translateWorkflowCommands()
try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  const usage =
    error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  console.error(
    `${usage ? 'usage error' : 'error'}: ${describeError(error).split('\n').join('; ')}`,
  )
  if (usage) console.error(USAGE)
  process.exitCode = usage ? 2 : 1
}
