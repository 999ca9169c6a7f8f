import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{v as c,w as p}from"./chunk-UYERDCCX.js";import"./chunk-GFTK2WCQ.js";import"./chunk-HCEMU33A.js";import"./chunk-QDIHDLN3.js";import"./chunk-EBF5ZCHY.js";import"./chunk-552RSMWS.js";import"./chunk-DVBAGSKE.js";import"./chunk-UJYQMKMG.js";import"./chunk-CEIAYL6M.js";import{a as o}from"./chunk-2YD3VP25.js";async function R(s,t,u,r){let a=await s.listAssets(t),i=await p(s,t,u,r,a),d=new Map(i.flatMap(e=>e.sha256?[[e.name,e.sha256]]:[])),n=await c(s,t,a,{repository:r.repository,trust:r.githubTrust,digests:d}),f=o(e=>{let l=n.subjects.get(e.name);return l===void 0?"not covered":e.sha256===void 0||e.sha256===l?"ok":"changed since published"},"covered");return{release:n.release,assets:t.immutable?i.map(e=>({...e,github:f(e)})):i}}o(R,"checkWholeRelease");export{R as checkWholeRelease};
//# sourceMappingURL=check-whole-release-6A7SC4UI.js.map
