// One line about an answer's body for an error message: a JSON error's own
// message, an HTML page's title, or the start of anything else; never a
// whole page pasted into the log.

export function summarizeBody(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message
    if (typeof message === 'string') return message
  } catch {}
  return (htmlTitle(text) ?? text.split('\n')[0] ?? '').slice(0, 160)
}

/** The title of an HTML page, if the text is one. */
export function htmlTitle(text: string): string | undefined {
  const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(text)?.[1]?.trim()
  return title?.replace(/&(middot|amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] ?? '')
}

const ENTITIES: Record<string, string> = {
  middot: '·',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
}
