import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{j as a,k as b}from"./chunk-XM6OFTUD.js";import"./chunk-IRYHHBLB.js";import"./chunk-6AEP7IMN.js";import"./chunk-Q2MSQCXY.js";import"./chunk-EBF5ZCHY.js";import"./chunk-CEIAYL6M.js";import"./chunk-552RSMWS.js";import"./chunk-DVBAGSKE.js";import"./chunk-UJYQMKMG.js";import"./chunk-2YD3VP25.js";export{b as verdictLine,a as verifyRelease};
//# sourceMappingURL=check-release-CXGZODAY.js.map
