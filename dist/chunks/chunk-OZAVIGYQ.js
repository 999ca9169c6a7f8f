import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as f}from"./chunk-HUY3NXSD.js";import{b as i}from"./chunk-EBF5ZCHY.js";import{a as n}from"./chunk-2YD3VP25.js";function l(o,r,e=!1){let t=o(r).trim().toLowerCase();if(t==="")return e;if(t==="false")return!1;if(t==="true")return!0;throw new i(r,`must be true or false, not '${o(r).trim()}'.`)}n(l,"bool");function p(o,r){let e=o(r).trim();if(!e)return;let t=f(e);if(t)throw new i(r,t);return e.replace(/\/+$/,"")}n(p,"url");export{l as a,p as b};
//# sourceMappingURL=chunk-OZAVIGYQ.js.map
