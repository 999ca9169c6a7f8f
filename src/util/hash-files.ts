// SHA-256 of local files, each in one streamed pass from disk.
//
// Files are hashed on worker threads, several at once, up to one thread per
// CPU: Node hashes on the thread that calls update(), so one thread hashes
// at one core's speed however many cores the runner has. On a 2-vCPU
// machine, 1 GiB in eight files hashes in about 0.8 s on two threads against
// 1.2 s on one (see BENCHMARKS.md, Local files), and the main thread stays
// free for the run's requests. Each worker reads its file into the same two
// 1 MiB buffers, one filling while the other is hashed, so memory does not
// grow with the files' size and there is nothing to collect.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'

export interface FileDigest {
  size: number
  digest: Buffer
}

const CHUNK = 1 << 20

/** At most this many hashing threads, however many CPUs the runner has. */
const MAX_THREADS = 4

/**
 * The worker: hashes each path it is sent and answers with its size and
 * digest, or the error's code and message. It is a script of its own (run
 * with `eval`) so that it does not depend on where the bundler puts this
 * module; it uses only Node's built-in modules.
 */
const WORKER_SOURCE = `
const { createHash } = require('node:crypto')
const { open } = require('node:fs/promises')
const { parentPort } = require('node:worker_threads')
const SIZE = ${CHUNK}
// Two buffers: the next chunk is read into one while the other is hashed.
const buffers = [Buffer.allocUnsafe(SIZE), Buffer.allocUnsafe(SIZE)]
parentPort.on('message', async (file) => {
  let handle
  try {
    handle = await open(file, 'r')
    const hash = createHash('sha256')
    let size = 0
    let current = 0
    let reading = handle.read(buffers[current], 0, SIZE, null)
    for (;;) {
      const { bytesRead } = await reading
      if (bytesRead === 0) break
      const chunk = buffers[current].subarray(0, bytesRead)
      current ^= 1
      reading = handle.read(buffers[current], 0, SIZE, null)
      hash.update(chunk)
      size += bytesRead
    }
    parentPort.postMessage({ size, digest: hash.digest() })
  } catch (error) {
    parentPort.postMessage({ error: { message: String(error && error.message), code: error && error.code } })
  } finally {
    await handle?.close()
  }
})
`

type Answer = FileDigest | { error: { message: string; code?: string } }

/** One thread per CPU, up to MAX_THREADS, and never more than there are files. */
export function hashingThreads(files: number): number {
  return Math.min(files, availableParallelism(), MAX_THREADS)
}

/**
 * Hashes the files on worker threads, several at once when there is more
 * than one file and more than one CPU. Results are in the order of `files`.
 */
export async function hashFiles(
  files: string[],
  threads = hashingThreads(files.length),
): Promise<FileDigest[]> {
  if (files.length === 0) return []
  const results: FileDigest[] = new Array(files.length)
  let next = 0
  const workers = Array.from(
    { length: Math.max(1, threads) },
    () => new Worker(WORKER_SOURCE, { eval: true }),
  )
  try {
    // Each worker takes the next file as soon as it is free.
    await Promise.all(
      workers.map(async (worker) => {
        for (let index = next++; index < files.length; index = next++) {
          results[index] = await hashOn(worker, files[index] as string)
        }
      }),
    )
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
  return results
}

function hashOn(worker: Worker, file: string): Promise<FileDigest> {
  return new Promise((resolve, reject) => {
    const settle = () => {
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
    }
    const onMessage = (answer: Answer) => {
      settle()
      if ('error' in answer) {
        reject(Object.assign(new Error(answer.error.message), { code: answer.error.code }))
      } else {
        // A Buffer crosses threads as a plain Uint8Array.
        resolve({ size: answer.size, digest: Buffer.from(answer.digest) })
      }
    }
    const onError = (error: Error) => {
      settle()
      reject(error)
    }
    const onExit = (code: number) => {
      settle()
      reject(new Error(`the hashing thread stopped (exit code ${code}) while hashing ${file}`))
    }
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
    worker.postMessage(file)
  })
}

/**
 * Hashes one file on this thread: for a single small file (a manifest, a
 * file named on the command line), where starting a worker (about 50 ms)
 * would cost more than it saves.
 */
export async function hashFile(file: string): Promise<FileDigest> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { size, digest: hash.digest() }
}
