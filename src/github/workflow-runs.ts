// Whether a workflow run of the repository has finished: what tells a run
// that a temporary copy an earlier run left can no longer be renamed into
// place (signer/place/leftovers.ts).
import type { GitHub } from '@actions/github/lib/utils'
import { failed, status } from './failures.js'

export class WorkflowRuns {
  /** Once the token may not read workflow runs, it is not asked again. */
  private unreadable = false

  constructor(
    private readonly octokit: InstanceType<typeof GitHub>,
    private readonly options: {
      owner: string
      repo: string
      apiUrl: string
      publicRepository: boolean
      timeoutMs: number
    },
  ) {}

  /** True or false as GitHub says; undefined when nothing can tell. */
  async finished(runId: string): Promise<boolean | undefined> {
    const { owner, repo } = this.options
    if (!this.unreadable) {
      try {
        const { data } = await this.octokit.rest.actions.getWorkflowRun({
          owner,
          repo,
          run_id: Number(runId),
        })
        return data.status === 'completed'
      } catch (error) {
        // Without actions: read, GitHub answers 403 (or 404 for a private repository).
        const code = status(error)
        if (code !== 403 && code !== 404) return failed(error, `read workflow run ${runId}`)
        this.unreadable = true
      }
    }
    // A public repository's runs are public: anyone may read them, with no token.
    if (!this.options.publicRepository) return undefined
    const url = `${this.options.apiUrl}/repos/${owner}/${repo}/actions/runs/${runId}`
    const response = await fetch(url, {
      headers: {
        accept: 'application/vnd.github+json',
        'user-agent': 'sign-release',
        'x-github-api-version': '2022-11-28',
      },
      signal: AbortSignal.timeout(this.options.timeoutMs),
    }).catch(() => undefined)
    if (!response?.ok) return undefined
    const data = (await response.json().catch(() => undefined)) as { status?: string } | undefined
    return data?.status === undefined ? undefined : data.status === 'completed'
  }
}
