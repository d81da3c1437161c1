import { companyRequestTokenGrant, type Http } from '@concurkit/auth'

interface Company {
  readonly id: string
  readonly apps: readonly { readonly clientId: string; readonly clientSecret: string }[]
}

/** A company request token from the listening mock's admin API (Concur's App Center issues it). */
export async function requestTokenOf(admin: string, company: Company): Promise<string> {
  const issued = await fetch(`${admin}/_mock/companies/${company.id}/request-token`, { method: 'POST' })
  const { requestToken } = (await issued.json()) as { requestToken: string }
  return requestToken
}

/** Company-level tokens of the company's first app: its request token exchanged at `base`. */
export async function companyTokens(admin: string, base: string, company: Company, http: Http) {
  return companyRequestTokenGrant({
    clientId: company.apps[0]!.clientId,
    clientSecret: company.apps[0]!.clientSecret,
    companyId: company.id,
    requestToken: await requestTokenOf(admin, company),
    baseUrl: base,
    http,
  })
}
