// Workspaces as a release job leaves them: built files, and a git checkout.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { tempDir } from './temp.js'

/** A fresh folder holding the files (relative path → content). */
export function workspaceWith(files: Record<string, string>): string {
  const dir = tempDir('sign-release-ws-')
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), text)
  }
  return dir
}

/** Makes `dir` a git repository with one commit of what it holds, tagged `tag` (annotated) if given. */
export function commitAndTag(dir: string, tag?: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', [
      '-C',
      dir,
      '-c',
      'user.name=ci',
      '-c',
      'user.email=ci@example.com',
      ...args,
    ])
  git('init', '-q', '-b', 'main')
  git('add', '.')
  git('commit', '-q', '-m', 'release')
  if (tag) git('tag', '-a', tag, '-m', tag)
}
