import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as n}from"./chunk-2YD3VP25.js";var o=new Set(["localhost","127.0.0.1","[::1]"]);function s(e){let t;try{t=new URL(e)}catch{return`'${e}' is not a URL. Give an https:// URL.`}if(t.protocol==="http:"&&!o.has(t.hostname))return`'${e}' uses plain http, which is allowed only for services on this machine (localhost). Use https://.`;if(t.protocol!=="https:"&&t.protocol!=="http:")return`'${e}' is not an https:// URL.`}n(s,"serviceUrlProblem");export{s as a};
//# sourceMappingURL=chunk-HUY3NXSD.js.map
