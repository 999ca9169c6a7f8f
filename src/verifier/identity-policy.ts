// The identity a consumer expects of every bundle: an exact identity or a
// pattern, and the issuer (GitHub's by default). The CLI's flags and the
// verify action's inputs are read by this one parser; each caller says
// what is wrong in the words of its own interface.
import { GITHUB_ISSUER } from '../sigstore/certificate-identity.js'
import type { IdentityPolicy } from '../sigstore/verify/bundle-verifier.js'

/** Both given, neither given, or a pattern that is no regular expression. */
export type PolicyProblem = 'both' | 'neither' | { badPattern: unknown }

export function identityPolicy(
  given: { exact?: string; pattern?: string; issuer?: string },
  refuse: (problem: PolicyProblem) => Error,
): IdentityPolicy {
  const { exact, pattern } = given
  if (exact && pattern) throw refuse('both')
  if (!exact && !pattern) throw refuse('neither')
  let san: string | RegExp = exact as string
  if (!exact) {
    try {
      san = new RegExp(pattern as string)
    } catch (error) {
      throw refuse({ badPattern: error })
    }
  }
  return { subjectAlternativeName: san, issuer: given.issuer ?? GITHUB_ISSUER }
}
