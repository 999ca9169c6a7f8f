import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a}from"./chunk-TTDMHUBY.js";import"./chunk-7FW7MXH3.js";import"./chunk-FA2UNOAG.js";import"./chunk-4L42UA63.js";import"./chunk-UJYQMKMG.js";import"./chunk-T24BEUHH.js";import"./chunk-S7E52XVG.js";import"./chunk-2YD3VP25.js";export{a as GitHubReleases};
//# sourceMappingURL=client-JI32OOUD.js.map
