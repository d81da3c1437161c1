import { connect } from 'node:net'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorBodyProblem } from './error-bodies.ts'

// Counterexamples the fuzzers and suites once produced, kept as fixed cases.

const ADMIN_KEY = 'regressions-admin-key'
const mock = createMockConcur({ seed: 4711, companies: 3, size: 25, adminKey: ADMIN_KEY })
let running: RunningMock

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
})
afterAll(async () => {
  await running?.close()
})

describe('fuzz-mock counterexamples', () => {
  it('PUT /_mock/clock/../%2e%2e/- resolves to /- (dot segments, also encoded): the XML 404 of that path', async () => {
    const res = await mock.app.request('/_mock/clock/../%2e%2e/-?response_type=x', { method: 'PUT' })
    const text = await res.text()
    expect(res.status).toBe(404)
    expect(errorBodyProblem('/_mock/clock/../%2e%2e/-', '*/*', 404, text)).toBeUndefined()
    expect(text).toMatch(/^<\?xml[^>]*\?>\s*<Error><Message>/)
  })

  it('dot segments never bypass the admin key: /api/../_mock/journal and /_mock/x/../journal are locked', async () => {
    for (const path of [
      '/api/../_mock/journal',
      '/_mock/x/../journal',
      '/api/%2e%2e/_mock/journal',
      '//_mock/journal',
    ]) {
      const res = await mock.app.request(path)
      const text = await res.text()
      expect({ path, open: res.status === 200 }).toEqual({ path, open: false })
      expect(text).not.toContain('"entries"')
    }
  })

  it('a request head over 16 KiB on a socket is refused by the HTTP parser (431, empty body) and the server keeps serving', async () => {
    const url = new URL(running.admin)
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), url.hostname)
      let data = ''
      socket.on('data', (d) => {
        data += d.toString('latin1')
      })
      socket.on('close', () => resolve(data))
      socket.on('error', () => resolve(data))
      socket.end(`GET /api/v3.0/common/listitems/123?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)
    })
    expect(answer).toMatch(/^HTTP\/1\.1 431 /)
    const res = await fetch(`${running.datacenters.us}/oauth2/v0/jwks`)
    expect(res.status).toBe(200)
  })

  it('invalid UTF-8 and lone surrogates in form bodies and queries: the OAuth2 body, never a 5xx', async () => {
    for (const body of [
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]),
      'a=%ZZ&b=%',
      'grant_type=%ED%A0%80',
    ]) {
      const res = await mock.app.request('/oauth2/v0/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      })
      const text = await res.text()
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
      expect(errorBodyProblem('/oauth2/v0/token', undefined, res.status, text)).toBeUndefined()
    }
    const q = await mock.app.request('/api/v3.0/expense/reports?user=%ED%A0%80&limit=%FF')
    expect(q.status).toBeLessThan(500)
  })
})

describe('token-security counterexamples', () => {
  it('a report id of another company read with user=ALL on the item path: a 4xx with the v3.0 body, no data', async () => {
    const [c0, , c2] = mock.state.companies
    expect(c2!.datacenter).toBe(c0!.datacenter)
    const token = await mock.state.tokens.issueAccessToken({
      type: 'user',
      companyId: c2!.id,
      userIndex: 0,
      subject: c2!.users[0]!.id,
      clientId: c2!.apps[0]!.clientId,
      scopes: [...c2!.apps[0]!.scopes],
      issuer: mock.state.baseUrl(c2!.datacenter),
    })
    const admin0 = await mock.state.tokens.issueAccessToken({
      type: 'user',
      companyId: c0!.id,
      userIndex: 0,
      subject: c0!.users[0]!.id,
      clientId: c0!.apps[0]!.clientId,
      scopes: [...c0!.apps[0]!.scopes],
      issuer: mock.state.baseUrl(c0!.datacenter),
    })
    const list = await mock.app.request('/api/v3.0/expense/reports?user=ALL&limit=1', {
      headers: { authorization: `Bearer ${admin0.token}` },
    })
    const id = ((await list.json()) as { Items: { ID: string }[] }).Items[0]!.ID
    for (const path of [`/api/v3.0/expense/reports/${id}`, `/api/v3.0/expense/reports/${id}?user=ALL`]) {
      const res = await mock.app.request(path, { headers: { authorization: `Bearer ${token.token}` } })
      const text = await res.text()
      expect({ path, status: res.status >= 400 && res.status < 500 }).toEqual({ path, status: true })
      expect(errorBodyProblem(path, undefined, res.status, text)).toBeUndefined()
      expect(text).not.toContain('ReportName')
    }
  })
})

describe('load counterexample', () => {
  it('user=ALL with a non-administrator token is 403 with the v3.0 body (not a load failure)', async () => {
    const c = mock.state.companies[0]!
    const t = await mock.state.tokens.issueAccessToken({
      type: 'user',
      companyId: c.id,
      userIndex: 2,
      subject: c.users[2]?.id ?? mock.state.user(c, 2)!.id,
      clientId: c.apps[0]!.clientId,
      scopes: [...c.apps[0]!.scopes],
      issuer: mock.state.baseUrl(c.datacenter),
    })
    const res = await mock.app.request('/api/v3.0/expense/reports?user=ALL', {
      headers: { authorization: `Bearer ${t.token}` },
    })
    expect(res.status).toBe(403)
    expect(errorBodyProblem('/api/v3.0/expense/reports', undefined, 403, await res.text())).toBeUndefined()
  })
})
