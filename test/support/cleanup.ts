// Removes the temporary folders a test file made, the action runs' included.
import { afterAll } from 'vitest'
import { removeTempDirs } from './temp.js'

afterAll(removeTempDirs)
