import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as t}from"./chunk-2YD3VP25.js";var i=class extends Error{static{t(this,"UserError")}name="UserError"},o=class extends i{constructor(e,s){super(`Input '${e}': ${s}`);this.input=e}input;static{t(this,"InputError")}};function c(n){return n instanceof Error?n.message:String(n)}t(c,"messageOf");function a(n){let r=[],e=n;for(let s=0;e!==void 0&&s<6;s++)e instanceof Error?(r.some(u=>u.includes(e instanceof Error?e.message:""))||r.push(s===0?e.message:`caused by: ${e.message}`),e=e.cause):(r.push(s===0?String(e):`caused by: ${String(e)}`),e=void 0);return r.join(`
`)}t(a,"describeError");export{i as a,o as b,c,a as d};
//# sourceMappingURL=chunk-FA2UNOAG.js.map
