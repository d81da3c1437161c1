import * as crypto from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { basicAuthHeader, checkBasicAuth } from './basic-auth.js'
import { parseFetchAttendeeResponse, parseFetchListResponse } from './codec.js'
import { createConnector } from './connector.js'
import { buildLaunchExternalUrl, signLaunchExternalUrl, verifyLaunchExternalUrl } from './signature.js'

const example = (name: string) =>
  readFileSync(new URL(`../../../fixtures/concur-examples/${name}`, import.meta.url), 'utf8')
const credentials = { user: 'concur-connector', password: 'correct-horse-battery' }
const auth = { authorization: basicAuthHeader(credentials) }

function connector(onError = vi.fn()) {
  const seen: unknown[] = []
  const app = createConnector({
    credentials,
    onError,
    handlers: {
      fetchAttendee: (req) => {
        seen.push(req)
        return req.LastName === 'Miller'
          ? [{ ExternalID: 'A1', FirstName: 'Chris', LastName: 'Miller', Company: req.Company }]
          : []
      },
      fetchList: (req) => [
        { code: `${req.longCode}-SF`, shortCode: 'SF', text: 'San Francisco', matchValue: 'San Francisco' },
      ],
      notify: (n) => {
        seen.push(n)
        if (n.ObjectURI.includes('boom')) throw new Error('database password=hunter2 at /srv/app.js:12')
      },
      launchExternalUrl: (launch) => `<html><body>${launch.version}</body></html>`,
    },
  })
  return { app, seen, onError }
}

describe('Basic auth', () => {
  it('accepts the right credentials only', () => {
    expect(checkBasicAuth(basicAuthHeader(credentials), credentials)).toBe(true)
    expect(checkBasicAuth(basicAuthHeader({ ...credentials, password: 'wrong' }), credentials)).toBe(false)
    expect(checkBasicAuth(basicAuthHeader({ ...credentials, user: 'other' }), credentials)).toBe(false)
    expect(checkBasicAuth(undefined, credentials)).toBe(false)
    expect(checkBasicAuth('Bearer abc', credentials)).toBe(false)
    expect(checkBasicAuth(`Basic ${Buffer.from('no-colon').toString('base64')}`, credentials)).toBe(false)
  })

  it('answers 401 with WWW-Authenticate when missing or wrong', async () => {
    const { app } = connector()
    const missing = await app.request('/system/v1.0/testconnection')
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toMatch(/^Basic realm="concur-connector"/)
    const wrong = await app.request('/system/v1.0/testconnection', {
      headers: { authorization: basicAuthHeader({ ...credentials, password: 'correct-horse-batterx' }) },
    })
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).not.toContain('correct-horse')
    const ok = await app.request('/system/v1.0/testconnection', { headers: auth })
    expect(ok.status).toBe(200)
  })
})

describe('callouts', () => {
  it('Fetch Attendee v2.0 and v1.0: typed request in, exact XML out', async () => {
    const { app, seen } = connector()
    const body = example('callout-fetch-attendee-request.xml')
    for (const [path, version] of [
      ['/concur/attendee/v2.0/fetch', '2.0'],
      ['/concur/attendee/v1.0/fetch', '1.0'],
    ] as const) {
      const res = await app.request(path, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/xml' },
        body,
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/)
      const xml = await res.text()
      const parsed = parseFetchAttendeeResponse(xml, version)
      expect(parsed.attendees[0]).toMatchObject({ ExternalID: 'A1', Company: 'Len Dev', Custom1: '' })
      expect(xml.includes('<Custom25/>')).toBe(version === '2.0')
    }
    expect(seen[0]).toMatchObject({ version: '2.0', Custom8: 'North America' })
    expect(seen[1]).toMatchObject({ version: '1.0' })
  })

  it('Fetch List and Notify', async () => {
    const { app, seen } = connector()
    const list = await app.request('/concur/list/v1.2/fetch', {
      method: 'POST',
      headers: auth,
      body: example('callout-fetch-list-request-multi-level.xml'),
    })
    expect(parseFetchListResponse(await list.text()).items[0]?.code).toBe('US-W-CA-SF')
    const notify = await app.request('/concur/v1.0/notify', {
      method: 'POST',
      headers: auth,
      body: example('callout-event-notification-request.xml'),
    })
    expect(notify.status).toBe(200)
    expect(seen.at(-1)).toMatchObject({ ObjectType: 'EXPRPT' })
  })

  it('handler error → documented error answer, no internals', async () => {
    const { app, onError } = connector()
    const body = example('callout-event-notification-request.xml').replace(
      'reportfulldetails/',
      'reportfulldetails/boom',
    )
    const res = await app.request('/concur/v1.0/notify', { method: 'POST', headers: auth, body })
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(text).toMatch(
      /<Error>\s*<Message>The connector could not process the request.<\/Message>\s*<Server-Time>[^<]+<\/Server-Time>\s*<Id>[0-9A-F-]{36}<\/Id>/,
    )
    expect(text).not.toMatch(/hunter2|srv|stack/)
    expect(onError).toHaveBeenCalledOnce()
  })

  it('hostile or malformed bodies → 4xx, no crash', async () => {
    const { app } = connector()
    const post = (body: string) => app.request('/concur/v1.0/notify', { method: 'POST', headers: auth, body })
    const bomb = `<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><Notification><EventType>&b;</EventType></Notification>`
    expect((await post(bomb)).status).toBe(400)
    const xxe = `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Notification><EventType>&e;</EventType></Notification>`
    expect((await post(xxe)).status).toBe(400)
    expect((await post(`${'<a>'.repeat(500)}${'</a>'.repeat(500)}`)).status).toBe(400)
    expect((await post(`<Notification>${'x'.repeat(2 * 1024 * 1024)}</Notification>`)).status).toBe(413)
    const broken = await post('<Notification><EventType>x</ObjectType></Notification>')
    expect(broken.status).toBe(400)
    expect(await broken.text()).toContain('EventType')
    expect((await post('')).status).toBe(400)
  })

  it('unserved callout → 404; configurable paths', async () => {
    const app = createConnector({
      credentials,
      handlers: { notify: () => {} },
      paths: { notify: '/hooks/concur' },
    })
    expect(
      (await app.request('/concur/v1.0/notify', { method: 'POST', headers: auth, body: '<x/>' })).status,
    ).toBe(404)
    const res = await app.request('/hooks/concur', {
      method: 'POST',
      headers: auth,
      body: example('callout-event-notification-request.xml'),
    })
    expect(res.status).toBe(200)
  })
})

describe('Launch External URL signatures', () => {
  const v1 = {
    xcompanydomain: 'example.com',
    xuserid: 'cm@example.com',
    itemurl: 'https://x/report/1',
    nonce: 'abc123',
  }
  const v4 = {
    company_domain: 'example.com',
    logged_in_user_id: 'u1',
    report_owner_user_id: 'u2',
    report_owner_employee_id: 'E2',
    item_url: 'https://x/v4/reports/1',
    source: 'ENTRY' as const,
    nonce: 'n-4',
  }

  it('v1 is HMAC-SHA1 and v4 HMAC-SHA256 over fields + user + password + nonce, key lowercase(user)+password', () => {
    const creds = { user: 'Concur-Connector', password: 'Pa55word-Pa55word' }
    const key = 'concur-connector' + creds.password
    const e1 = crypto
      .createHmac('sha1', key)
      .update(`example.comcm@example.comhttps://x/report/1${creds.user}${creds.password}abc123`)
      .digest('base64')
    expect(signLaunchExternalUrl('v1', v1, creds)).toBe(e1)
    const e4 = crypto
      .createHmac('sha256', key)
      .update(`example.comu1u2E2https://x/v4/reports/1${creds.user}${creds.password}n-4`)
      .digest('base64')
    expect(signLaunchExternalUrl('v4', v4, creds)).toBe(e4)
    expect(verifyLaunchExternalUrl('v4', { ...v4, signature: e4 }, creds)).toBe(true)
    expect(verifyLaunchExternalUrl('v4', { ...v4, signature: e1 }, creds)).toBe(false)
    expect(
      verifyLaunchExternalUrl('v1', { ...v1, signature: e1 }, { ...creds, password: 'other-password' }),
    ).toBe(false)
  })

  it('the connector serves a signed launch and refuses a forged one', async () => {
    const { app } = connector()
    for (const [version, path, fields] of [
      ['v1', '/concur/form/v1.0/get', v1],
      ['v4', '/launchexternalurl/v4/form', v4],
    ] as const) {
      const url = new URL(buildLaunchExternalUrl(`https://c.example${path}`, version, fields, credentials))
      const ok = await app.request(`${url.pathname}${url.search}`)
      expect(ok.status).toBe(200)
      expect(await ok.text()).toContain(version)
      url.searchParams.set('xuserid', 'someone-else')
      url.searchParams.set('logged_in_user_id', 'someone-else')
      expect((await app.request(`${url.pathname}${url.search}`)).status).toBe(403)
      expect((await app.request(path)).status).toBe(400)
    }
  })
})
