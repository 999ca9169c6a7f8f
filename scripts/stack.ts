// Starts the offline stack by hand, with a release ready to sign and a job
// that can get ID tokens, and prints how to point things at it: curl, the
// bundled action, or @github/local-action with the .env it writes.
// Stops on Ctrl-C or SIGTERM, or when the process that started it (npm) is gone.
import { startStack } from '../test/stack/index.js'
import { releaseJobClaims } from '../test/support/claims.js'
import { releaseEvent, seedRelease } from '../test/support/fixtures.js'
import { writeLocalActionEnv } from '../test/support/local-action-env.js'

const started = Date.now()
const stack = await startStack({
  certValiditySeconds: Number(process.env.CERT_VALIDITY_SECONDS ?? 600),
})
const stop = async () => {
  await stack.stop()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
// npm does not pass a SIGTERM on to the script it runs, and dies at once: once
// the process that started this one is gone, stop as well, leaving nothing.
const parent = process.ppid
setInterval(() => {
  if (process.ppid !== parent) void stop()
}, 250).unref()

const claims = releaseJobClaims({ repository: 'octo-org/octo-repo' })
const release = await seedRelease(stack, {
  claims,
  tag: 'v1.0.0',
  assets: { 'octo-linux-amd64.tar.gz': 'a build of octo-repo for Linux\n' },
})
const { file } = writeLocalActionEnv(stack, {
  claims,
  dir: stack.dir,
  event: releaseEvent(release),
})
const ms = Date.now() - started

console.log(`Offline stack up in ${ms} ms:`)
for (const [name, server] of Object.entries(stack.servers))
  console.log(`  ${name.padEnd(8)} ${server.url}`)
console.log(`  trusted root  ${stack.trustedRootPath}`)
console.log(`  TUF root      ${stack.tufRootPath}`)
console.log(`  GitHub token  ${stack.github.token}`)
console.log('')
console.log('Release v1.0.0 of octo-org/octo-repo is published, with one asset and no bundle.')
console.log('ID tokens are handed out for a release job with these claims:')
for (const [name, value] of Object.entries(claims)) console.log(`  ${name.padEnd(22)} ${value}`)
console.log('')
console.log(`A .env for @github/local-action: ${file}`)
console.log(`  npx local-action . src/action.ts ${file}`)
console.log('')
console.log('Press Ctrl-C to stop.')
