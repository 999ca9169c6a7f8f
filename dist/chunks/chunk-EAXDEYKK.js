import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as r}from"./chunk-2YD3VP25.js";import{randomBytes as l}from"node:crypto";var p=255,u=/\.sigstore(\.json)?$/,d=".sign-release-tmp-",g=/\.sign-release-tmp-[0-9a-f]{8}$/;function N(t){return u.test(t)||g.test(t)}r(N,"isManagedName");function x(t){return g.test(t)}r(x,"isTemporaryName");function _(t){let n=`${d}${l(4).toString("hex")}`;return`${t.slice(0,p-n.length)}${n}`}r(_,"temporaryName");var f=200;function $(t){let n=new Set;return t.map(s=>{let i=s.replace(/[^\p{L}\p{N}._+-]/gu,"_").replace(/^\.+/,"_");for(let o=1;;o++){let e=o===1?"":`-${o}`,a=`${i.slice(0,f-e.length)}${e}`,c=a.normalize("NFC").toLowerCase();if(!n.has(c))return n.add(c),a}})}r($,"diskNames");function A(t){return`${t.replace(/[^\w.-]/g,"_").slice(0,64)}-${l(4).toString("hex")}`}r(A,"runFolderName");import m from"node:path";function b(t,n){let s=n.filter(e=>!e.startsWith("!")),i=n.filter(e=>e.startsWith("!")).map(e=>e.slice(1));return(s.length===0||s.some(e=>m.matchesGlob(t,e)))&&!i.some(e=>m.matchesGlob(t,e))}r(b,"matchesPatterns");function k(t){return(t??"").split(/[\n,]/).map(n=>n.trim()).filter(Boolean)}r(k,"splitList");export{p as a,N as b,x as c,_ as d,$ as e,A as f,b as g,k as h};
//# sourceMappingURL=chunk-EAXDEYKK.js.map
