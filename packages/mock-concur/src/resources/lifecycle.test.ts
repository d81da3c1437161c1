import { beforeAll, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { call, issueToken } from './v3-testing.js'

const LOCATIONS_WARN =
  "'/api/v3.0/common/locations' is deprecated; use '/localities/v5/locations'. See 'https://developer.concur.com/tools-support/release-notes/api/2025-10-02.html' for details."

describe('deprecation signals (x-api-warn, sunset)', () => {
  let mock: MockConcur
  let admin: string
  beforeAll(async () => {
    mock = createMockConcur({ seed: 3, size: 20, companies: 1, datacenters: ['us'] })
    admin = await issueToken(mock, { user: 0 })
  })

  it('a deprecated v3.0 resource answers with both headers, list and item alike', async () => {
    const res = await call(mock, '/api/v3.0/common/locations?limit=2', admin)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-api-warn')).toBe(LOCATIONS_WARN)
    expect(res.headers.get('sunset')).toBe('Fri, 10 Oct 2025 00:00:00 GMT')
    const { Items } = (await res.json()) as { Items: { ID: string }[] }
    const one = await call(mock, `/api/v3.0/common/locations/${Items[0]!.ID}`, admin)
    expect(one.status).toBe(200)
    expect(one.headers.get('x-api-warn')).toContain("'/api/v3.0/common/locations/{id}' is deprecated")
  })

  it('an active resource answers without them; a deprecated DELETE carries them, its GET not', async () => {
    const reports = await call(mock, '/api/v3.0/expense/reports', admin)
    expect(reports.status).toBe(200)
    expect(reports.headers.get('x-api-warn')).toBeNull()
    expect(reports.headers.get('sunset')).toBeNull()
    const entries = (await (await call(mock, '/api/v3.0/expense/entries?limit=1', admin)).json()) as {
      Items: { ID: string }[]
    }
    const id = entries.Items[0]!.ID
    expect((await call(mock, `/api/v3.0/expense/entries/${id}`, admin)).headers.get('x-api-warn')).toBeNull()
    const del = await call(mock, `/api/v3.0/expense/entries/${id}`, admin, { method: 'DELETE' })
    expect(del.headers.get('x-api-warn')).toContain("use '/expensereports/v4'")
    expect(del.headers.get('sunset')).toBe('Thu, 26 Jun 2025 00:00:00 GMT')
  })

  it('XML-only families and failed requests carry them too', async () => {
    const v2 = await call(mock, '/api/expense/expensereport/v2.0/Reports/', admin)
    expect(v2.status).toBe(200)
    expect(v2.headers.get('x-api-warn')).toMatch(
      /^'\/api\/expense\/expensereport\/v2\.0\/Reports' is deprecated/,
    )
    // No documented date: no sunset.
    expect(v2.headers.get('sunset')).toBeNull()
    const unauth = await mock.fetch(`${mock.state.baseUrl('us')}/api/v3.0/common/lists`)
    expect(unauth.status).toBe(401)
    expect(unauth.headers.get('x-api-warn')).toContain("use '/list/v4/lists'")
  })

  it('a decommissioned endpoint is served with its signals by default', async () => {
    const res = await call(mock, '/api/v3.0/common/users', admin)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-api-warn')).toMatch(/^'\/api\/v3\.0\/common\/users' is decommissioned; use/)
    expect(res.headers.get('sunset')).toBe('Tue, 21 Jan 2025 00:00:00 GMT')
  })
})

describe('strict lifecycle modes', () => {
  it("'strict' answers a decommissioned endpoint 410 with the family's error body and keeps deprecated ones", async () => {
    const mock = createMockConcur({
      seed: 3,
      size: 5,
      companies: 1,
      datacenters: ['us'],
      lifecycle: 'strict',
    })
    const admin = await issueToken(mock, { user: 0 })
    const users = await call(mock, '/api/v3.0/common/users', admin)
    expect(users.status).toBe(410)
    expect(users.headers.get('x-api-warn')).toContain('decommissioned')
    const body = (await users.json()) as { Error: { Message: string } }
    expect(body.Error.Message).toBe('/api/v3.0/common/users was decommissioned on 2025-01-21')
    const v1 = await call(mock, '/api/user/v1.0/user', admin)
    expect(v1.status).toBe(410)
    expect(await v1.text()).toMatch(/^<\?xml[\s\S]*<Error>[\s\S]*decommissioned on 2025-01-21/)
    expect((await call(mock, '/api/v3.0/common/locations', admin)).status).toBe(200)
  })

  it("'new-app' also refuses deprecated endpoints with 403, and active ones still answer", async () => {
    const mock = createMockConcur({
      seed: 3,
      size: 5,
      companies: 1,
      datacenters: ['us'],
      lifecycle: 'new-app',
    })
    const admin = await issueToken(mock, { user: 0 })
    const lists = await call(mock, '/api/v3.0/common/lists', admin)
    expect(lists.status).toBe(403)
    expect(((await lists.json()) as { Error: { Message: string } }).Error.Message).toMatch(/deprecated APIs/)
    expect((await call(mock, '/api/v3.0/expense/reports', admin)).status).toBe(200)
  })

  it('an unknown mode is refused', () => {
    expect(() => createMockConcur({ lifecycle: 'lax' as 'serve' })).toThrow(/lifecycle must be one of/)
  })
})

describe('the OpenAPI document', () => {
  it('marks retired operations deprecated and leaves active ones alone', async () => {
    const { buildOpenApiDocument } = await import('../openapi/document.js')
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, Record<string, unknown>>>
    expect(paths['/api/v3.0/common/locations']?.get?.deprecated).toBe(true)
    expect(paths['/api/v3.0/common/users']?.get?.['x-concur-lifecycle']).toMatchObject({
      status: 'decommissioned',
      decommissioned: '2025-01-21',
    })
    expect(paths['/api/v3.0/expense/entries/{id}']?.delete?.deprecated).toBe(true)
    expect(paths['/api/v3.0/expense/entries/{id}']?.get?.deprecated).toBeUndefined()
    expect(paths['/api/v3.0/expense/reports']?.get?.deprecated).toBeUndefined()
  })
})
