import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as s}from"./chunk-2YD3VP25.js";import r from"node:path";function a(e,n){let i=n.filter(t=>!t.startsWith("!")),o=n.filter(t=>t.startsWith("!")).map(t=>t.slice(1));return(i.length===0||i.some(t=>r.matchesGlob(e,t)))&&!o.some(t=>r.matchesGlob(e,t))}s(a,"matchesPatterns");function d(e){return(e??"").split(/[\n,]/).map(n=>n.trim()).filter(Boolean)}s(d,"splitList");export{a,d as b};
//# sourceMappingURL=chunk-OCQ3QV4Q.js.map
