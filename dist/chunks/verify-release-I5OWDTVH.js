import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{k as a,l as b}from"./chunk-LO45EG5J.js";import"./chunk-X57X5V3Z.js";import"./chunk-VQFC3M7T.js";import"./chunk-NO3REK22.js";import"./chunk-FA2UNOAG.js";import"./chunk-552RSMWS.js";import"./chunk-4L42UA63.js";import"./chunk-UJYQMKMG.js";import"./chunk-CEIAYL6M.js";import"./chunk-2YD3VP25.js";export{b as verdictLine,a as verifyRelease};
//# sourceMappingURL=verify-release-I5OWDTVH.js.map
