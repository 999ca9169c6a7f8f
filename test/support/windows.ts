// The Windows lane: the bundled action run by Node 24 for Windows under Wine
// (scripts/windows-lane.sh makes the machine), as a Windows runner runs it:
// RUNNER_OS=Windows, and every path the runner gives as a drive path
// (Z:\ is the root of the file system Wine sees).
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const NODE_VERSION = (
  JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>
  }
).devDependencies.node

export interface WindowsLane {
  /** The trixie root that holds Wine and node.exe. */
  root: string
  /** node.exe, as a path inside the root. */
  node: string
}

export const WINDOWS_LANE: WindowsLane = {
  root: path.join(process.env.SIGN_RELEASE_WINE_ROOT || '/var/cache/sign-release-wine', 'trixie'),
  node: `/opt/node-win/${NODE_VERSION}/node.exe`,
}

/** Whether scripts/windows-lane.sh setup has made the lane on this machine. */
export function windowsLaneReady(): boolean {
  return existsSync(path.join(WINDOWS_LANE.root, WINDOWS_LANE.node.slice(1)))
}

/** A path as a Windows runner gives it: `/tmp/x` is `Z:\tmp\x`. */
export function windowsPath(posix: string): string {
  return `Z:${posix.replaceAll('/', '\\')}`
}

/**
 * The command that runs `entry` with node.exe under Wine: chroot and Wine
 * are called directly, never through /bin/sh, which drops variables whose
 * names hold a `-` (INPUT_DRY-RUN).
 */
export function windowsCommand(lane: WindowsLane, entry: string): string[] {
  const chroot = existsSync('/usr/sbin/chroot') ? '/usr/sbin/chroot' : 'chroot'
  return [chroot, lane.root, '/usr/lib/wine/wine64', lane.node, windowsPath(entry)]
}

/** Wine's own settings: its prefix inside the root, and quiet. */
export const WINE_ENV = {
  HOME: '/root',
  PATH: '/usr/bin:/bin',
  WINEPREFIX: '/opt/wineprefix',
  WINEDEBUG: '-all',
}
