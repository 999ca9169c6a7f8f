// Tests that call the action's modules in-process log through @actions/core,
// which writes workflow commands to stdout. The runner consumes those
// commands instead of showing them: ::add-mask:: registers a secret (masked in
// every later line), and ::debug:: lines show only with step debugging. The
// test output does the same, so no test token is ever printed.
const masks: string[] = []
const write = process.stdout.write.bind(process.stdout)

process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
  const shown = text
    .split(/(?<=\n)/)
    .filter((line) => {
      const mask = /^::add-mask::(.*)$/.exec(line.trimEnd())?.[1]
      if (mask) masks.push(mask)
      return mask === undefined && !line.startsWith('::debug::')
    })
    .map((line) => masks.reduce((l, m) => l.split(m).join('***'), line))
    .join('')
  return shown ? write(shown, ...(rest as [])) : true
}) as typeof process.stdout.write
