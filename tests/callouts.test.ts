import { createConnector, type LaunchExternalUrlRequest } from '@concurkit/callout-kit'
import {
  createSelfSignedCertificate,
  type RunningConnector,
  serveConnector,
} from '@concurkit/callout-kit/node'
import type { EventNotification, FetchAttendeeRequest, FetchListRequest } from '@concurkit/contract'
import { createMockConcur, type MockConcur } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const credentials = { user: 'concur-callouts', password: 'correct-horse-battery-staple' }
const seen = {
  attendee: [] as FetchAttendeeRequest[],
  list: [] as FetchListRequest[],
  notify: [] as EventNotification[],
  launch: [] as LaunchExternalUrlRequest[],
}
let notifyFails = false
let tls: { cert: string; key: string }
let good: RunningConnector
let broken: RunningConnector
let mock: MockConcur
let origin: string

const admin = (path: string, init: RequestInit = {}) =>
  mock.fetch(`${origin}/_mock${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  })
const post = (path: string, body: unknown) => admin(path, { method: 'POST', body: JSON.stringify(body) })
const notesOf = () => mock.state.journal.list().map((e) => e.note ?? '')

beforeAll(async () => {
  tls = await createSelfSignedCertificate({ hosts: ['localhost', '127.0.0.1'] })
  good = await serveConnector({
    port: 0,
    tls,
    app: createConnector({
      credentials,
      handlers: {
        fetchAttendee: (req) => {
          seen.attendee.push(req)
          return [
            {
              ExternalID: 'HCP-1',
              FirstName: 'Chris',
              LastName: req.LastName || 'Miller',
              Custom8: 'North America',
            },
          ]
        },
        fetchList: async (req) => {
          seen.list.push(req)
          if (req.query === 'slow*') await new Promise((r) => setTimeout(r, 1500))
          return [
            {
              code: req.longCode ? `${req.longCode}-SF` : 'SF',
              shortCode: 'SF',
              text: 'San Francisco',
              matchValue: 'San Francisco',
            },
          ]
        },
        notify: (n) => {
          seen.notify.push(n)
          if (notifyFails) throw new Error('downstream unavailable')
        },
        launchExternalUrl: (launch) => {
          seen.launch.push(launch)
          return `<html><body>${launch.version}</body></html>`
        },
      },
    }),
  })
  const bad = createConnector({ credentials, handlers: {} })
  bad.post('/concur/list/v1.2/fetch', (c) =>
    c.body(
      '<fetch-list-response><item><code>SF</code><short-code>SF</shortcode></item></fetch-list-response>',
      200,
      {
        'content-type': 'application/xml',
      },
    ),
  )
  broken = await serveConnector({ port: 0, tls, app: bad })
  mock = createMockConcur({ size: 5 })
  origin = mock.state.baseUrl(mock.state.options.datacenters[0]!)
})
afterAll(async () => {
  mock?.state.reset()
  await good?.close()
  await broken?.close()
})

const registration = (over: Record<string, unknown> = {}) => ({
  name: 'HR connector',
  url: good.url,
  ...credentials,
  ca: tls.cert,
  callouts: {
    fetchAttendee: '/concur/attendee/v2.0/fetch',
    fetchList: '/concur/list/v1.2/fetch',
    notify: '/concur/v1.0/notify',
    launchExternalUrl: '/launchexternalurl/v4/form',
  },
  ...over,
})

async function register(over: Record<string, unknown> = {}): Promise<string> {
  const res = await post('/connectors', registration(over))
  const body = (await res.json()) as { connector: { id: string; verified: boolean } }
  expect(res.status).toBe(201)
  expect(body.connector.verified).toBe(true)
  return body.connector.id
}

async function token(userIndex: number): Promise<string> {
  const company = mock.state.companies[0]!
  const app = company.apps[0]!
  const user = company.users[userIndex]!
  const res = await mock.fetch(`${mock.state.baseUrl(company.datacenter)}/oauth2/v0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'password',
      username: user.loginId,
      password: user.password,
    }).toString(),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { access_token: string }).access_token
}

describe('callouts both ways: callout-kit connector ↔ mock Concur over HTTPS', () => {
  it('registers a connector after a passing connection test; never shows the password', async () => {
    const id = await register()
    expect(notesOf()).toContain(`callout testConnection connector=${id}: valid`)
    const list = await (await admin('/connectors')).text()
    expect(list).toContain(id)
    expect(list).not.toContain(credentials.password)
    expect(JSON.stringify(mock.state.journal.list())).not.toContain(credentials.password)
  })

  it('refuses a connector whose connection test fails (wrong password, untrusted TLS)', async () => {
    const wrong = await post('/connectors', registration({ password: 'wrong-password-123' }))
    expect(wrong.status).toBe(422)
    const body = (await wrong.json()) as { error: string }
    expect(body.error).toMatch(/refused the credentials \(HTTP 401\)/)
    expect(JSON.stringify(body)).not.toContain('wrong-password-123')
    const untrusted = await post('/connectors', registration({ ca: undefined }))
    expect(untrusted.status).toBe(422)
    expect(((await untrusted.json()) as { error: string }).error).toMatch(/certificate/i)
  })

  it('enforces Concur’s credential rules (10..50 characters) and HTTPS', async () => {
    expect((await post('/connectors', registration({ user: 'short' }))).status).toBe(400)
    expect((await post('/connectors', registration({ password: 'x'.repeat(51) }))).status).toBe(400)
    expect((await post('/connectors', registration({ url: good.url.replace('https', 'http') }))).status).toBe(
      400,
    )
  })

  it('each trigger reaches the handler and the validated answer lands in the journal', async () => {
    const id = await register()
    const attendee = await post(`/connectors/${id}/trigger/fetch-attendee`, {
      LastName: 'Miller',
      Company: 'Len Dev',
    })
    const a = (await attendee.json()) as {
      result: { outcome: string; value: { attendees: { ExternalID: string }[] } }
    }
    expect(a.result.outcome).toBe('ok')
    expect(a.result.value.attendees[0]?.ExternalID).toBe('HCP-1')
    expect(seen.attendee.at(-1)).toMatchObject({ version: '2.0', LastName: 'Miller', Company: 'Len Dev' })

    const list = await post(`/connectors/${id}/trigger/fetch-list`, {
      longCode: 'US-W-CA',
      shortCode: 'CA',
      query: 'San*',
      codeByLevel: ['US', 'W', 'CA'],
    })
    expect(((await list.json()) as { result: { outcome: string } }).result.outcome).toBe('ok')
    expect(seen.list.at(-1)).toMatchObject({ query: 'San*', codeByLevel: ['US', 'W', 'CA'] })

    const notify = await post(`/connectors/${id}/trigger/notify`, { reportId: 'REPORT-1' })
    const n = (await notify.json()) as { deliveries: { status: string }[] }
    expect(n.deliveries.map((d) => d.status)).toEqual(['DELIVERED'])
    expect(seen.notify.at(-1)?.ObjectURI).toMatch(/reportfulldetails\/REPORT-1$/)

    // Concur launches Launch External URL v4 only (v1 was decommissioned on 2026-06-23).
    const launch = await post(`/connectors/${id}/trigger/launch-external-url`, { source: 'ENTRY' })
    expect(((await launch.json()) as { result: { outcome: string } }).result.outcome).toBe('ok')
    expect(seen.launch.at(-1)).toMatchObject({ version: 'v4', query: { source: 'ENTRY' } })
    const v1 = await post(`/connectors/${id}/trigger/launch-external-url`, { version: 'v1' })
    expect(v1.status).toBe(410)
    expect(((await v1.json()) as { error: string }).error).toMatch(/decommissioned on 2026-06-23/)

    const notes = notesOf()
    for (const callout of ['fetchAttendee', 'fetchList', 'notify', 'launchExternalUrl'])
      expect(notes).toContain(`callout ${callout} connector=${id}: valid`)
    const launchEntry = mock.state.journal
      .list()
      .find((e) => e.note?.startsWith(`callout launchExternalUrl connector=${id}`))
    expect(launchEntry).toMatchObject({ path: '/launchexternalurl/v4/form', status: 200 })
  })

  it('reports a malformed answer with the element at fault', async () => {
    const res = await post(
      '/connectors',
      registration({ url: broken.url, callouts: { fetchList: '/concur/list/v1.2/fetch' } }),
    )
    const { connector } = (await res.json()) as { connector: { id: string } }
    const list = await post(`/connectors/${connector.id}/trigger/fetch-list`, { query: 'San*' })
    const { result } = (await list.json()) as {
      result: { outcome: string; element: string; problem: string }
    }
    expect(result.outcome).toBe('invalid')
    expect(result.element).toBe('short-code')
    expect(result.problem).toMatch(/short-code/)
    expect(
      notesOf().some((n) =>
        n.startsWith(`callout fetchList connector=${connector.id}: invalid at short-code`),
      ),
    ).toBe(true)
  })

  it('a failed notification stays FAILED, is listed for admins, re-delivered on trigger, deletable', async () => {
    const id = await register({ callouts: { notify: '/concur/v1.0/notify' } })
    notifyFails = true
    const first = (await (await post(`/connectors/${id}/trigger/notify`, { reportId: 'R-1' })).json()) as {
      deliveries: { status: string; notificationId: string; result: { status: number } }[]
    }
    expect(first.deliveries).toMatchObject([{ status: 'FAILED', result: { status: 500 } }])
    const failedId = first.deliveries[0]!.notificationId
    const company = mock.state.companies[0]!
    const base = mock.state.baseUrl(company.datacenter)
    const adminToken = await token(0)
    const xml = await mock.fetch(`${base}/api/platform/notifications/v1.0/notification?status=FAILED`, {
      headers: { authorization: `Bearer ${adminToken}` },
    })
    expect(xml.status).toBe(200)
    const text = await xml.text()
    expect(text).toContain(
      '<NotificationList xmlns="http://www.concursolutions.com/api/notification/2012/06"',
    )
    expect(text).toContain(`/api/platform/notifications/v1.0/notification/${failedId}</NotificationURI>`)
    const forbidden = await mock.fetch(`${base}/api/platform/notifications/v1.0/notification?status=FAILED`, {
      headers: { authorization: `Bearer ${await token(2)}` },
    })
    expect(forbidden.status).toBe(403)

    notifyFails = false
    const second = (await (await post(`/connectors/${id}/trigger/notify`, { reportId: 'R-2' })).json()) as {
      deliveries: { status: string; redelivery: boolean; notificationId: string }[]
    }
    expect(second.deliveries).toMatchObject([
      { status: 'DELIVERED', redelivery: true, notificationId: failedId },
      { status: 'DELIVERED', redelivery: false },
    ])
    const json = await mock.fetch(`${base}/api/platform/notifications/v1.0/notification?status=FAILED`, {
      headers: { authorization: `Bearer ${adminToken}`, accept: 'application/json' },
    })
    expect(await json.json()).toEqual([])

    notifyFails = true
    const third = (await (await post(`/connectors/${id}/trigger/notify`, {})).json()) as {
      deliveries: { notificationId: string }[]
    }
    notifyFails = false
    const del = await mock.fetch(
      `${base}/api/platform/notifications/v1.0/notification/${third.deliveries[0]!.notificationId}`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${adminToken}` },
      },
    )
    expect(del.status).toBe(200)
    const again = await mock.fetch(
      `${base}/api/platform/notifications/v1.0/notification/${third.deliveries[0]!.notificationId}`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${adminToken}` },
      },
    )
    expect(again.status).toBe(400)
  })

  it('times out a slow connector and does not retry a fetch callout', async () => {
    const id = await register({ timeoutMs: 300, callouts: { fetchList: '/concur/list/v1.2/fetch' } })
    const before = seen.list.length
    const res = await post(`/connectors/${id}/trigger/fetch-list`, { query: 'slow*' })
    const { result } = (await res.json()) as { result: { outcome: string; durationMs: number } }
    expect(result.outcome).toBe('timeout')
    expect(result.durationMs).toBeLessThan(1400)
    expect(seen.list.length - before).toBe(1)
    expect(notesOf()).toContain(`callout fetchList connector=${id}: timeout: no answer within the timeout`)
  })

  it('deletes a connector', async () => {
    const id = await register()
    expect((await admin(`/connectors/${id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await admin(`/connectors/${id}`)).status).toBe(404)
    expect((await post(`/connectors/${id}/trigger/notify`, {})).status).toBe(404)
  })
})

describe('report workflow over the mock’s write API fires the Event Notification callout', () => {
  it('submitting a report reaches the notify handler; only its approver (or an admin) may approve', async () => {
    const id = await register({ callouts: { notify: '/concur/v1.0/notify' } })
    const company = mock.state.companies[0]!
    const base = mock.state.baseUrl(company.datacenter)
    const adminToken = await token(0)
    const list = await mock.fetch(`${base}/api/v3.0/expense/reports?user=ALL&approvalStatusCode=A_NOTF`, {
      headers: { authorization: `Bearer ${adminToken}` },
    })
    const { Items } = (await list.json()) as { Items: { ID: string }[] }
    const reportId = Items[0]!.ID
    const before = seen.notify.length
    const submit = await post('/dataset/expense-reports', { action: 'submit', id: reportId })
    expect(submit.status).toBe(200)
    const submitted = (await submit.json()) as {
      record: { ApprovalStatusCode: string; ApproverLoginID: string; OwnerLoginID: string }
      deliveries: { status: string }[]
    }
    expect(submitted.record.ApprovalStatusCode).toBe('A_PEND')
    expect(submitted.deliveries.length).toBeGreaterThan(0)
    expect(submitted.deliveries.every((d) => d.status === 'DELIVERED')).toBe(true)
    const objectUri = `${base}/api/expense/expensereport/v1.1/reportfulldetails/${reportId}`
    expect(seen.notify.slice(before)).toContainEqual(
      expect.objectContaining({
        EventType: 'Report Entered Expense Report Workflow Step - SUBMIT',
        ObjectType: 'EXPRPT',
        ObjectURI: objectUri,
      }),
    )
    expect(notesOf()).toContain(`callout notify connector=${id}: valid`)

    const userIndex = (login: string) => company.users.findIndex((u) => u.loginId === login)
    const approver = userIndex(submitted.record.ApproverLoginID)
    const owner = userIndex(submitted.record.OwnerLoginID)
    const outsider = [2, 3, 4].find((u) => u !== owner && u !== approver)!
    const action = (bearer: string) =>
      mock.fetch(`${base}/api/expense/expensereport/v1.1/report/${reportId}/WorkFlowAction`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/xml' },
        body: '<WorkflowAction xmlns="http://www.concursolutions.com/api/expense/expensereport/2011/03"><Action>Approve</Action><Comment>ok</Comment></WorkflowAction>',
      })
    const forbidden = await action(await token(outsider))
    expect(forbidden.status).toBe(403)
    expect(await forbidden.text()).toMatch(/<Error><Message>Forbidden Request: [^<]+<\/Message><Server-Time>/)

    const approvedBefore = seen.notify.length
    expect(approver).toBeGreaterThanOrEqual(0)
    const approved = await action(await token(approver))
    expect(approved.status).toBe(200)
    expect(await approved.text()).toContain('<Status>SUCCESS</Status>')
    expect(seen.notify.slice(approvedBefore)).toContainEqual(
      expect.objectContaining({
        EventType: 'Report Entered Expense Report Workflow Step - APPROVE',
        ObjectURI: objectUri,
      }),
    )
    const v3 = await mock.fetch(`${base}/api/v3.0/expense/reports/${reportId}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    })
    expect(((await v3.json()) as { ApprovalStatusCode: string }).ApprovalStatusCode).toBe('A_APPR')
  })
})
