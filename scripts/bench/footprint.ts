// The bundle's cold start and size.
import { spawn } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { ACTION_ENTRY } from '../../test/support/runner.js'

/** Time from starting `node dist/index.js` to its first line of output (median of 7). */
export async function coldStart(): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < 7; i++) {
    const started = performance.now()
    const child = spawn(process.execPath, [ACTION_ENTRY], {
      env: { PATH: process.env.PATH, 'INPUT_GITHUB-TOKEN': 'cold-start', GITHUB_REPOSITORY: 'o/r' },
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
    samples.push(performance.now() - started)
    child.kill()
  }
  return samples.sort((a, b) => a - b)[3] ?? 0
}

export function distSize(dir = 'dist'): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return sum + distSize(file)
    return file.endsWith('.map') ? sum : sum + statSync(file).size
  }, 0)
}
