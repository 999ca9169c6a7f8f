// The fetch that Octokit uses for GitHub's API: every answer is read whole
// and checked before Octokit sees it. Octokit takes a body that is cut off or
// is not JSON as data (an HTML error page becomes a string, a cut-off listing
// an empty page), so a broken answer could look like an empty release. Here
// it becomes a thrown error instead, which Octokit turns into a 500 that the
// client retries. API answers are small; asset bytes never come this way.
import { messageOf } from '../errors.js'
import { htmlTitle } from '../util/body.js'

/** An answer that arrived broken: cut off, shorter than it said, or not JSON. */
export class BrokenAnswerError extends Error {
  override name = 'BrokenAnswerError'
}

export function strictFetch(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const what = `${init?.method ?? 'GET'} ${url.host}${url.pathname}`
    const response = await fetch(input, {
      ...init,
      signal: init?.signal ?? AbortSignal.timeout(timeoutMs),
    })
    if (response.status === 204 || response.status === 304) return response
    let body: Buffer
    try {
      body = Buffer.from(await response.arrayBuffer())
    } catch (error) {
      throw new BrokenAnswerError(`the answer to ${what} was cut off: ${messageOf(error)}`, {
        cause: error,
      })
    }
    // Content-Length counts the bytes on the wire, so it says nothing about a decoded gzip body.
    const declared = response.headers.get('content-length')
    if (declared !== null && !response.headers.has('content-encoding')) {
      if (Number(declared) !== body.length) {
        throw new BrokenAnswerError(
          `the answer to ${what} was cut off after ${body.length} of ${declared} bytes`,
        )
      }
    }
    const text = body.toString('utf8')
    const json = parsesAsJson(text)
    if (response.ok && !json) {
      throw new BrokenAnswerError(
        `${what} answered HTTP ${response.status} with ${describeBody(text, response)} instead of JSON`,
      )
    }
    const headers = new Headers(response.headers)
    headers.delete('content-encoding')
    headers.delete('content-length')
    if (!json) {
      // An error page from a proxy or load balancer: Octokit still sees the
      // status, with one line that says what came back instead of the page.
      headers.set('content-type', 'application/json; charset=utf-8')
      const message = `${describeBody(text, response)} from ${url.host}`
      return new Response(JSON.stringify({ message }), {
        status: response.status,
        statusText: response.statusText,
        headers,
      })
    }
    return new Response(text, { status: response.status, statusText: response.statusText, headers })
  }
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** One line about a body that is not JSON: an HTML page's title, or its type and size. */
export function describeBody(text: string, response: Response): string {
  if (text.trim() === '') return 'an empty body'
  const type = (response.headers.get('content-type') ?? 'unknown').split(';')[0]?.trim()
  const title = htmlTitle(text)
  if (title) return `an HTML page ("${title}")`
  return `${Buffer.byteLength(text)} bytes of ${type}`
}
