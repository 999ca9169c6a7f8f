import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as s}from"./chunk-2YD3VP25.js";import{createHash as f}from"node:crypto";import{createReadStream as g}from"node:fs";import{availableParallelism as u}from"node:os";import{Worker as d}from"node:worker_threads";var l=1<<20,m=4,p=`
const { createHash } = require('node:crypto')
const { open } = require('node:fs/promises')
const { parentPort } = require('node:worker_threads')
const SIZE = ${l}
// Two buffers: the next chunk is read into one while the other is hashed.
const buffers = [Buffer.allocUnsafe(SIZE), Buffer.allocUnsafe(SIZE)]
parentPort.on('message', async (file) => {
  let handle
  try {
    handle = await open(file, 'r')
    const hash = createHash('sha256')
    let size = 0
    let current = 0
    let reading = handle.read(buffers[current], 0, SIZE, null)
    for (;;) {
      const { bytesRead } = await reading
      if (bytesRead === 0) break
      const chunk = buffers[current].subarray(0, bytesRead)
      current ^= 1
      reading = handle.read(buffers[current], 0, SIZE, null)
      hash.update(chunk)
      size += bytesRead
    }
    parentPort.postMessage({ size, digest: hash.digest() })
  } catch (error) {
    parentPort.postMessage({ error: { message: String(error && error.message), code: error && error.code } })
  } finally {
    await handle?.close()
  }
})
`;function b(e){return Math.min(e,u(),m)}s(b,"hashingThreads");async function R(e,n=b(e.length)){if(e.length===0)return[];let a=new Array(e.length),r=0,i=Array.from({length:Math.max(1,n)},()=>new d(p,{eval:!0}));try{await Promise.all(i.map(async h=>{for(let o=r++;o<e.length;o=r++)a[o]=await y(h,e[o])}))}finally{await Promise.all(i.map(h=>h.terminate()))}return a}s(R,"hashFiles");function y(e,n){return new Promise((a,r)=>{let i=s(()=>{e.off("message",h),e.off("error",o),e.off("exit",c)},"settle"),h=s(t=>{i(),"error"in t?r(Object.assign(new Error(t.error.message),{code:t.error.code})):a({size:t.size,digest:Buffer.from(t.digest)})},"onMessage"),o=s(t=>{i(),r(t)},"onError"),c=s(t=>{i(),r(new Error(`the hashing thread stopped (exit code ${t}) while hashing ${n}`))},"onExit");e.on("message",h),e.on("error",o),e.on("exit",c),e.postMessage(n)})}s(y,"hashOn");async function S(e){let n=f("sha256"),a=0;for await(let r of g(e,{highWaterMark:l}))n.update(r),a+=r.length;return{size:a,digest:n.digest()}}s(S,"hashFile");export{R as a,S as b};
//# sourceMappingURL=chunk-TB7APP4F.js.map
