// The run's own files. Finds the local files the workflow built,
// makes or downloads the tag's source archive, and hashes each in one
// streamed pass from disk. Every refusal here comes before anything is signed.
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { info, warning } from '@actions/core'
import { getExecOutput } from '@actions/exec'
import { InputError, messageOf, UserError } from '../../errors.js'
import { DownloadError } from '../../github/download.js'
import type { Asset, ReleaseApi } from '../../github/types.js'
import { archiveBaseName } from '../../release-names.js'
import { summarizeBody } from '../../util/body.js'
import { formatBytes } from '../../util/format.js'
import { type FileDigest, hashFiles } from '../../util/hash-files.js'
import { withRetry } from '../../util/retry.js'
import type { LocalFile } from '../run/items.js'
import type { SourceArchiveMode } from '../setup/inputs.js'
import { findLocalFiles } from './find-files.js'

export interface Gathered {
  files: LocalFile[]
  /** Source archives already on the release: they are signed as they are there. */
  archivesOnRelease: string[]
}

export interface GatherOptions {
  filePatterns: string[]
  sourceArchive: SourceArchiveMode
  workspace: string
  repo: string
  tag: string
  /** Generated files (archives) are written here. */
  outDir: string
  /** The release's assets, to leave existing archives alone. */
  listed: Asset[]
}

const ARCHIVE_ATTEMPTS = 4

/** The first bytes of a gzip file and of a zip file. */
const ARCHIVE_MAGIC = {
  'tar.gz': Buffer.from([0x1f, 0x8b]),
  zip: Buffer.from('PK\x03\x04', 'latin1'),
}

export async function gatherFiles(api: ReleaseApi, o: GatherOptions): Promise<Gathered> {
  const found = await findLocalFiles(o.filePatterns, o.workspace)
  const toHash: Omit<LocalFile, 'size' | 'digest'>[] = found
  const files: LocalFile[] = []
  const archivesOnRelease: string[] = []
  if (o.sourceArchive !== 'none') {
    const base = archiveBaseName(o.repo, o.tag)
    const formats = o.sourceArchive === 'git' ? (['tar.gz'] as const) : (['tar.gz', 'zip'] as const)
    for (const format of formats) {
      const name = `${base}.${format}`
      if (o.listed.some((a) => a.name === name)) {
        // A regenerated archive may differ byte for byte (another git or
        // GitHub's own changes); the one consumers already have stays.
        info(`${name} is already on the release; it is signed as it is there, not made again.`)
        archivesOnRelease.push(name)
        continue
      }
      const out = path.join(o.outDir, name)
      if (o.sourceArchive === 'git') {
        await gitArchive(o.workspace, o.tag, base, out)
        toHash.push({ name, path: out, source: 'source-archive' })
      } else {
        // Hashed as it is downloaded: GitHub may serve other bytes next time.
        const got = await githubArchive(api, o.tag, format, out)
        files.push({ name, path: out, ...got, source: 'source-archive' })
      }
    }
  }
  const digests = await hashFiles(toHash.map((f) => f.path))
  files.unshift(...toHash.map((f, i) => ({ ...f, ...(digests[i] as FileDigest) })))
  return { files, archivesOnRelease }
}

/** `git archive` of the tag's commit, from the repository in the workspace. */
async function gitArchive(
  workspace: string,
  tag: string,
  base: string,
  out: string,
): Promise<void> {
  const git = async (args: string[]) =>
    getExecOutput('git', ['-C', workspace, ...args], { silent: true, ignoreReturnCode: true })
  const resolved = await git([
    'rev-parse',
    '--verify',
    '--quiet',
    `refs/tags/${tag}^{commit}`,
  ]).catch((error) => {
    throw new UserError(`source-archive: git needs git on the runner: ${messageOf(error)}`)
  })
  const commit = resolved.stdout.trim()
  if (resolved.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(commit)) {
    throw new InputError(
      'source-archive',
      `git needs the tag ${tag} in the checkout at ${workspace}, and it is not there. ` +
        `Check out with actions/checkout and 'ref: ${tag}' (or 'fetch-depth: 0', which fetches every tag) before this step. Nothing was signed.`,
    )
  }
  // From the tag's commit, never the work tree: uncommitted or ignored files cannot leak in.
  const made = await git(['archive', '--format=tar.gz', `--prefix=${base}/`, '-o', out, commit])
  if (made.exitCode !== 0) {
    throw new UserError(`git archive of ${tag} (${commit}) failed: ${made.stderr.trim()}`)
  }
  info(`Made ${path.basename(out)} with git archive of ${tag} (${commit})`)
}

/** Downloads GitHub's generated archive to `out`, hashing the bytes as they are written. */
async function githubArchive(
  api: ReleaseApi,
  tag: string,
  format: 'tar.gz' | 'zip',
  out: string,
): Promise<FileDigest> {
  return withRetry(
    async () => {
      const hash = createHash('sha256')
      let size = 0
      const magic = ARCHIVE_MAGIC[format]
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          // An error page from a proxy is not an archive, whatever its status said.
          if (size === 0 && !chunk.subarray(0, magic.length).equals(magic)) {
            done(
              new DownloadError(
                `the ${format} archive of ${tag} came back as something else (${summarizeBody(chunk.subarray(0, 200).toString('utf8'))})`,
                true,
              ),
            )
            return
          }
          hash.update(chunk)
          size += chunk.length
          done(null, chunk)
        },
      })
      try {
        await pipeline(await api.downloadSourceArchive(tag, format), tap, createWriteStream(out))
      } catch (error) {
        if (error instanceof DownloadError && error.status === 404) {
          throw new InputError(
            'source-archive',
            `GitHub has no ${format} archive for the tag ${tag}: the tag does not exist yet. ` +
              "A draft's tag is created when it is published; push the tag first, or use source-archive: git.",
          )
        }
        throw error
      }
      const written = (await stat(out)).size
      if (written !== size) throw new DownloadError(`wrote ${written} of ${size} bytes`, true)
      info(`Downloaded GitHub's ${format} archive of ${tag} (${formatBytes(size)})`)
      return { size, digest: hash.digest() }
    },
    {
      attempts: ARCHIVE_ATTEMPTS,
      baseDelayMs: 1_000,
      retryable: (error) =>
        !(error instanceof UserError) && (!(error instanceof DownloadError) || error.retryable),
      onRetry: (error, attempt) =>
        warning(
          `${format} archive of ${tag}: attempt ${attempt} failed (${messageOf(error)}); retrying`,
        ),
    },
  )
}
