import type { MockCompany } from '../../companies.js'
import type { MockConcur } from '../../mock.js'
import { encodeOffset } from '../../resources/offset.js'

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

/**
 * Page traffic for load tests (`page-load.mjs`): `count` different pages of 100 reports of the first
 * company, none in the page cache, and how many report pages the mock has answered so far (its journal).
 */
export function reportPageLoad(mock: MockConcur, count: number) {
  const company = mock.state.companies[0]!
  const path = '/api/v3.0/expense/reports?limit=100&user=ALL'
  const paths = Array.from(
    { length: count },
    (_, i) =>
      `${path}&offset=${encodeOffset(mock.state.options.seed, company.id, 'expense-reports', i * 100)}`,
  )
  const pagesAnswered = () =>
    mock.state.journal.list().filter((e) => e.path.startsWith('/api/v3.0/expense/reports')).length
  return { paths, pagesAnswered }
}
