import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as g,c as b,d as h}from"./chunk-ROA7X3IP.js";import{b as p}from"./chunk-RYVTJHXV.js";import{a as y}from"./chunk-OCQ3QV4Q.js";import{d}from"./chunk-FA2UNOAG.js";import{a as c}from"./chunk-2YD3VP25.js";async function j(t,o,S,s){let l=await t.listAssets(o),A=new Map(l.map(e=>[e.name,e])),m=l.filter(e=>!p(e.name)&&e.state==="uploaded"&&y(e.name,s.patterns));return(await g(m,s.concurrency,async e=>{let n=`${e.name}${s.bundleSuffix}`,i=A.get(n);if(!i)return{name:e.name,bundle:n,status:"missing bundle"};let u=await b(t,e),a=u.toString("hex"),f;try{f=JSON.parse((await h(t,i)).toString("utf8"))}catch($){let w=`the bundle is not JSON: ${d($).split(`
`)[0]}`;return{name:e.name,bundle:n,status:"does not verify",detail:w,sha256:a}}let r=S.check(f,u,s.policy);if(r.ok)return{name:e.name,bundle:n,status:"ok",signer:r.signer,sha256:a};let V=r.problem==="wrong identity"?r.signer:r.why;return{name:e.name,bundle:n,status:r.problem,detail:V,sha256:a}})).map((e,n)=>{if(e.ok)return e.value;let i=m[n]?.name??"?";return{name:i,bundle:`${i}${s.bundleSuffix}`,status:"does not verify",detail:`could not be checked: ${d(e.error).split(`
`)[0]}`}})}c(j,"verifyRelease");function B(t){let o=t.detail?` (${t.detail})`:"";return`${t.status}${o}: ${t.name}`}c(B,"verdictLine");export{j as a,B as b};
//# sourceMappingURL=chunk-5MNSCS46.js.map
