import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{v as l,w as p}from"./chunk-SY2T2DH4.js";import"./chunk-GFTK2WCQ.js";import"./chunk-HCEMU33A.js";import"./chunk-QDIHDLN3.js";import"./chunk-EBF5ZCHY.js";import"./chunk-552RSMWS.js";import"./chunk-DVBAGSKE.js";import"./chunk-UJYQMKMG.js";import"./chunk-CEIAYL6M.js";import{a}from"./chunk-2YD3VP25.js";async function h(s,t,c,r){let i=await p(s,t,c,r),u=new Map(i.flatMap(e=>e.sha256?[[e.name,e.sha256]]:[])),o=await l(s,t,await s.listAssets(t),{repository:r.repository,trust:r.githubTrust,digests:u}),d=a(e=>{let n=o.subjects.get(e.name);return n===void 0?"not covered":e.sha256===void 0||e.sha256===n?"ok":"changed since published"},"covered");return{release:o.release,assets:t.immutable?i.map(e=>({...e,github:d(e)})):i}}a(h,"checkWholeRelease");export{h as checkWholeRelease};
//# sourceMappingURL=check-whole-release-A4IXJQF2.js.map
