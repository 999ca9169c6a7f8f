// Replacements that an earlier run left under a temporary name (see
// release-names.ts): removed once their run is known to be over, never while
// it may still be at work.
import { info, warning } from '@actions/core'
import { describeError } from '../../errors.js'
import type { Asset, ReleaseApi } from '../../github/types.js'
import { isAbandoned, isTemporaryName, type RunOwner, temporaryOwner } from '../../release-names.js'

/**
 * How old an asset under a temporary name must be to count as left behind
 * when nothing says whether its run is over (a name in the older form, or a
 * token that may not read workflow runs). A running job holds its
 * replacement under that name only between its upload and its rename,
 * seconds (retries included, a few minutes). A younger one may be another
 * job's replacement in flight: deleted by the id a listing gave, it would
 * delete that job's bundle once renamed into place.
 */
const LEFTOVER_AGE_MS = 15 * 60_000

/**
 * Removes replacements that an earlier run left under a temporary name: at
 * once when their run is known to be over (an earlier attempt of this run,
 * or a run GitHub says has finished), otherwise once they are old. Those of
 * a run still at work, this one's other jobs included, are left alone.
 */
export async function removeLeftovers(
  api: ReleaseApi,
  listed: Asset[],
  owner: RunOwner,
  now = Date.now(),
): Promise<void> {
  const finished = new Map<string, Promise<boolean | undefined>>()
  const runFinished = (runId: string) => {
    if (!finished.has(runId)) {
      finished.set(
        runId,
        api.workflowRunFinished(runId).catch(() => undefined),
      )
    }
    return finished.get(runId) as Promise<boolean | undefined>
  }
  for (const leftover of listed.filter((a) => isTemporaryName(a.name))) {
    const holder = temporaryOwner(leftover.name)
    let why: string | undefined
    if (isAbandoned(leftover.name)) {
      why = `given up on by ${holder ? `run ${holder.runId}` : 'its run'}`
    } else if (holder?.runId === owner.runId && holder.attempt < owner.attempt) {
      why = `left behind by attempt ${holder.attempt} of this run`
    } else if (holder && holder.runId !== owner.runId && (await runFinished(holder.runId))) {
      why = `left behind by run ${holder.runId}, which has finished`
    } else if (
      leftover.createdAt !== undefined &&
      now - Date.parse(leftover.createdAt) > LEFTOVER_AGE_MS
    ) {
      why = 'left behind by an interrupted run'
    }
    if (!why) continue
    try {
      // The listing may be stale: its owner could have renamed it into place
      // since, and deleting by id would then delete a bundle. Once its run is
      // over, nothing renames it any more, so what is read now holds.
      const current = await api.assetById(leftover.id)
      if (current?.name !== leftover.name) continue
      await api.deleteAsset(leftover.id)
      info(`removed ${leftover.name}, ${why}`)
    } catch (error) {
      warning(`Could not remove ${leftover.name}: ${describeError(error)}`)
    }
  }
}
