import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { parseInputs } from '../../src/signer/setup/inputs.js'

const defaults: Record<string, string> = {
  'github-token': 'ghs_token',
  'bundle-suffix': '.sigstore.json',
  overwrite: 'false',
  'dry-run': 'false',
  publish: 'false',
  staging: 'false',
}
const parse = (inputs: Record<string, string> = {}) =>
  parseInputs((name) => ({ ...defaults, ...inputs })[name] ?? '')

describe('parseInputs', () => {
  it('applies the documented defaults', () => {
    expect(parse()).toEqual({
      token: 'ghs_token',
      tag: undefined,
      assetPatterns: ['*'],
      filePatterns: [],
      sourceArchive: 'none',
      sbomPatterns: [],
      checksums: undefined,
      bundles: 'per-asset',
      bundleSuffix: '.sigstore.json',
      overwrite: false,
      dryRun: false,
      rehearse: false,
      publish: false,
      provenance: true,
      attestations: 'auto',
      sigstore: {
        instance: 'public-good',
        services: { kind: 'tuf', mirror: 'https://tuf-repo-cdn.sigstore.dev', rootPath: undefined },
        rekorVersion: 'auto',
        timestamp: 'auto',
        allowPrivateRepository: false,
        trust: { kind: 'tuf', mirror: 'https://tuf-repo-cdn.sigstore.dev' },
      },
    })
  })

  it('bundles: manifest names the checksums manifest SHA256SUMS unless checksums does; other modes are refused', () => {
    expect(parse({ bundles: 'manifest' })).toMatchObject({
      bundles: 'manifest',
      checksums: 'SHA256SUMS',
    })
    expect(parse({ bundles: 'manifest', checksums: 'CHECKSUMS.txt' }).checksums).toBe(
      'CHECKSUMS.txt',
    )
    expect(() => parse({ bundles: 'one' })).toThrow(/Input 'bundles'.*per-asset.*manifest/)
  })

  it('reads sbom as patterns; attestations: true needs the provenance or an SBOM to store', () => {
    expect(parse({ sbom: 'sbom/*.spdx.json, !sbom/old.spdx.json' }).sbomPatterns).toEqual([
      'sbom/*.spdx.json',
      '!sbom/old.spdx.json',
    ])
    expect(() => parse({ sbom: '#x' })).toThrow(/Input 'sbom': '#x' is not a file pattern/)
    expect(() => parse({ provenance: 'false', attestations: 'true' })).toThrow(
      /Input 'attestations'/,
    )
    expect(
      parse({ provenance: 'false', attestations: 'true', sbom: 'a.spdx.json' }).attestations,
    ).toBe('true')
  })

  it('reads patterns one per line or comma-separated', () => {
    expect(parse({ assets: '*.tar.gz, *.zip\n!*-debug*\n\n' }).assetPatterns).toEqual([
      '*.tar.gz',
      '*.zip',
      '!*-debug*',
    ])
  })

  it('selects staging and custom instances', () => {
    expect(parse({ staging: 'TRUE' }).sigstore).toMatchObject({
      instance: 'staging',
      services: { kind: 'tuf', mirror: 'https://tuf-repo-cdn.sigstage.dev' },
    })
    expect(parse({}).sigstore).toMatchObject({
      instance: 'public-good',
      services: { kind: 'tuf', mirror: 'https://tuf-repo-cdn.sigstore.dev' },
      rekorVersion: 'auto',
      timestamp: 'auto',
      allowPrivateRepository: false,
    })
    // A trusted root of its own still takes the instance's services from its signing config.
    expect(parse({ 'trusted-root': 'root.json' }).sigstore).toMatchObject({
      instance: 'public-good',
      services: { kind: 'tuf', mirror: 'https://tuf-repo-cdn.sigstore.dev' },
    })
    expect(
      parse({ 'signing-config': 'sc.json', 'trusted-root': 'root.json', 'rekor-version': '2' })
        .sigstore,
    ).toMatchObject({
      instance: 'custom',
      services: { kind: 'file', path: 'sc.json' },
      rekorVersion: 2,
    })
    expect(
      parse({
        'fulcio-url': 'https://f.example/',
        'rekor-url': 'https://r.example',
        'trusted-root': 'root.json',
      }).sigstore,
    ).toMatchObject({
      instance: 'custom',
      services: {
        kind: 'urls',
        fulcioUrl: 'https://f.example',
        rekorUrl: 'https://r.example',
        rekorVersion: 1,
      },
    })
  })

  it('takes the trusted root from the instance, a file, or a TUF repository', () => {
    expect(parse({ staging: 'true' }).sigstore.trust).toEqual({
      kind: 'tuf',
      mirror: 'https://tuf-repo-cdn.sigstage.dev',
    })
    expect(parse({ 'trusted-root': 'root.json' }).sigstore.trust).toEqual({
      kind: 'file',
      path: 'root.json',
    })
    expect(
      parse({
        'fulcio-url': 'https://f.example',
        'rekor-url': 'https://r.example',
        'tuf-mirror': 'https://tuf.example/',
        'tuf-root': 'root.json',
      }).sigstore,
    ).toMatchObject({
      instance: 'custom',
      trust: { kind: 'tuf', mirror: 'https://tuf.example', rootPath: 'root.json' },
    })
    // Sigstore's own mirror needs no root: the one @sigstore/tuf ships applies.
    expect(parse({ 'tuf-mirror': 'https://tuf-repo-cdn.sigstore.dev' }).sigstore.trust).toEqual({
      kind: 'tuf',
      mirror: 'https://tuf-repo-cdn.sigstore.dev',
      rootPath: undefined,
    })
  })

  it('allows plain http for services on this machine only', () => {
    const custom = {
      'fulcio-url': 'http://127.0.0.1:1',
      'rekor-url': 'http://[::1]:2',
      'trusted-root': 'r.json',
    }
    expect(
      parse({ ...custom, 'tsa-url': 'http://127.0.0.1:8080' }).sigstore.services,
    ).toMatchObject({
      tsaUrl: 'http://127.0.0.1:8080',
    })
    expect(
      parse({ ...custom, 'tsa-url': 'http://localhost:8080/' }).sigstore.services,
    ).toMatchObject({
      tsaUrl: 'http://localhost:8080',
    })
    expect(() => parse({ ...custom, 'tsa-url': 'http://tsa.example' })).toThrow(/plain http/)
  })

  it.each([
    [{ 'trusted-root': 'r.json', 'tuf-mirror': 'https://tuf.example' }, 'tuf-mirror'],
    [{ 'tuf-root': 'root.json' }, 'tuf-root'],
    [{ 'tuf-mirror': 'https://tuf.example' }, 'tuf-root'],
    [{ 'tuf-mirror': 'http://tuf.example', 'tuf-root': 'root.json' }, 'tuf-mirror'],
    [{ 'rekor-url': 'http://rekor.example', 'trusted-root': 'r.json' }, 'rekor-url'],
  ])('refuses trust inputs that do not fit together: %o', (inputs, name) => {
    expect(() => parse(inputs)).toThrow(`Input '${name}'`)
  })

  it.each([
    [{ overwrite: 'yes' }, 'overwrite'],
    [{ 'github-token': ' ' }, 'github-token'],
    [{ tag: 'v1 v2' }, 'tag'],
    [{ 'bundle-suffix': '.sig' }, 'bundle-suffix'],
    [{ assets: 'dist/*.whl' }, 'assets'],
    [{ assets: 'dist\\*.whl' }, 'assets'],
    [{ 'fulcio-url': 'ftp://x' }, 'fulcio-url'],
    [{ 'rekor-url': 'https://r.example' }, 'fulcio-url'],
    [{ 'fulcio-url': 'https://f.example', 'rekor-url': 'https://r.example' }, 'trusted-root'],
    [{ 'tsa-url': 'https://t.example' }, 'fulcio-url'],
    [{ 'signing-config': 'sc.json' }, 'trusted-root'],
    [
      { 'signing-config': 'sc.json', 'trusted-root': 'r.json', 'rekor-url': 'https://r.example' },
      'signing-config',
    ],
    [{ 'signing-config': 'sc.json', 'trusted-root': 'r.json', staging: 'true' }, 'staging'],
    [{ 'rekor-version': '3' }, 'rekor-version'],
    [{ timestamp: 'sometimes' }, 'timestamp'],
    [{ 'allow-private-repository': 'yes' }, 'allow-private-repository'],
    [{ staging: 'true', 'fulcio-url': 'https://f.example', 'trusted-root': 'r.json' }, 'staging'],
    ...(() => {
      const custom = {
        'fulcio-url': 'https://f.example',
        'rekor-url': 'https://r.example',
        'trusted-root': 'r.json',
      }
      return [
        [{ ...custom, 'rekor-version': '2' }, 'rekor-version'],
        [{ ...custom, timestamp: 'true' }, 'timestamp'],
        [{ ...custom, 'tsa-url': 'https://t.example', timestamp: 'false' }, 'timestamp'],
      ] as [Record<string, string>, string][]
    })(),
    [{ publish: 'true', 'dry-run': 'true' }, 'publish'],
    [{ provenance: 'yes' }, 'provenance'],
    [{ attestations: 'always' }, 'attestations'],
    [{ attestations: 'true', provenance: 'false' }, 'attestations'],
  ])('names the input at fault: %o', (inputs, name) => {
    expect(() => parse(inputs)).toThrow(InputError)
    expect(() => parse(inputs)).toThrow(`Input '${name}'`)
  })

  it("signs only the run's own files when files or source-archive is set and assets is not", () => {
    expect(parse({ files: 'dist/*.whl' }).assetPatterns).toEqual([])
    expect(parse({ 'source-archive': 'git' }).assetPatterns).toEqual([])
    expect(parse({ files: 'dist/*', assets: '*.zip' }).assetPatterns).toEqual(['*.zip'])
    expect(parse({ checksums: 'SHA256SUMS' }).assetPatterns).toEqual(['*'])
  })

  it('reads file patterns one per line or comma-separated, excludes included', () => {
    expect(parse({ files: 'dist/*.whl, dist/*.tar.gz\n!dist/*dev*\n' }).filePatterns).toEqual([
      'dist/*.whl',
      'dist/*.tar.gz',
      '!dist/*dev*',
    ])
  })

  it('refuses a source-archive mode it does not know, naming the input and the choices', () => {
    expect(() => parse({ 'source-archive': 'tarball' })).toThrow(
      /Input 'source-archive': must be none, git .* or github .*, not 'tarball'/,
    )
    expect(parse({ 'source-archive': 'GitHub' }).sourceArchive).toBe('github')
  })

  it('reads provenance and attestations, and refuses a checksums name that is a provenance file', () => {
    expect(parse({ provenance: 'false', attestations: 'FALSE' })).toMatchObject({
      provenance: false,
      attestations: 'false',
    })
    expect(parse({ attestations: 'true' }).attestations).toBe('true')
    expect(() => parse({ checksums: 'x.intoto.jsonl' })).toThrow(/is a bundle name/)
  })

  it('refuses a checksums name that is a path or a bundle name', () => {
    expect(() => parse({ checksums: 'dist/SHA256SUMS' })).toThrow(
      /Input 'checksums': 'dist\/SHA256SUMS'/,
    )
    expect(() => parse({ checksums: 'SUMS.sigstore.json' })).toThrow(/is a bundle name/)
    expect(parse({ checksums: ' SHA256SUMS ' }).checksums).toBe('SHA256SUMS')
  })
})
