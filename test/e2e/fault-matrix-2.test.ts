// Part 2 of 3 of the fault matrix (test/support/fault-matrix.ts).
import { faultMatrix } from '../support/fault-matrix.js'

faultMatrix(2, 3)
