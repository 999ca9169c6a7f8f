import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as i}from"./chunk-2YD3VP25.js";var u=class extends Error{static{i(this,"UserError")}name="UserError"},f=class extends u{constructor(e,n){super(`Input '${e}': ${n}`);this.input=e}input;static{i(this,"InputError")}};function l(s){return s instanceof Error?s.message:String(s)}i(l,"messageOf");function g(s){let t=[],e=s;for(let n=0;e!==void 0&&n<6;n++)e instanceof Error?(t.some(a=>a.includes(e instanceof Error?e.message:""))||t.push(n===0?e.message:`caused by: ${e.message}`),e=e.cause):(t.push(n===0?String(e):`caused by: ${String(e)}`),e=void 0);return t.join(`
`)}i(g,"describeError");function p(s){let t,e=[],n=s;for(let o=0;n!==void 0&&o<6;o++){let d=n?.attempts;t===void 0&&typeof d=="number"&&(t=d),e.push((n instanceof Error?n.message:String(n)).split(`
`)[0]??""),n=n instanceof Error?n.cause:void 0}let r=([...e].reverse().find(o=>/\bHTTP \d{3}\b/.test(o))??e[0]??"").replace(/^.*? failed: /,""),c=/^(.*?\bHTTP \d{3} from [^\s]+?)(?=: |$)/.exec(r);return c?.[1]&&(r=c[1]),t!==void 0&&(r+=` after ${t} attempts`),r.length>160?`${r.slice(0,159)}\u2026`:r}i(p,"shortCause");export{u as a,f as b,l as c,g as d,p as e};
//# sourceMappingURL=chunk-EBF5ZCHY.js.map
