// What became of each planned item as the phases ran: the bundle it got
// (attached, or written in a dry run) and the asset it covers, or why it
// failed, whichever phase it failed in. The report and the final verdict are
// read from here.
import { warning } from '@actions/core'
import { describeError, shortCause, UserError } from '../../errors.js'
import { type Asset, listedSha256 } from '../../github/types.js'
import type { Settled } from '../../util/pool.js'
import type { Covered, PlanItem, SignedItem } from './items.js'
import { type AssetResult, resultFor } from './results.js'

export type Done = SignedItem & { asset?: Asset }

export class Outcome {
  private readonly failed = new Map<PlanItem, string>()
  /** Each failure's cause in a few words, for the step summary. */
  private readonly causes = new Map<PlanItem, string>()
  private readonly done = new Map<PlanItem, Done>()
  /** bundles: manifest: files hashed for the manifest (and, for the run's own, attached). */
  private readonly hashed = new Map<PlanItem, { sha256: string; asset?: Asset }>()

  get ok(): boolean {
    return this.failed.size === 0
  }

  /** The values that succeeded; each failure is noted against its item, and warned about once. */
  collect<I, T>(inputs: I[], settled: Settled<T>[], itemOf: (input: I) => PlanItem): T[] {
    const values: T[] = []
    settled.forEach((s, index) => {
      if (s.ok) {
        values.push(s.value)
        return
      }
      const item = itemOf(inputs[index] as I)
      const message = describeError(s.error)
      this.failed.set(item, message)
      this.causes.set(item, shortCause(s.error))
      warning(`${item.name}: ${message}`)
    })
    return values
  }

  /** Items whose bundle is in place (or, in a dry run, written). */
  finished(items: Done[]): void {
    for (const d of items) this.done.set(d.item, d)
  }

  /** Files the checksums manifest is to cover, with the SHA-256 the run computed. */
  hashedFor(item: PlanItem, sha256: string, asset?: Asset): void {
    this.hashed.set(item, { sha256, asset })
  }

  /** The bundles written for the finished items. */
  bundlePaths(): string[] {
    return [...this.done.values()].map((d) => d.bundlePath)
  }

  doneFor(item: PlanItem): Done | undefined {
    return this.done.get(item)
  }

  /** The SHA-256 of an item: as signed now, or, when kept, as GitHub listed it or the plan hashed it. */
  sha256Of(item: PlanItem): string {
    const hex =
      this.done.get(item)?.sha256 ??
      this.hashed.get(item)?.sha256 ??
      item.digest?.toString('hex') ??
      (item.asset && listedSha256(item.asset))
    if (!hex) throw new Error(`no SHA-256 is known for ${item.name}`)
    return hex
  }

  /**
   * The files that end the run with a bundle from this run's identity: signed
   * now, or kept (never one another identity signed), with their digests.
   */
  ownSubjects(plan: PlanItem[]): { name: string; sha256: string }[] {
    return plan
      .filter((item) =>
        item.action === 'keep'
          ? item.foreignSigner === undefined
          : this.done.has(item) || this.hashed.has(item),
      )
      .map((item) => ({ name: item.name, sha256: this.sha256Of(item) }))
  }

  /**
   * Each asset that ends the run with a bundle beside it (kept by the plan,
   * or attached now), or covered by the manifest's bundle.
   */
  covered(plan: PlanItem[]): Covered {
    const covered: Covered = new Map()
    for (const item of plan) {
      const asset =
        item.action === 'keep'
          ? item.asset
          : (this.done.get(item)?.asset ?? this.hashed.get(item)?.asset)
      if (asset) covered.set(asset.id, item.bundleName)
    }
    return covered
  }

  results(plan: PlanItem[]): AssetResult[] {
    return plan.map((item) =>
      resultFor(item, this.done.get(item) ?? this.hashed.get(item), {
        error: this.failed.get(item),
        cause: this.causes.get(item),
      }),
    )
  }

  /** One error for the whole run, naming each reason once with the items it stopped. */
  verdict(plan: PlanItem[], results: AssetResult[], leftDraft: boolean): UserError | undefined {
    if (this.ok) return undefined
    const count = (status: string) => results.filter((r) => r.status === status).length
    return new UserError(
      `${this.failed.size} of ${plan.length} asset(s) failed:\n${this.byReason()}` +
        `\n${count('signed') + count('replaced')} signed, ${count('unchanged')} kept, ${this.failed.size} failed.` +
        `${leftDraft ? ' The release was left as a draft.' : ''} A re-run resumes: bundles that verify are kept.`,
    )
  }

  /** One line per distinct reason, naming the assets it stopped (a rate limit stops hundreds at once). */
  private byReason(): string {
    const groups = new Map<string, string[]>()
    for (const [item, why] of this.failed) groups.set(why, [...(groups.get(why) ?? []), item.name])
    return [...groups]
      .map(([why, names]) => {
        const shown = names.slice(0, 5).join(', ')
        const more = names.length > 5 ? ` and ${names.length - 5} more` : ''
        return `${shown}${more}: ${why}`
      })
      .join('\n')
  }
}
