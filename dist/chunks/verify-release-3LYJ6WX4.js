import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a,b}from"./chunk-CY3QKTM6.js";import"./chunk-SYO3CAKC.js";import"./chunk-EAXDEYKK.js";import"./chunk-NAK2LAIV.js";import"./chunk-FA2UNOAG.js";import"./chunk-ZY3YVJ44.js";import"./chunk-S7E52XVG.js";import"./chunk-2YD3VP25.js";export{b as verdictLine,a as verifyRelease};
//# sourceMappingURL=verify-release-3LYJ6WX4.js.map
