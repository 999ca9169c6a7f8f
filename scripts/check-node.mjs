// Which Node runs this repository's scripts. npm puts node_modules/.bin first
// on PATH, so they run on the pinned `node` devDependency (Node 24, what the
// action runs on), whatever the system's Node is.
//   node scripts/check-node.mjs            before the tests, the demo and the benchmark:
//                                          print the Node in use, or stop when it is not the pinned one
//   node scripts/check-node.mjs --install  after `npm ci`: one note when the system's Node is older
const PINNED_MAJOR = 24
const major = Number(process.versions.node.split('.')[0])

if (process.argv.includes('--install')) {
  // npm runs this after the dependencies are in place, with the pinned Node
  // already first on PATH; the Node that runs npm itself is in its user agent.
  const system = /\bnode\/(v(\d+)\S*)/.exec(process.env.npm_config_user_agent ?? '')
  if (system && Number(system[2]) < PINNED_MAJOR) {
    console.log(
      `Note: this system's Node is ${system[1]}; npm installed Node ${process.versions.node} (the pinned \`node\` devDependency), and every npm script here runs on it.`,
    )
  }
} else if (major < PINNED_MAJOR) {
  console.error(
    `Node ${process.version} is running, not the pinned Node ${PINNED_MAJOR}: its install script did not run (npm ci --ignore-scripts skips it). Run \`npm rebuild node\`, then try again.`,
  )
  process.exit(1)
} else {
  console.log(`Node ${process.version} (${process.execPath})`)
}
