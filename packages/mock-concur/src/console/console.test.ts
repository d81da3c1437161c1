import { createConnector } from '@concurkit/callout-kit'
import { createSelfSignedCertificate, serveConnector } from '@concurkit/callout-kit/node'
import { describe, expect, it } from 'vitest'
import { createMockConcur } from '../mock.js'
import { faultFromForm } from './routes.js'

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
})

describe('console', () => {
  it('serves the overview with the default company credentials, datacenters and clock', async () => {
    const mock = createMockConcur({ seed: 3 })
    const res = await mock.app.request('/_mock/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    const company = mock.state.companies[0]!
    expect(html).toContain(company.apps[0]!.clientId)
    expect(html).toContain(company.users[0]!.loginId)
    for (const dc of mock.state.options.datacenters) expect(html).toContain(mock.state.baseUrl(dc))
    const shown = /id="clock-now">([^<]+)</.exec(html)?.[1]
    expect(Math.abs(Date.parse(shown ?? '') - mock.state.clock.now())).toBeLessThan(60_000)
    expect(html).toContain('Company Card Transactions')
    const reports =
      /Expense Reports <span[^>]*>expense-reports<\/span><\/td><td>v3.0<\/td><td class="num">(\d+)</.exec(
        html,
      )
    expect(Number(reports?.[1])).toBe(company.size)
    const bare = await mock.app.request('/_mock')
    expect(bare.status).toBe(302)
    expect(bare.headers.get('location')).toBe('/_mock/')
  })

  it('shows the journal with redacted paths', async () => {
    const mock = createMockConcur()
    await mock.app.request('/api/v3.0/expense/reports?limit=5')
    await mock.app.request('/oauth2/v0/token', form({ grant_type: 'password', password: 'hunter2-secret' }))
    const html = await (await mock.app.request('/_mock/console/journal')).text()
    expect(html).toContain('/api/v3.0/expense/reports?limit=5')
    expect(html).toContain('/oauth2/v0/token')
    expect(html).not.toContain('hunter2-secret')
  })

  it('adds a fault from the form with the same engine as the admin API, and removes it', async () => {
    const mock = createMockConcur()
    const added = await mock.app.request(
      '/_mock/console/faults',
      form({ method: 'GET', path: '/oauth2/v0/jwks', status: '503', retryAfter: '7', datacenter: '' }),
    )
    expect(added.status).toBe(303)
    expect(added.headers.get('location')).toBe('/_mock/console/faults')
    const [rule] = mock.state.faults.rules
    expect(rule).toMatchObject({ method: 'GET', path: '/oauth2/v0/jwks', status: 503, retryAfter: 7 })
    const faulted = await mock.app.request('/oauth2/v0/jwks')
    expect(faulted.status).toBe(503)
    expect(faulted.headers.get('retry-after')).toBe('7')
    const page = await (await mock.app.request('/_mock/console/faults')).text()
    expect(page).toContain(rule!.id)
    const removed = await mock.app.request(`/_mock/console/faults/${rule!.id}/delete`, { method: 'POST' })
    expect(removed.status).toBe(303)
    expect(mock.state.faults.rules).toEqual([])
    expect((await mock.app.request('/oauth2/v0/jwks')).status).toBe(200)
    const again = await mock.app.request(`/_mock/console/faults/${rule!.id}/delete`, { method: 'POST' })
    expect(again.status).toBe(404)
  })

  it('refuses a fault without an effect with the engine’s message', async () => {
    const mock = createMockConcur()
    const res = await mock.app.request('/_mock/console/faults', form({ path: '/api/**' }))
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('a fault needs an effect')
    expect(mock.state.faults.rules).toEqual([])
  })

  it('advances the clock from the form and refuses a negative step', async () => {
    const mock = createMockConcur()
    const before = mock.state.clock.nowSeconds()
    const res = await mock.app.request('/_mock/console/clock', form({ advanceSeconds: '86400' }))
    expect(res.status).toBe(303)
    const advanced = mock.state.clock.nowSeconds() - before
    expect(advanced).toBeGreaterThanOrEqual(86400)
    expect(advanced).toBeLessThan(86400 + 60)
    const bad = await mock.app.request('/_mock/console/clock', form({ advanceSeconds: '-5' }))
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('The clock moves forward only')
    expect(mock.state.clock.offsetSeconds).toBe(86400)
  })

  it('renders the API reference from the OpenAPI document', async () => {
    const mock = createMockConcur()
    const html = await (await mock.app.request('/_mock/console/api')).text()
    expect(html).toContain('/api/v3.0/expense/reports/{id}')
    expect(html).toContain('ExpenseReportsItem')
    expect(html).not.toContain('<script src=')
  })

  it('is behind the admin key like the admin API', async () => {
    const mock = createMockConcur({ adminKey: 'k-123' })
    expect((await mock.app.request('/_mock/')).status).toBe(401)
    expect((await mock.app.request('/_mock/', { headers: { 'x-mock-admin-key': 'k-123' } })).status).toBe(200)
  })

  it('lists registered callout connectors without their password', async () => {
    const mock = createMockConcur({ size: 5 })
    const tls = await createSelfSignedCertificate({ hosts: ['127.0.0.1'] })
    const credentials = { user: 'concur-callouts', password: 'connector-password-xyz' }
    const connector = await serveConnector({
      port: 0,
      tls,
      app: createConnector({ credentials, handlers: { fetchList: () => [] } }),
    })
    try {
      const res = await mock.app.request('/_mock/connectors', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Cost centres',
          url: connector.url,
          ...credentials,
          ca: tls.cert,
          callouts: { fetchList: '/concur/list/v1.2/fetch' },
        }),
      })
      expect(res.status).toBe(201)
      const html = await (await mock.app.request('/_mock/')).text()
      const section = html.slice(html.indexOf('id="connectors"'))
      expect(section).toContain('Cost centres')
      expect(section).toContain(connector.url)
      expect(section).toContain('/concur/list/v1.2/fetch')
      expect(html).not.toContain(credentials.password)
    } finally {
      mock.state.reset()
      await connector.close()
    }
  })

  it('maps form fields to a fault body', () => {
    expect(faultFromForm({ path: ' /a/* ', status: '429', method: '', reset: 'true', every: '' })).toEqual({
      path: '/a/*',
      status: 429,
      reset: true,
    })
  })
})
