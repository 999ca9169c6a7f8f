import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{l as a}from"./chunk-HYX5UCME.js";import"./chunk-QDIHDLN3.js";import"./chunk-EBF5ZCHY.js";import"./chunk-DVBAGSKE.js";import"./chunk-UJYQMKMG.js";import"./chunk-RD6EHANJ.js";import"./chunk-CEIAYL6M.js";import"./chunk-2YD3VP25.js";export{a as GitHubReleaseReader};
//# sourceMappingURL=release-reader-P5UT3IFR.js.map
