import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as s}from"./chunk-2YD3VP25.js";var u=class extends Error{constructor(e,r,a,o){super(e,o);this.status=r;this.retryAfterMs=a}status;retryAfterMs;static{s(this,"TransientHttpError")}name="TransientHttpError"},i=class extends Error{static{s(this,"WaitTooLongError")}name="WaitTooLongError"};async function d(n,t){for(let e=1;;e++)try{return await n(e)}catch(r){if(e>=t.attempts||!t.retryable(r))throw r;let a=r?.retryAfterMs;if(a!==void 0&&a>6e4)throw new i(`${r instanceof Error?r.message:String(r)}; the server asked to wait ${Math.ceil(a/1e3)} s, longer than this action waits (${6e4/1e3} s). Re-run later.`,{cause:r});t.onRetry?.(r,e);let o=t.baseDelayMs*2**(e-1);await new Promise(m=>setTimeout(m,Math.max(o,a??0)))}}s(d,"withRetry");function f(n,t=Date.now()){let e=n.get("retry-after")?.trim();if(!e)return;if(/^\d+$/.test(e))return Number(e)*1e3;let r=Date.parse(e);return Number.isNaN(r)?void 0:Math.max(r-t,0)}s(f,"retryAfterMs");export{u as a,d as b,f as c};
//# sourceMappingURL=chunk-ZY3YVJ44.js.map
