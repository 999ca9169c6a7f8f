// The entry point the runner executes (action.yml runs dist/index.js, built from here).
import { run } from './action.js'

await run()
