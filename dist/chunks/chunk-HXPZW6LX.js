import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as i}from"./chunk-2YD3VP25.js";import{createHash as a}from"node:crypto";import{createReadStream as o}from"node:fs";var n=1<<20;async function u(s){let e=[];for(let t of s)e.push(await f(t));return e}i(u,"hashFiles");async function f(s){let e=a("sha256"),t=0;for await(let r of o(s,{highWaterMark:n}))e.update(r),t+=r.length;return{size:t,digest:e.digest()}}i(f,"hashFile");export{u as a,f as b};
//# sourceMappingURL=chunk-HXPZW6LX.js.map
