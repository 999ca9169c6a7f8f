// Retries with exponential backoff, for the HTTP calls no library retries for us.

export interface RetryOptions {
  attempts: number
  /** Delay before the second attempt; doubles each time. */
  baseDelayMs: number
  /** Decides whether an error is worth another attempt. */
  retryable: (error: unknown) => boolean
  onRetry?: (error: unknown, attempt: number) => void
}

export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= options.attempts || !options.retryable(error)) throw error
      options.onRetry?.(error, attempt)
      await new Promise((resolve) => setTimeout(resolve, options.baseDelayMs * 2 ** (attempt - 1)))
    }
  }
}
