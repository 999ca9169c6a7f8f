// A ready .env for @github/local-action, which runs the action's TypeScript
// source on a laptop with the toolkit stubbed: the same variables the test
// runner gives the bundled action (jobEnvironment), for a release job of the
// stack's, with services and trust from the stack's TUF repository.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Stack } from '../stack/index.js'
import type { JobClaims } from '../stack/oidc.js'
import { jobEnvironment } from './runner.js'

export interface LocalActionEnv {
  /** The .env file to pass to local-action. */
  file: string
  /** The variables it holds. */
  env: Record<string, string>
}

export function writeLocalActionEnv(
  stack: Stack,
  o: {
    claims: JobClaims
    dir: string
    event: unknown
    inputs?: Record<string, string>
    run?: { id: string; attempt: number }
  },
): LocalActionEnv {
  const eventFile = path.join(o.dir, 'event.json')
  const runnerTemp = path.join(o.dir, 'runner-temp')
  const workspace = path.join(o.dir, 'workspace')
  mkdirSync(runnerTemp, { recursive: true })
  mkdirSync(workspace, { recursive: true })
  writeFileSync(eventFile, JSON.stringify(o.event))
  const env = jobEnvironment(
    { stack, claims: o.claims, sigstore: 'stack-tuf', inputs: o.inputs },
    { eventFile, runnerTemp, workspace, run: o.run ?? { id: '1', attempt: 1 } },
  )
  // Loopback needs no proxy, whatever the shell that starts local-action has set.
  env.NO_PROXY = '127.0.0.1,localhost'
  env.no_proxy = env.NO_PROXY
  const file = path.join(o.dir, 'local-action.env')
  // Quoted: dotenv keeps every character, and a value may hold a '#'.
  const lines = Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)}`)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return { file, env }
}
