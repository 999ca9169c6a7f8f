import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a}from"./chunk-2W234V3B.js";import"./chunk-NO3REK22.js";import"./chunk-FA2UNOAG.js";import"./chunk-4L42UA63.js";import"./chunk-UJYQMKMG.js";import"./chunk-RD6EHANJ.js";import"./chunk-CEIAYL6M.js";import"./chunk-2YD3VP25.js";export{a as GitHubReleases};
//# sourceMappingURL=client-FZY3EXCH.js.map
