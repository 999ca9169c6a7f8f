// Before the Windows lane's tests: the repository and the temporary folder
// made visible inside Wine's root (bind mounts), undone afterwards.
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const LANE = path.join(REPO, 'scripts/windows-lane.sh')

export function setup(): () => void {
  execFileSync('bash', [LANE, 'mount', REPO, tmpdir()], { stdio: 'inherit' })
  return () => execFileSync('bash', [LANE, 'umount'], { stdio: 'inherit' })
}
