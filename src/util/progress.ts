// Progress lines for long downloads: at most one line per interval per asset.
import { info } from '@actions/core'
import { formatBytes, formatRate } from './format.js'

export const PROGRESS_INTERVAL_MS = 5_000

export class Progress {
  private done = 0
  private readonly start = Date.now()
  private lastLine = Date.now()

  constructor(
    private readonly name: string,
    private readonly total: number,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {}

  add(bytes: number): void {
    this.done += bytes
    const now = Date.now()
    if (now - this.lastLine < this.intervalMs) return
    this.lastLine = now
    const percent = this.total > 0 ? Math.floor((this.done / this.total) * 100) : 100
    info(
      `  ${this.name}: ${percent}% of ${formatBytes(this.total)}, ${formatRate(this.done, now - this.start)}`,
    )
  }
}
