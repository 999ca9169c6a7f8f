import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as r}from"./chunk-2YD3VP25.js";var t="SIGN_RELEASE_WAIT_SCALE";function o(e){if(e===void 0||e==="")return 1;let n=Number(e);if(!(n>0&&n<=1))throw new Error(`${t} must be a number above 0 and at most 1, not '${e}'`);return n}r(o,"readScale");var s=o(process.env[t]);function u(e){return e*s}r(u,"scaled");function i(e){return new Promise(n=>setTimeout(n,u(e)))}r(i,"sleep");export{t as a,s as b,u as c,i as d};
//# sourceMappingURL=chunk-UJYQMKMG.js.map
