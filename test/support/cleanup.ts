// Removes the folders of the action runs a test file made.
import { afterAll } from 'vitest'
import { cleanupRuns } from './runner.js'

afterAll(cleanupRuns)
