import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as g,c as b,d as h}from"./chunk-RFHLIX7J.js";import{b as y}from"./chunk-2J3U7ARR.js";import{d as l}from"./chunk-FA2UNOAG.js";import{a as c}from"./chunk-2YD3VP25.js";var V=1<<20;async function E(t,n,a,r){let d=await t.listAssets(n),A=new Map(d.map(e=>[e.name,e])),m=d.filter(e=>!y(e.name)&&e.state==="uploaded"&&h(e.name,r.patterns));return(await g(m,r.concurrency,async e=>{let s=`${e.name}${r.bundleSuffix}`,o=A.get(s);if(!o)return{name:e.name,bundle:s,status:"missing bundle"};let f=await b(t,e),u=f.toString("hex"),p;try{p=JSON.parse((await k(t,o)).toString("utf8"))}catch(S){let $=`the bundle is not JSON: ${l(S).split(`
`)[0]}`;return{name:e.name,bundle:s,status:"does not verify",detail:$,sha256:u}}let i=a.check(p,f,r.policy);if(i.ok)return{name:e.name,bundle:s,status:"ok",signer:i.signer,sha256:u};let w=i.problem==="wrong identity"?i.signer:i.why;return{name:e.name,bundle:s,status:i.problem,detail:w,sha256:u}})).map((e,s)=>{if(e.ok)return e.value;let o=m[s]?.name??"?";return{name:o,bundle:`${o}${r.bundleSuffix}`,status:"does not verify",detail:`could not be checked: ${l(e.error).split(`
`)[0]}`}})}c(E,"verifyRelease");function O(t){let n=t.detail?` (${t.detail})`:"";return`${t.status}${n}: ${t.name}`}c(O,"verdictLine");async function k(t,n){if(n.size>V)throw new Error(`${n.size} bytes is too large for a bundle`);let a=[];for await(let r of await t.downloadAsset(n))a.push(r);return Buffer.concat(a)}c(k,"readSmall");export{E as a,O as b};
//# sourceMappingURL=chunk-3DDJF4KS.js.map
