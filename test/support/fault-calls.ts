// The external calls a first run makes, and a fresh release to make them
// on, shared by the fault-matrix tests.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Stack } from '../stack/index.js'
import { releaseJobClaims } from './claims.js'
import { releaseEvent, seedRelease } from './fixtures.js'
import { runAction } from './runner.js'
import { tempDir } from './temp.js'

export type ServerName = keyof Stack['servers']
export interface Call {
  name: string
  server: ServerName
  method: string
  path: RegExp
  /** GitHub's own hosts also answer with its secondary rate limit. */
  github?: boolean
  /** Made only for a private repository (a public one downloads from the web host). */
  privateRepo?: boolean
  /**
   * The run that makes the call, when a first run on a published release
   * does not: a manual run by tag (of a published release, or of a draft),
   * a re-run with overwrite, a draft published by the run, a run that
   * attaches a local file, one that attaches GitHub's source archives, or
   * one that writes to Rekor v2 (services from the stack's TUF repository).
   */
  scenario?:
    | 'by-tag'
    | 'draft-by-tag'
    | 'overwrite'
    | 'publish'
    | 'files'
    | 'github-archive'
    | 'rekor-v2'
  /** The run gets around this call when it keeps failing, and succeeds. */
  avoidable?: string
  /** Requests the run makes to this call when it keeps failing, as the README's retry table says. */
  attempts?: number
}

/** Each call a first run makes, in the order it makes them. */
export const CALLS: Call[] = [
  {
    name: 'read the release',
    server: 'api',
    method: 'GET',
    path: /\/releases\/\d+$/,
    github: true,
    attempts: 4,
  },
  {
    name: 'list the assets',
    server: 'api',
    method: 'GET',
    path: /\/releases\/\d+\/assets\?/,
    github: true,
    attempts: 4,
  },
  { name: 'mint the OIDC token', server: 'oidc', method: 'GET', path: /token/, attempts: 4 },
  {
    name: 'get a certificate',
    server: 'fulcio',
    method: 'POST',
    path: /signingCert/,
    attempts: 4,
  },
  {
    name: 'ask the API for an asset',
    server: 'api',
    method: 'GET',
    path: /\/releases\/assets\/\d+$/,
    github: true,
    privateRepo: true,
  },
  {
    name: 'ask the web host for an asset',
    server: 'web',
    method: 'GET',
    path: /\/releases\/download\//,
    github: true,
    attempts: 8, // 4 for each of the two assets
  },
  { name: 'download an asset', server: 'storage', method: 'GET', path: /./ },
  {
    name: 'write a log entry',
    server: 'rekor',
    method: 'POST',
    path: /entries/,
    attempts: 8, // 4 for each of the two assets
  },
  {
    name: 'write a Rekor v2 entry',
    server: 'rekorV2',
    method: 'POST',
    path: /entries/,
    attempts: 8, // 4 for each of the two assets
    scenario: 'rekor-v2',
  },
  {
    name: 'get a timestamp',
    server: 'tsa',
    method: 'POST',
    path: /timestamp/,
    attempts: 8, // 4 for each of the two assets
  },
  {
    name: 'upload a bundle',
    server: 'uploads',
    method: 'POST',
    path: /assets/,
    github: true,
    attempts: 8, // 4 for each of the two bundles
  },
  {
    name: 'look up a release by tag',
    server: 'api',
    method: 'GET',
    path: /\/releases\/tags\//,
    github: true,
    scenario: 'by-tag',
  },
  {
    name: 'list the releases to find a draft',
    server: 'api',
    method: 'GET',
    path: /\/releases\?/,
    github: true,
    scenario: 'draft-by-tag',
  },
  {
    name: 'delete an old bundle',
    server: 'api',
    method: 'DELETE',
    path: /\/releases\/assets\/\d+$/,
    github: true,
    scenario: 'overwrite',
  },
  {
    name: 'rename a new bundle into place',
    server: 'api',
    method: 'PATCH',
    path: /\/releases\/assets\/\d+$/,
    github: true,
    scenario: 'overwrite',
    avoidable: 'the bundle is uploaded again under its own name',
  },
  {
    name: 'upload a local file',
    server: 'uploads',
    method: 'POST',
    path: /assets\?name=local\.bin$/,
    github: true,
    scenario: 'files',
    attempts: 4,
  },
  {
    name: 'ask the API for the source archive',
    server: 'api',
    method: 'GET',
    path: /\/tarball\//,
    github: true,
    scenario: 'github-archive',
    attempts: 4,
  },
  {
    name: 'publish the draft',
    server: 'api',
    method: 'PATCH',
    path: /\/releases\/\d+$/,
    github: true,
    scenario: 'publish',
  },
]

let serial = 0
/**
 * A release of two small assets (or `count`: one) in a repository of its
 * own, set up for the run that makes `call`; `options` are that run's, to
 * pass to runAction.
 */
export async function freshRelease(
  stack: Stack,
  call?: Pick<Call, 'privateRepo' | 'scenario'>,
  count: 1 | 2 = 2,
) {
  serial += 1
  const repository = `octo-org/matrix-${process.pid}-${serial}`
  const scenario = call?.scenario
  const manual = scenario === 'by-tag' || scenario === 'draft-by-tag' || scenario === 'publish'
  const claims = releaseJobClaims(
    manual
      ? { repository, event_name: 'workflow_dispatch', ref: 'refs/heads/main' }
      : { repository },
  )
  const privateRepo = call?.privateRepo ?? false
  const release = await seedRelease(stack, {
    claims,
    privateRepo,
    draft: scenario === 'draft-by-tag' || scenario === 'publish',
    assets: count === 2 ? { 'one.tar.gz': 'one', 'two.tar.gz': 'two' } : { 'one.tar.gz': 'one' },
  })
  const event = manual
    ? { inputs: { tag: release.tagName }, repository: { private: privateRepo } }
    : releaseEvent(release, 'published', privateRepo)
  const inputs: Record<string, string> = manual ? { tag: release.tagName } : {}
  if (scenario === 'publish') inputs.publish = 'true'
  const [, repoName] = repository.split('/')
  const expected = count === 2 ? ['one.tar.gz', 'two.tar.gz'] : ['one.tar.gz']
  let workspace: string | undefined
  if (scenario === 'files') {
    workspace = tempDir('sign-release-ws-')
    writeFileSync(path.join(workspace, 'local.bin'), 'built by the job')
    Object.assign(inputs, { files: 'local.bin', assets: '*' })
    expected.unshift('local.bin')
  }
  if (scenario === 'github-archive') {
    Object.assign(inputs, { 'source-archive': 'github', assets: '*' })
    expected.push(`${repoName}-v1.0.0.tar.gz`, `${repoName}-v1.0.0.zip`)
  }
  const sigstore = scenario === 'rekor-v2' ? ('stack-tuf' as const) : ('stack' as const)
  if (scenario === 'rekor-v2') inputs['rekor-version'] = '2'
  if (scenario === 'overwrite') {
    inputs.overwrite = 'true'
    // The bundles that the run will replace.
    const first = await runAction({ sigstore: 'stack', stack, claims, event })
    if (first.exitCode !== 0) throw new Error(`the first run failed:\n${first.log}`)
  }
  return {
    claims,
    release,
    /** The names that end with a verifying bundle. */
    expected: expected.sort(),
    options: { sigstore, stack, claims, event, inputs, workspace },
  }
}
