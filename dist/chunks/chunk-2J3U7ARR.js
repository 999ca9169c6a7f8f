import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as e}from"./chunk-2YD3VP25.js";import{randomBytes as i}from"node:crypto";var l=255,m=/\.sigstore(\.json)?$/,u=".sign-release-tmp-",c=/\.sign-release-tmp-[0-9a-f]{8}$/;function $(t){return m.test(t)||c.test(t)}e($,"isManagedName");function f(t){return c.test(t)}e(f,"isTemporaryName");function A(t){let n=`${u}${i(4).toString("hex")}`;return`${t.slice(0,l-n.length)}${n}`}e(A,"temporaryName");var N=200;function M(t){let n=new Set;return t.map(g=>{let p=g.replace(/[^\p{L}\p{N}._+-]/gu,"_").replace(/^\.+/,"_");for(let r=1;;r++){let o=r===1?"":`-${r}`,s=`${p.slice(0,N-o.length)}${o}`,a=s.normalize("NFC").toLowerCase();if(!n.has(a))return n.add(a),s}})}e(M,"diskNames");function d(t){return`${t.replace(/[^\w.-]/g,"_").slice(0,64)}-${i(4).toString("hex")}`}e(d,"runFolderName");export{l as a,$ as b,f as c,A as d,M as e,d as f};
//# sourceMappingURL=chunk-2J3U7ARR.js.map
