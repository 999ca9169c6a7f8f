// Real SBOMs of this project, as `npm sbom` writes them (SPDX 2.3,
// CycloneDX 1.5): a new time and id on every call, as a rebuild writes.
import { execSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export function npmSbom(format: 'spdx' | 'cyclonedx'): string {
  // Through a shell: on Windows, npm is a .cmd that Node runs only so.
  return execSync(`npm sbom --sbom-format ${format} --omit dev`, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  })
}
