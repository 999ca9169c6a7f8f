// Keeps a dry run's bundles as a workflow artifact, when the runner offers
// the Actions artifact service.
import { info, warning } from '@actions/core'
import { messageOf } from '../../errors.js'

/** The dry run's last phase: says where the files are, and uploads them as `sigstore-bundles-<tag>`. */
export async function keepDryRunFiles(
  tag: string,
  bundlesDir: string,
  made: string[],
  hasArtifactService: boolean,
): Promise<void> {
  info(`Dry run: the release was not changed. Bundles are in ${bundlesDir}.`)
  if (hasArtifactService && made.length > 0) {
    await uploadWorkflowArtifact(dryRunArtifactName(tag), made, bundlesDir)
  }
}

export async function uploadWorkflowArtifact(
  name: string,
  files: string[],
  rootDir: string,
): Promise<void> {
  try {
    // Loaded on demand: the artifact client is large and most runs never need it.
    const { DefaultArtifactClient } = await import('@actions/artifact')
    const { id, size } = await new DefaultArtifactClient().uploadArtifact(
      name.replace(/[^\w.-]/g, '_'),
      files,
      rootDir,
    )
    info(`Uploaded the bundles as workflow artifact ${name} (id ${id}, ${size} bytes).`)
  } catch (error) {
    warning(`Could not upload the bundles as a workflow artifact: ${messageOf(error)}`)
  }
}

/** The dry run's workflow artifact: its bundles and files. */
export function dryRunArtifactName(tag: string): string {
  return `sigstore-bundles-${tag}`
}
