// Keeps a dry run's bundles as a workflow artifact, when the runner offers
// the Actions artifact service.
import { info, warning } from '@actions/core'
import { messageOf } from './errors.js'

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
