// Runs a command and reports its wall time and peak RSS, taken from the
// kernel's accounting through /usr/bin/time -v.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'

export const TIME = '/usr/bin/time'

export interface Measured {
  wallMs: number
  peakRssMb: number | null
  /** User plus system CPU time of the process, in seconds. */
  cpuS: number | null
  exitCode: number
  stdout: string
  stderr: string
}

export function timeWrapper(): string[] {
  return existsSync(TIME) ? [TIME, '-v'] : []
}

/** Reads "User time" plus "System time" from /usr/bin/time -v output. */
export function cpuSeconds(text: string): number | null {
  const user = /User time \(seconds\): ([\d.]+)/.exec(text)?.[1]
  const system = /System time \(seconds\): ([\d.]+)/.exec(text)?.[1]
  return user && system ? Number(user) + Number(system) : null
}

/** Reads "Maximum resident set size" from /usr/bin/time -v output. */
export function peakRss(text: string): number | null {
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1]
  return kb ? Number(kb) / 1024 : null
}

export async function measure(
  command: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Measured> {
  const [bin, ...args] = [...timeWrapper(), ...command]
  const started = performance.now()
  const child = spawn(bin as string, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString()
  })
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const exitCode = await new Promise<number>((resolve) =>
    child.on('close', (code) => resolve(code ?? 1)),
  )
  return {
    wallMs: performance.now() - started,
    peakRssMb: peakRss(stderr),
    cpuS: cpuSeconds(stderr),
    exitCode,
    stdout,
    stderr,
  }
}
