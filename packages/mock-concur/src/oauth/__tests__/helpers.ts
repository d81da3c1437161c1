import type { MockCompany } from '../../companies.js'
import type { MockConcur } from '../../mock.js'

/** POSTs a form to `/oauth2/v0/token` of the company's datacenter (or `dc`), in-process. */
export async function postToken(
  mock: MockConcur,
  fields: Record<string, string>,
  dc?: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const origin = dc ?? mock.state.baseUrl(mock.state.options.datacenters[0]!)
  const res = await mock.fetch(`${origin}/oauth2/v0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers }
}

/** The form fields of a password grant for user `i` of a company with app `appIndex`. */
export function passwordFields(company: MockCompany, userIndex = 0, appIndex = 0): Record<string, string> {
  const app = company.apps[appIndex]!
  const user = company.users[userIndex]!
  return {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    grant_type: 'password',
    username: user.loginId,
    password: user.password,
  }
}

/** Base URL of the datacenter a company lives in. */
export function homeOf(mock: MockConcur, company: MockCompany): string {
  return mock.state.baseUrl(company.datacenter)
}
