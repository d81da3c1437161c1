import type { MockConcur } from '../mock.js'

/** Issues an access token straight from the token service (user *i*, or a company token). Test helper. */
export async function issueToken(
  mock: MockConcur,
  options: { company?: number; user?: number | 'company'; scopes?: readonly string[] } = {},
): Promise<string> {
  const c = mock.state.companies[options.company ?? 0]!
  const who = options.user ?? 0
  const user = who === 'company' ? undefined : mock.state.user(c, who)
  const { token } = await mock.state.tokens.issueAccessToken({
    type: who === 'company' ? 'company' : 'user',
    companyId: c.id,
    ...(user ? { userIndex: user.index } : {}),
    subject: user ? user.id : c.id,
    clientId: c.apps[0]!.clientId,
    scopes: [...(options.scopes ?? c.apps[0]!.scopes)],
    issuer: mock.state.baseUrl(c.datacenter),
  })
  return token
}

/** Requests a path of the company's datacenter with a bearer token. Test helper. */
export async function call(
  mock: MockConcur,
  path: string,
  token: string,
  init: RequestInit & { company?: number } = {},
): Promise<Response> {
  const c = mock.state.companies[init.company ?? 0]!
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${token}`)
  const url = path.startsWith('http') ? path : `${mock.state.baseUrl(c.datacenter)}${path}`
  return mock.fetch(url, { ...init, headers })
}

/** Follows NextPage from a first URL and returns every item (JSON). Test helper. */
export async function walk(
  mock: MockConcur,
  first: string,
  token: string,
  company = 0,
): Promise<{ items: Record<string, unknown>[]; pages: number }> {
  const items: Record<string, unknown>[] = []
  let url: string | null = first
  let pages = 0
  while (url) {
    const res = await call(mock, url, token, { company })
    if (res.status !== 200) throw new Error(`${url} → ${res.status} ${await res.text()}`)
    const body = (await res.json()) as { Items: Record<string, unknown>[]; NextPage: string | null }
    items.push(...body.Items)
    url = body.NextPage
    pages++
    if (pages > 10_000) throw new Error('too many pages')
  }
  return { items, pages }
}

/** Drops `URI` (the manifest's records leave it out). */
export function withoutUri(items: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return items.map(({ URI: _uri, ...rest }) => rest)
}
