import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as n}from"./chunk-2YD3VP25.js";function r(e){let t=e.detail?` (${e.detail})`:"",i=e.coveredBy?` (by ${e.coveredBy})`:"",s=e.provenance==="ok"?" (provenance ok)":e.provenance==="foreign"&&e.status==="ok"?` (provenance by another identity, not checked: ${e.provenanceSigner})`:"",o=e.sbom==="ok"?` (SBOM ${e.sbomBy})`:"";return`${e.status}${t}: ${e.name}${i}${s}${o}`}n(r,"verdictLine");function a(e,t){return e.immutable?e.githubAttestation!=="ok":t}n(a,"releaseFails");function c(e,t){return e.immutable?e.githubAttestation==="ok"?`ok: GitHub's release attestation covers the release (${e.covers} assets, immutable)`:`${e.githubAttestation==="missing"?"missing":"does not verify"}: GitHub's release attestation (${e.githubAttestation})`:`${t?"not immutable":"mutable"}: the release is not immutable, so GitHub made no release attestation of it`}n(c,"releaseLine");export{r as a,a as b,c};
//# sourceMappingURL=chunk-TE4J4BPJ.js.map
