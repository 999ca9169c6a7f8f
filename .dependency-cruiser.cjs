// The house rules of src/ (docs/development.md, "The source"), checked by
// `npm run lint`. Type-only imports count: a circle of types is still a
// circle to read.
//
// entries (src/*.ts that the build bundles)
//   → signer/ and verifier/ (signer/ may use verifier/, never the reverse)
//   → shared adapters (sigstore/, github/) and shared files (src/*.ts below)
//   → util/
// The signer's stages run in this order; a stage imports only earlier
// stages and run/, which imports no stage.
const STAGES = ['setup', 'plan', 'sign', 'place', 'release-wide', 'publish', 'report', 'rehearse']
const ENTRIES = '^src/(index|action|cli|verify-action)\\.ts$'
const SHARED_FILES = '^src/(errors|input-values|release-names|slsa-provenance)\\.ts$'

const laterStages = (i) => `^src/signer/(${STAGES.slice(i + 1).join('|')})/`

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circles anywhere in src/, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'verifier-not-signer',
      comment: "The consumer's verifier never loads the signer.",
      severity: 'error',
      from: { path: '^src/verifier/' },
      to: { path: '^src/signer/' },
    },
    {
      name: 'consumer-entries-not-signer',
      comment: "The CLI and the verify action are the consumer's: they never load the signer.",
      severity: 'error',
      from: { path: '^src/(cli|verify-action)\\.ts$' },
      to: { path: '^src/signer/' },
    },
    {
      name: 'verifying-not-signing',
      comment:
        "Sigstore's verifying side, and the consumer's verifier, never load the signing clients.",
      severity: 'error',
      from: { path: '^src/(sigstore/verify|verifier)/' },
      to: { path: '^src/sigstore/sign/' },
    },
    {
      name: 'nothing-imports-an-entry',
      comment: 'The entries sit on top: nothing but another entry imports them.',
      severity: 'error',
      from: { path: '^src/', pathNot: ENTRIES },
      to: { path: ENTRIES },
    },
    {
      name: 'adapters-below-products',
      comment: 'sigstore/, github/ and the shared files serve both products and import neither.',
      severity: 'error',
      from: { path: `^src/(sigstore|github)/|${SHARED_FILES}` },
      to: { path: '^src/(signer|verifier)/' },
    },
    {
      name: 'util-at-the-bottom',
      comment: 'util/ imports nothing else of src/.',
      severity: 'error',
      from: { path: '^src/util/' },
      to: { path: '^src/', pathNot: '^src/util/' },
    },
    {
      name: 'run-imports-no-stage',
      comment: 'signer/run/ holds what every stage shares; it imports no stage.',
      severity: 'error',
      from: { path: '^src/signer/run/' },
      to: { path: `^src/signer/(${STAGES.join('|')}|main\\.ts)` },
    },
    ...STAGES.slice(0, -1).map((stage, i) => ({
      name: `stage-order-${stage}`,
      comment: `The ${stage} stage imports only earlier stages and run/.`,
      severity: 'error',
      from: { path: `^src/signer/${stage}/` },
      to: { path: `${laterStages(i)}|^src/signer/main\\.ts$` },
    })),
    {
      name: 'stages-only',
      comment: 'Every folder under signer/ is a stage or run/.',
      severity: 'error',
      from: { path: '^src/signer/[^/]+/' },
      to: { path: `^src/signer/(?!(${[...STAGES, 'run'].join('|')})/|main\\.ts$)` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.d\\.ts$' },
  },
}
