// Who a certificate names: the signer writes it, the consumer expects it.

/** The issuer of GitHub Actions' OIDC tokens: the one a consumer expects by default. */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'

export interface CertificateIdentity {
  /** Fulcio's SAN for a GitHub workflow: server URL + job_workflow_ref. */
  subjectAlternativeName: string
  issuer: string
}
