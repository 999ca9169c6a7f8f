// The external calls a first run makes, and a fresh release to make them
// on, shared by the fault-matrix tests.
import type { Stack } from '../stack/index.js'
import { releaseJobClaims } from './claims.js'
import { releaseEvent, seedRelease } from './fixtures.js'

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
}

/** Each call a first run makes, in the order it makes them. */
export const CALLS: Call[] = [
  {
    name: 'read the release',
    server: 'api',
    method: 'GET',
    path: /\/releases\/\d+$/,
    github: true,
  },
  {
    name: 'list the assets',
    server: 'api',
    method: 'GET',
    path: /\/releases\/\d+\/assets\?/,
    github: true,
  },
  { name: 'mint the OIDC token', server: 'oidc', method: 'GET', path: /token/ },
  { name: 'get a certificate', server: 'fulcio', method: 'POST', path: /signingCert/ },
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
  },
  { name: 'download an asset', server: 'storage', method: 'GET', path: /./ },
  { name: 'write a log entry', server: 'rekor', method: 'POST', path: /entries/ },
  { name: 'get a timestamp', server: 'tsa', method: 'POST', path: /timestamp/ },
  { name: 'upload a bundle', server: 'uploads', method: 'POST', path: /assets/, github: true },
]

let serial = 0
/** A release of two small assets in a repository of its own, and the event that names it. */
export async function freshRelease(stack: Stack, call?: Pick<Call, 'privateRepo'>) {
  serial += 1
  const claims = releaseJobClaims({ repository: `octo-org/matrix-${process.pid}-${serial}` })
  const privateRepo = call?.privateRepo ?? false
  const release = await seedRelease(stack, {
    claims,
    privateRepo,
    assets: { 'one.tar.gz': 'one', 'two.tar.gz': 'two' },
  })
  return { claims, release, event: releaseEvent(release, 'published', privateRepo) }
}
