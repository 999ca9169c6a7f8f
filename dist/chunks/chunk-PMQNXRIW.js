import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as r}from"./chunk-2YD3VP25.js";var o={"public-good":{fulcioUrl:"https://fulcio.sigstore.dev",rekorUrl:"https://rekor.sigstore.dev",tufMirror:"https://tuf-repo-cdn.sigstore.dev",initialRoot:"shipped",searchUrl:"https://search.sigstore.dev"},staging:{fulcioUrl:"https://fulcio.sigstage.dev",rekorUrl:"https://rekor.sigstage.dev",tufMirror:"https://tuf-repo-cdn.sigstage.dev",initialRoot:"from-mirror",searchUrl:"https://search.sigstage.dev"}};function s(t){return Object.values(o).find(e=>e.tufMirror===t)}r(s,"instanceOfMirror");export{o as a,s as b};
//# sourceMappingURL=chunk-PMQNXRIW.js.map
