import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { parseInputs } from '../../src/inputs.js'

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
      bundleSuffix: '.sigstore.json',
      overwrite: false,
      dryRun: false,
      publish: false,
      sigstore: {
        instance: 'public-good',
        fulcioUrl: 'https://fulcio.sigstore.dev',
        rekorUrl: 'https://rekor.sigstore.dev',
        tsaUrl: undefined,
        trustedRootPath: undefined,
      },
    })
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
      fulcioUrl: 'https://fulcio.sigstage.dev',
    })
    expect(
      parse({
        'fulcio-url': 'https://f.example/',
        'rekor-url': 'https://r.example',
        'trusted-root': 'root.json',
      }).sigstore,
    ).toMatchObject({
      instance: 'custom',
      fulcioUrl: 'https://f.example',
      rekorUrl: 'https://r.example',
    })
  })

  it.each([
    [{ overwrite: 'yes' }, 'overwrite'],
    [{ 'github-token': ' ' }, 'github-token'],
    [{ tag: 'v1 v2' }, 'tag'],
    [{ 'bundle-suffix': '.sig' }, 'bundle-suffix'],
    [{ assets: 'dist/*.whl' }, 'assets'],
    [{ 'fulcio-url': 'ftp://x' }, 'fulcio-url'],
    [{ 'rekor-url': 'https://r.example' }, 'trusted-root'],
    [{ staging: 'true', 'fulcio-url': 'https://f.example', 'trusted-root': 'r.json' }, 'staging'],
    [{ publish: 'true', 'dry-run': 'true' }, 'publish'],
  ])('names the input at fault: %o', (inputs, name) => {
    expect(() => parse(inputs)).toThrow(InputError)
    expect(() => parse(inputs)).toThrow(`Input '${name}'`)
  })
})
