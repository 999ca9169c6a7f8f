import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as r}from"./chunk-2YD3VP25.js";var o={"public-good":{tufMirror:"https://tuf-repo-cdn.sigstore.dev",initialRoot:"shipped",searchUrl:"https://search.sigstore.dev"},staging:{tufMirror:"https://tuf-repo-cdn.sigstage.dev",initialRoot:"from-mirror",searchUrl:"https://search.sigstage.dev"}},s={trustedRoot:"trusted_root.json",signingConfig:"signing_config.v0.2.json",signingConfigRekorV2:"signing_config_rekor_v2.v0.2.json"};function i(t){return Object.keys(o).find(n=>o[n].tufMirror===t)}r(i,"knownInstanceOfMirror");function e(t){let n=i(t);return n&&o[n]}r(e,"instanceOfMirror");export{o as a,s as b,i as c,e as d};
//# sourceMappingURL=chunk-VJDZVYMQ.js.map
