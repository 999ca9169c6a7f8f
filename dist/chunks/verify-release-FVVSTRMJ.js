import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{e as a,f as b}from"./chunk-W4XLWNRK.js";import"./chunk-7GKSLZOK.js";import"./chunk-OCQ3QV4Q.js";import"./chunk-7FW7MXH3.js";import"./chunk-FA2UNOAG.js";import"./chunk-4L42UA63.js";import"./chunk-UJYQMKMG.js";import"./chunk-S7E52XVG.js";import"./chunk-2YD3VP25.js";export{b as verdictLine,a as verifyRelease};
//# sourceMappingURL=verify-release-FVVSTRMJ.js.map
