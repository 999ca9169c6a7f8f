import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{v as a}from"./chunk-PDLLBYJ2.js";import"./chunk-SOBATUOR.js";import"./chunk-RHRPLGBS.js";import"./chunk-W635TSI5.js";import"./chunk-EBF5ZCHY.js";import"./chunk-CEIAYL6M.js";import"./chunk-552RSMWS.js";import"./chunk-DVBAGSKE.js";import"./chunk-UJYQMKMG.js";import"./chunk-2YD3VP25.js";export{a as verifyRelease};
//# sourceMappingURL=check-release-K3UK5HGZ.js.map
