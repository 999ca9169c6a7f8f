// The workflow's own files, found by the `files` patterns in the workspace:
// one entry per file (however many patterns, or spellings of its path,
// reach it), each under a name GitHub keeps as it is. Every refusal comes
// before anything is signed.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { create as createGlob } from '@actions/glob'
import { InputError } from '../../errors.js'
import { isManagedName, MAX_ASSET_NAME } from '../../release-names.js'

/** GitHub keeps these characters in asset names; it changes every other one. */
const KEPT_BY_GITHUB = /^[A-Za-z0-9._+-]+$/

/** The files the patterns find, each with the asset name it is attached under. */
export async function findLocalFiles(
  patterns: string[],
  workspace: string,
  /** The input the patterns come from, named in every refusal. */
  input: 'files' | 'sbom' = 'files',
): Promise<{ name: string; path: string; source: 'file' }[]> {
  if (patterns.length === 0) return []
  const anchored = patterns.map((p) => {
    const negated = p.startsWith('!')
    const body = negated ? p.slice(1).trim() : p
    const full = path.isAbsolute(body) ? body : path.join(workspace, body)
    return negated ? `!${full}` : full
  })
  const excludes = anchored.filter((p) => p.startsWith('!'))
  // Keyed by the file, not by how a pattern spells its path: on a file system
  // that ignores case (Windows, macOS), `dist/*.zip` and `DIST/*.zip`, or
  // `z:/…` and `Z:\…`, find one file, as do two paths through a link.
  const found = new Map<string, { path: string; name: string }>()
  for (const [index, pattern] of anchored.entries()) {
    if (pattern.startsWith('!')) continue
    const globber = await createGlob([pattern, ...excludes].join('\n'), {
      matchDirectories: false,
      implicitDescendants: false,
    })
    const matches = (await globber.glob()).filter((p) => !isManagedName(path.basename(p)))
    if (matches.length === 0) {
      throw new InputError(
        input,
        `'${patterns[index]}' matches no file under ${workspace}. Check the path and that the build step before this one wrote it; nothing was signed.`,
      )
    }
    for (const match of matches) {
      const key = await fileKey(match)
      if (!found.has(key)) found.set(key, { path: match, name: path.basename(match) })
    }
  }
  const files = [...found.values()]
    .sort((a, b) => (a.path < b.path ? -1 : 1))
    .map(({ name, path: file }) => ({ name, path: file, source: 'file' as const }))
  checkNames(files, input)
  return files
}

/** The file behind a path, as the file system sees it: its device and inode (Windows: file index). */
async function fileKey(file: string): Promise<string> {
  const s = await stat(file, { bigint: true })
  return s.ino === 0n ? path.resolve(file) : `${s.dev}:${s.ino}`
}

function checkNames(files: { name: string; path: string }[], input: 'files' | 'sbom'): void {
  const byName = new Map<string, string[]>()
  for (const f of files) byName.set(f.name, [...(byName.get(f.name) ?? []), f.path])
  for (const [name, paths] of byName) {
    if (paths.length > 1) {
      throw new InputError(
        input,
        `${paths.join(' and ')} would both be attached as ${name}. A release holds one asset per name: rename one, or leave it out with '!<path>'.`,
      )
    }
    if (!KEPT_BY_GITHUB.test(name) || /^\.|\.$|\.\./.test(name)) {
      throw new InputError(
        input,
        `${paths[0]}: GitHub would rename an asset called '${name}', and its bundle would no longer sit beside it. ` +
          'Use letters, digits and . _ + - in file names.',
      )
    }
    if (name.length > MAX_ASSET_NAME - '.sigstore.json'.length) {
      throw new InputError(
        input,
        `${paths[0]}: the name is too long for GitHub's ${MAX_ASSET_NAME}-character limit once its bundle suffix is added.`,
      )
    }
  }
}
