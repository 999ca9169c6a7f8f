// Starts the offline stack by hand and prints how to point things at it.
// Stops on Ctrl-C.
import { startStack } from '../test/stack/index.js'

const started = Date.now()
const stack = await startStack({
  certValiditySeconds: Number(process.env.CERT_VALIDITY_SECONDS ?? 600),
})
stack.github.state.addRepo('octo-org', 'octo-repo')
const ms = Date.now() - started

console.log(`Offline stack up in ${ms} ms:`)
for (const [name, server] of Object.entries(stack.servers))
  console.log(`  ${name.padEnd(8)} ${server.url}`)
console.log(`  trusted root  ${stack.trustedRootPath}`)
console.log(`  GitHub token  ${stack.github.token}  (repository octo-org/octo-repo exists)`)
console.log('')
console.log('Create a release:')
console.log(
  `  curl -s -H 'authorization: token ${stack.github.token}' -d '{"tag_name":"v1.0.0","draft":true}' ${stack.github.urls.api}/repos/octo-org/octo-repo/releases`,
)
console.log('Press Ctrl-C to stop.')

const stop = async () => {
  await stack.stop()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
