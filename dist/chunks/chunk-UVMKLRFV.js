import { createRequire as __createRequire } from 'node:module';
import { fileURLToPath as __fileURLToPath } from 'node:url';
import { dirname as __pathDirname } from 'node:path';
const require = __createRequire(import.meta.url);
globalThis.__filename ??= __fileURLToPath(import.meta.url);
globalThis.__dirname ??= __pathDirname(globalThis.__filename);
import{a as p}from"./chunk-PMQNXRIW.js";import{e as y}from"./chunk-NAK2LAIV.js";import{f as g,j as l,o as f}from"./chunk-S7E52XVG.js";import{a as o}from"./chunk-2YD3VP25.js";function S(e,s,c){let d=e.digest?.toString("hex")??(e.asset?y(e.asset):void 0)??"",n={name:e.name,source:e.source,size:e.size,bundle:e.bundleName};if(e.action==="keep"){let r=d;if(e.foreignSigner){let a=e.foreignSigner;return{...n,sha256:r,status:"foreign",logIndex:e.logIndex??null,signer:a}}return{...n,sha256:r,status:"unchanged",logIndex:e.logIndex??null}}return s?{...n,sha256:s.sha256,status:e.existingBundle?"replaced":"signed",logIndex:s.logIndex}:{...n,sha256:d,status:"failed",logIndex:null,error:c??"not signed"}}o(S,"resultFor");async function I(e){l("results",JSON.stringify(e.results)),l("bundles-dir",e.bundlesDir),l("certificate-identity",e.identity.subjectAlternativeName),l("certificate-oidc-issuer",e.identity.issuer);for(let t of e.results)f(`${t.status.padEnd(9)} ${t.name} -> ${t.bundle}`);if(f(`Certificate identity: ${e.identity.subjectAlternativeName}`),f(`Certificate OIDC issuer: ${e.identity.issuer}`),!e.stepSummary)return;let s=e.results.find(t=>t.status!=="failed"),c=u(s?.name??"ASSET"),d=u(s?.bundle??"ASSET.sigstore.json"),n=u(e.identity.subjectAlternativeName),r=u(e.identity.issuer);g.addHeading(`Signed ${i(e.release.tagName)}${e.dryRun?" (dry run: nothing attached)":""}`,2).addTable([[{data:"Asset",header:!0},{data:"SHA-256",header:!0},{data:"Status",header:!0},{data:"Transparency log",header:!0}],...e.results.map(t=>[i(t.name),`<code>${t.sha256.slice(0,16)}\u2026</code>`,t.error?`failed: ${i(t.error.split(`
`)[0]??"")}`:t.status,m(e.sigstore,t.logIndex)])]).addHeading("Verify",3).addRaw("With cosign:",!0).addCodeBlock(i(`cosign verify-blob ${c} --bundle ${d} \\
  --certificate-identity ${n} \\
  --certificate-oidc-issuer ${r}`),"sh").addRaw("With sigstore-python:",!0).addCodeBlock(i(`sigstore verify identity --bundle ${d} \\
  --cert-identity ${n} \\
  --cert-oidc-issuer ${r} ${c}`),"sh");let a=e.results.find(t=>t.source==="checksums"&&t.status!=="failed");if(a){let t=u(a.name);g.addRaw(`Or check every file at once with the signed ${i(a.name)}:`,!0).addCodeBlock(i(`cosign verify-blob ${t} --bundle ${u(a.bundle)} \\
  --certificate-identity ${n} \\
  --certificate-oidc-issuer ${r} \\
  && sha256sum -c ${t}`),"sh")}await g.write()}o(I,"report");function m(e,s){return s===null||s===""?"\u2014":e.instance==="custom"?s:`<a href="${p[e.instance].searchUrl}/?logIndex=${s}">${s}</a>`}o(m,"logLink");function u(e){return`'${e.replaceAll("'","'\\''")}'`}o(u,"shellQuote");function i(e){return e.replaceAll("&","&amp;").replaceAll("<","&lt;").replaceAll(">","&gt;")}o(i,"escapeHtml");export{S as a,I as b,i as c};
//# sourceMappingURL=chunk-UVMKLRFV.js.map
