import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as n}from"./chunk-WRYS256P.js";var o=class extends Error{static{n(this,"UserError")}name="UserError"},i=class extends o{constructor(r,s){super(`Input '${r}': ${s}`);this.input=r}input;static{n(this,"InputError")}};function g(e){return e instanceof Error?e.message:String(e)}n(g,"messageOf");function u(e){let t=[],r=e;for(let s=0;r!==void 0&&s<6;s++)r instanceof Error?(t.some(c=>c.includes(r instanceof Error?r.message:""))||t.push(s===0?r.message:`caused by: ${r.message}`),r=r.cause):(t.push(s===0?String(r):`caused by: ${String(r)}`),r=void 0);return t.join(`
`)}n(u,"describeError");var a={"public-good":{fulcioUrl:"https://fulcio.sigstore.dev",rekorUrl:"https://rekor.sigstore.dev",tufMirror:"https://tuf-repo-cdn.sigstore.dev",initialRoot:"shipped",searchUrl:"https://search.sigstore.dev"},staging:{fulcioUrl:"https://fulcio.sigstage.dev",rekorUrl:"https://rekor.sigstage.dev",tufMirror:"https://tuf-repo-cdn.sigstage.dev",initialRoot:"from-mirror",searchUrl:"https://search.sigstage.dev"}};function p(e){return Object.values(a).find(t=>t.tufMirror===e)}n(p,"instanceOfMirror");export{o as a,i as b,g as c,u as d,a as e,p as f};
//# sourceMappingURL=chunk-YMFTAFRM.js.map
