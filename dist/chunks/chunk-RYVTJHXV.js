import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as n}from"./chunk-2YD3VP25.js";import{randomBytes as u}from"node:crypto";var m=255,g=/\.sigstore(\.json)?$/,d=".sign-release-tmp-",s=/\.sign-release-tmp-(?:r(\d+)a(\d+)-)?[0-9a-f]{8}$/;function N(t){return g.test(t)||s.test(t)}n(N,"isManagedName");function $(t){return s.test(t)}n($,"isTemporaryName");function x(t,e){let r=`${d}r${e.runId}a${e.attempt}-${u(4).toString("hex")}`;return`${t.slice(0,m-r.length)}${r}`}n(x,"temporaryName");function _(t){let e=s.exec(t);return e?.[1]&&e[2]?{runId:e[1],attempt:Number(e[2])}:void 0}n(_,"temporaryOwner");var l=200;function A(t){let e=new Set;return t.map(r=>{let p=r.replace(/[^\p{L}\p{N}._+-]/gu,"_").replace(/^\.+/,"_");for(let o=1;;o++){let a=o===1?"":`-${o}`,i=`${p.slice(0,l-a.length)}${a}`,c=i.normalize("NFC").toLowerCase();if(!e.has(c))return e.add(c),i}})}n(A,"diskNames");function M(t){return`${t.replace(/[^\w.-]/g,"_").slice(0,64)}-${u(4).toString("hex")}`}n(M,"runFolderName");export{m as a,N as b,$ as c,x as d,_ as e,A as f,M as g};
//# sourceMappingURL=chunk-RYVTJHXV.js.map
