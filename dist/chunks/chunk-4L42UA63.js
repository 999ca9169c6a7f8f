import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{d as u}from"./chunk-UJYQMKMG.js";import{a as s}from"./chunk-2YD3VP25.js";var d=6e4,m=class extends Error{constructor(e,r,n,o){super(e,o);this.status=r;this.retryAfterMs=n}status;retryAfterMs;static{s(this,"TransientHttpError")}name="TransientHttpError"},i=class extends Error{constructor(e,r,n){super(e,n);this.askedMs=r}askedMs;static{s(this,"WaitTooLongError")}name="WaitTooLongError"};async function c(a,t){for(let e=1;;e++)try{return await a(e)}catch(r){if(e>=t.attempts||!t.retryable(r))throw r;let n=r?.retryAfterMs;if(n!==void 0&&n>d)throw new i(`${r instanceof Error?r.message:String(r)}; the server asked to wait ${Math.ceil(n/1e3)} s, longer than this action waits (${d/1e3} s). Re-run later.`,n,{cause:r});t.onRetry?.(r,e);let o=t.baseDelayMs*2**(e-1);await u(Math.max(o,n??0))}}s(c,"withRetry");function y(a,t=Date.now()){let e=a.get("retry-after")?.trim();if(!e)return;if(/^\d+$/.test(e))return Number(e)*1e3;let r=Date.parse(e);return Number.isNaN(r)?void 0:Math.max(r-t,0)}s(y,"retryAfterMs");export{d as a,m as b,i as c,c as d,y as e};
//# sourceMappingURL=chunk-4L42UA63.js.map
