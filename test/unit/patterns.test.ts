import { expect, it } from 'vitest'
import { matchesPatterns } from '../../src/util/patterns.js'

it.each([
  ['tool.tar.gz', ['*'], true],
  ['tool.tar.gz', ['*.zip'], false],
  ['tool.tar.gz', ['*.zip', '*.tar.gz'], true],
  ['tool-debug.tar.gz', ['*.tar.gz', '!*-debug*'], false],
  ['tool.tar.gz', ['!*.zip'], true],
  ['tool.zip', ['!*.zip'], false],
  ['a1.bin', ['a?.bin'], true],
  ['a10.bin', ['a?.bin'], false],
])('%s against %o is %s', (name, patterns, expected) => {
  expect(matchesPatterns(name, patterns)).toBe(expected)
})

it('matches case-sensitively on every runner, as GitHub names assets', () => {
  expect(matchesPatterns('tool.tar.gz', ['*.TAR.GZ'])).toBe(false)
  expect(matchesPatterns('TOOL.tar.gz', ['tool*'])).toBe(false)
  expect(matchesPatterns('tool.tar.gz', ['!*.TAR.GZ'])).toBe(true)
})
