import { createMockConcur, type MockCompany, type MockConcur, type RunningMock } from '@concurkit/mock-concur'
import { createHttp, type Http } from '../src/http.js'

/** A listening mock plus the credentials of its first two companies (company 1 lives in another datacenter). */
export interface MockSetup {
  mock: MockConcur
  running: RunningMock
  http: Http
  c0: MockCompany
  c1: MockCompany
  /** Base URL of company 0's datacenter (the app's datacenter in these tests). */
  base: string
  /** Client options of company 0's primary app, on the mock's clock. */
  client: { clientId: string; clientSecret: string; baseUrl: string; http: Http; now: () => number }
  /** Token requests answered since `mark()`. */
  tokenRequests(since?: number): { datacenter: string; status: number }[]
  mark(): number
  close(): Promise<void>
}

export async function startMock(): Promise<MockSetup> {
  const mock = createMockConcur()
  const running = await mock.listen()
  const http = createHttp({ timeoutMs: 10_000 })
  const c0 = mock.state.companies[0]!
  const c1 = mock.state.companies[1]!
  const base = running.datacenters[c0.datacenter]!
  const app = c0.apps[0]!
  return {
    mock,
    running,
    http,
    c0,
    c1,
    base,
    client: {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      baseUrl: base,
      http,
      now: () => mock.state.clock.now(),
    },
    mark: () => mock.state.journal.list().at(-1)?.id ?? 0,
    tokenRequests: (since = 0) =>
      mock.state.journal
        .list()
        .filter((e) => e.id > since && e.method === 'POST' && e.path.startsWith('/oauth2/v0/token'))
        .map((e) => ({ datacenter: e.datacenter, status: e.status })),
    async close() {
      await http.close()
      await running.close()
    },
  }
}

/** A company request token, as App Center mints it (the app's credentials, HTTP Basic). */
export async function requestToken(s: MockSetup, company: MockCompany): Promise<string> {
  const app = company.apps[0]!
  const base = s.running.datacenters[company.datacenter]!
  const res = await s.http.request({
    method: 'POST',
    url: `${base}/profile-service/v1/keys/principals/${company.id}/authtoken/`,
    headers: {
      authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
    },
  })
  if (res.status !== 200) throw new Error(`request token: HTTP ${res.status}`)
  return (JSON.parse(res.text()) as { token: string }).token
}

/** The one-time password the mock "mailed" (admin API when present, else the mock's OAuth state). */
export async function mailedOtp(s: MockSetup, email: string): Promise<string> {
  const res = await s.http.request({
    method: 'GET',
    url: `${s.running.admin}/_mock/otp?email=${encodeURIComponent(email)}`,
  })
  if (res.status === 200) return (JSON.parse(res.text()) as { otp: string }).otp
  const store = s.mock.state.store('oauth', () => {
    throw new Error('no OAuth state yet')
  }) as unknown as { otps: Map<string, { otp: string }> }
  const record = store.otps.get(email.toLowerCase())
  if (!record) throw new Error('no otp was mailed')
  return record.otp
}
