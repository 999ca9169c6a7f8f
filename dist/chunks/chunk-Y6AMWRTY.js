import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as o}from"./chunk-2YD3VP25.js";var s="https://token.actions.githubusercontent.com";function y(i,e){let{exact:t,pattern:r}=i;if(t&&r)throw e("both");if(!t&&!r)throw e("neither");let n=t;if(!t)try{n=new RegExp(r)}catch(a){throw e({badPattern:a})}return{subjectAlternativeName:n,issuer:i.issuer??s}}o(y,"identityPolicy");export{s as a,y as b};
//# sourceMappingURL=chunk-Y6AMWRTY.js.map
