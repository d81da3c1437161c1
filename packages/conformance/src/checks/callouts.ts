import { createConnector, type LaunchExternalUrlRequest, testConnector } from '@concurkit/callout-kit'
import type { EventNotification, FetchAttendeeRequest, FetchListRequest } from '@concurkit/contract'
import type { TargetContext } from '../context.js'
import { expectWebServiceError } from '../oauth.js'
import { type CheckDefinition, expect, fail, pass } from '../types.js'
import type { WireResponse } from '../wire.js'

const G = 'callouts'
const PATHS = {
  fetchAttendee: '/concur/attendee/v2.0/fetch',
  fetchList: '/concur/list/v1.2/fetch',
  notify: '/concur/v1.0/notify',
  launchExternalUrl: '/launchexternalurl/v4/form',
} as const

/** The bundled connector: a callout-kit app over HTTPS (self-signed CA) that records what it got. */
interface BundledConnector {
  readonly url: string
  readonly ca: string
  readonly user: string
  readonly password: string
  readonly seen: {
    attendee: FetchAttendeeRequest[]
    list: FetchListRequest[]
    notify: EventNotification[]
    launch: LaunchExternalUrlRequest[]
  }
  /** While set, the notify handler fails (HTTP 500), so Concur keeps the notification FAILED. */
  failNotify: boolean
}

function bundledConnector(t: TargetContext): Promise<BundledConnector> {
  return t.memo('callouts:connector', async () => {
    const { createSelfSignedCertificate, serveConnector } = await import('@concurkit/callout-kit/node')
    const { randomBytes } = await import('node:crypto')
    const user = 'concurkit-conformance'
    const password = randomBytes(18).toString('base64url')
    t.io.redactor.add(password)
    const tls = await createSelfSignedCertificate({ hosts: ['127.0.0.1', 'localhost'] })
    const state: BundledConnector = {
      url: '',
      ca: tls.cert,
      user,
      password,
      seen: { attendee: [], list: [], notify: [], launch: [] },
      failNotify: false,
    }
    const app = createConnector({
      credentials: { user, password },
      handlers: {
        fetchAttendee: (req) => {
          state.seen.attendee.push(req)
          return [{ ExternalID: 'CONF-1', FirstName: 'Chris', LastName: req.LastName || 'Miller' }]
        },
        fetchList: (req) => {
          state.seen.list.push(req)
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
          state.seen.notify.push(n)
          if (state.failNotify) throw new Error('downstream unavailable')
        },
        launchExternalUrl: (launch) => {
          state.seen.launch.push(launch)
          return `<html><body>${launch.version}</body></html>`
        },
      },
    })
    const server = await serveConnector({ app, tls, port: 0 })
    t.onClose(() => server.close())
    return Object.assign(state, { url: server.url })
  })
}

/** A raw admin call (the answer is judged, not thrown on). */
function adminRequest(t: TargetContext, method: string, path: string, json?: unknown): Promise<WireResponse> {
  const fixtures = t.fixtures
  if (!fixtures) fail('the admin API exists on the built-in mock only')
  return t.wire.request({
    method,
    url: `${fixtures.admin}${path}`,
    headers: fixtures.adminKey ? { 'x-mock-admin-key': fixtures.adminKey } : {},
    ...(json === undefined ? {} : { json }),
  })
}

interface Registration {
  readonly id: string
  readonly verified: boolean
  readonly test: { outcome?: string; status?: number }
}

/** Registers the bundled connector with Concur (the mock's `/_mock/connectors`), once per run. */
function registered(t: TargetContext): Promise<Registration> {
  return t.memo('callouts:registered', async () => {
    const c = await bundledConnector(t)
    const res = await adminRequest(t, 'POST', '/_mock/connectors', {
      name: 'concurkit conformance connector',
      url: c.url,
      user: c.user,
      password: c.password,
      ca: c.ca,
      callouts: PATHS,
    })
    expect(res.status === 201, `registration answered ${res.status}: ${res.text.slice(0, 160)}`)
    const body = res.json() as {
      connector?: { id?: string; verified?: boolean }
      test?: { outcome?: string; status?: number }
    }
    expect(body.connector?.id, 'the registration answer has no connector id')
    return { id: body.connector.id, verified: body.connector.verified === true, test: body.test ?? {} }
  })
}

async function trigger(t: TargetContext, callout: string, body: unknown): Promise<Record<string, unknown>> {
  const { id } = await registered(t)
  const res = await adminRequest(t, 'POST', `/_mock/connectors/${id}/trigger/${callout}`, body)
  expect(res.status === 200, `trigger ${callout} answered ${res.status}: ${res.text.slice(0, 160)}`)
  return res.json() as Record<string, unknown>
}

function expectOk(body: Record<string, unknown>, what: string): void {
  const result = body.result as { outcome?: string; problem?: string; status?: number } | undefined
  expect(result, `${what}: no result`)
  expect(
    result.outcome === 'ok',
    `${what}: ${result.outcome} (HTTP ${result.status ?? '-'}) ${result.problem ?? ''}`.trim(),
  )
}

/** Callouts (D): registration, connection test, each callout, failed notifications, wrong password. */
export function calloutChecks(): CheckDefinition[] {
  const base = {
    group: G,
    requires: ['admin', 'writes'] as const,
    unavailable:
      'Concur calls callout connectors from its own network; the mock plays Concur against a connector it registers',
  }
  return [
    {
      ...base,
      id: 'callouts.registration',
      title:
        'a connector registered over HTTPS (self-signed CA) becomes Verified; its password is never shown',
      reference: 'D.1, D.2',
      async run(t) {
        const c = await bundledConnector(t)
        const reg = await registered(t)
        expect(reg.verified, 'the connector was registered but not Verified')
        const listed = await adminRequest(t, 'GET', '/_mock/connectors')
        expect(listed.status === 200, `GET /_mock/connectors answered ${listed.status}`)
        expect(listed.text.includes(reg.id), 'the connector is not listed')
        expect(!listed.text.includes(c.password), 'the connector list shows the password')
        return pass(`connector ${reg.id} Verified at ${new URL(c.url).origin}`)
      },
    },
    {
      ...base,
      id: 'callouts.connection-test',
      title: 'Test Connection is GET /system/v1.0/testconnection with Basic auth, answered 2xx',
      reference: 'D.1',
      async run(t) {
        const reg = await registered(t)
        expect(reg.test.outcome === 'ok', `the connection test was ${reg.test.outcome ?? 'not reported'}`)
        const journal = (await t.admin('GET', '/_mock/journal?limit=10000')) as {
          entries?: { method: string; path: string; status: number; note?: string }[]
        }
        const entry = journal.entries?.find(
          (e) => e.note?.startsWith(`callout testConnection connector=${reg.id}`) ?? false,
        )
        expect(entry, 'the journal has no connection test for the connector')
        expect(
          entry.method === 'GET' && entry.path === '/system/v1.0/testconnection',
          `the connection test was ${entry.method} ${entry.path}`,
        )
        expect(entry.status >= 200 && entry.status < 300, `the connector answered ${entry.status}`)
        return pass(`GET /system/v1.0/testconnection → ${entry.status}`)
      },
    },
    {
      ...base,
      id: 'callouts.wrong-password',
      title: 'a registration whose password the connector refuses fails its connection test',
      reference: 'D.1, D.2',
      async run(t) {
        const c = await bundledConnector(t)
        const wrong = `${c.password.slice(0, 10)}-wrong-password`
        t.io.redactor.add(wrong)
        const res = await adminRequest(t, 'POST', '/_mock/connectors', {
          name: 'wrong password',
          url: c.url,
          user: c.user,
          password: wrong,
          ca: c.ca,
          callouts: { fetchList: PATHS.fetchList },
        })
        expect(res.status === 422, `registration with a wrong password answered ${res.status}, not 422`)
        const body = res.json() as { error?: string; test?: { status?: number } }
        expect(body.test?.status === 401, `the connector answered ${body.test?.status}, not 401`)
        expect(!res.text.includes(wrong), 'the refusal echoes the password')
        return pass('422: the connector refused the credentials with 401')
      },
    },
    {
      ...base,
      id: 'callouts.fetch-attendee',
      title: 'Fetch Attendee reaches the connector and its answer validates',
      reference: 'D.3',
      async run(t) {
        const c = await bundledConnector(t)
        // a marker of its own: other checks call the same connector concurrently
        const body = await trigger(t, 'fetch-attendee', { LastName: 'Conformance', Company: 'Check 1' })
        expectOk(body, 'fetch attendee')
        const got = c.seen.attendee.find((a) => a.LastName === 'Conformance' && a.Company === 'Check 1')
        expect(got, 'the connector did not receive the search (LastName, Company)')
        const attendees = (body.result as { value?: { attendees?: { ExternalID?: string }[] } }).value
          ?.attendees
        expect(attendees?.[0]?.ExternalID === 'CONF-1', 'the answer did not reach Concur')
        return pass(`POST ${PATHS.fetchAttendee} v${got.version}: 1 attendee`)
      },
    },
    {
      ...base,
      id: 'callouts.fetch-list',
      title: 'Fetch List reaches the connector and its answer validates',
      reference: 'D.4',
      async run(t) {
        const c = await bundledConnector(t)
        const body = await trigger(t, 'fetch-list', {
          longCode: 'US-W-CA',
          shortCode: 'CA',
          query: 'Conformance*',
          codeByLevel: ['US', 'W', 'CA'],
        })
        expectOk(body, 'fetch list')
        expect(
          c.seen.list.some((l) => l.query === 'Conformance*' && l.longCode === 'US-W-CA'),
          'the connector did not receive the query',
        )
        return pass(`POST ${PATHS.fetchList}: item US-W-CA-SF`)
      },
    },
    {
      ...base,
      id: 'callouts.notify',
      title: 'an event notification is delivered and acknowledged with 200',
      reference: 'D.5',
      async run(t) {
        const c = await bundledConnector(t)
        const body = (await trigger(t, 'notify', { reportId: 'CONFORMANCE-1' })) as {
          deliveries?: { status: string }[]
        }
        const statuses = (body.deliveries ?? []).map((d) => d.status)
        expect(statuses.includes('DELIVERED'), `deliveries: ${statuses.join(', ') || 'none'}`)
        const n = c.seen.notify.find((x) => x.ObjectURI.endsWith('/CONFORMANCE-1'))
        expect(n, 'the connector did not receive the notification')
        return pass(`${n.EventType} (${n.ObjectType}) DELIVERED`)
      },
    },
    {
      ...base,
      id: 'callouts.notify.failed',
      title: 'a notification not acknowledged stays FAILED, is listed for admins and re-delivered',
      reference: 'D.5',
      exclusive: true,
      async run(t) {
        const c = await bundledConnector(t)
        c.failNotify = true
        let failedId: string
        try {
          const first = (await trigger(t, 'notify', { reportId: 'CONFORMANCE-FAIL' })) as {
            deliveries?: { status: string; notificationId: string }[]
          }
          const failed = first.deliveries?.find((d) => d.status === 'FAILED')
          expect(failed, 'a notification answered with 500 was not kept FAILED')
          failedId = failed.notificationId
        } finally {
          c.failNotify = false
        }
        const s = await t.session()
        const list = await t.wire.request({
          url: `${s.geolocation}/api/platform/notifications/v1.0/notification?status=FAILED`,
          token: s.accessToken,
          accept: 'application/xml',
        })
        expect(list.status === 200, `the failed-notification list answered ${list.status}`)
        expect(list.text.includes(failedId), 'the FAILED notification is not listed')
        const again = (await trigger(t, 'notify', { reportId: 'CONFORMANCE-2' })) as {
          deliveries?: { status: string; notificationId: string; redelivery: boolean }[]
        }
        const redelivered = again.deliveries?.find((d) => d.notificationId === failedId)
        expect(
          redelivered?.redelivery && redelivered.status === 'DELIVERED',
          'the FAILED notification was not re-delivered first',
        )
        const after = await t.wire.request({
          url: `${s.geolocation}/api/platform/notifications/v1.0/notification?status=FAILED`,
          token: s.accessToken,
          accept: 'application/xml',
        })
        expect(!after.text.includes(failedId), 'the re-delivered notification is still listed FAILED')
        return pass('FAILED, listed, re-delivered first, then gone from the list')
      },
    },
    {
      ...base,
      id: 'callouts.launch-external-url',
      title:
        'Launch External URL v4 reaches the connector with a valid signature; v1 answers as decommissioned',
      reference: 'D.6',
      async run(t) {
        const c = await bundledConnector(t)
        const itemUrl = `${t.baseUrl}/expensereports/v4/reports/CONFORMANCE-LAUNCH`
        expectOk(
          await trigger(t, 'launch-external-url', { source: 'ENTRY', item_url: itemUrl }),
          'launch external URL v4',
        )
        expect(
          c.seen.launch.some(
            (l) => l.version === 'v4' && l.query.item_url === itemUrl && l.query.source === 'ENTRY',
          ),
          'the connector did not serve the v4 launch',
        )
        // Launch External URL v1 was decommissioned on 2026-06-23: Concur no longer launches it.
        const { id } = await registered(t)
        const v1 = await adminRequest(t, 'POST', `/_mock/connectors/${id}/trigger/launch-external-url`, {
          version: 'v1',
        })
        expect(v1.status === 410, `a v1 launch answered ${v1.status}, not 410 Gone`)
        expect(
          !c.seen.launch.some((l) => l.version === 'v1'),
          'the mock sent a decommissioned v1 launch to the connector',
        )
        return pass('v4 (HMAC-SHA256) verified by the connector; v1 answered 410 (decommissioned)')
      },
    },
    {
      ...base,
      id: 'callouts.notifications.forbidden',
      title: 'the failed-notification API refuses a user without an administrator role (403)',
      reference: 'D.5',
      requires: ['fixtures'],
      unavailable:
        "it needs the password of a user without an administrator role besides the credentials' user",
      async run(t) {
        const c = t.fixtures?.companies[0]
        const u = c?.users[2]
        const a = c?.apps[0]
        if (!c || !u || !a) fail('the mock has no expense user 2')
        const { tokenRequest, expectTokenResponse } = await import('../oauth.js')
        const s = expectTokenResponse(
          await tokenRequest(t, c.baseUrl, {
            grant_type: 'password',
            client_id: a.clientId,
            client_secret: a.clientSecret,
            username: u.loginId,
            password: u.password,
          }),
          'password grant (expense user)',
          t,
        )
        const res = await t.wire.request({
          url: `${s.geolocation}/api/platform/notifications/v1.0/notification?status=FAILED`,
          token: s.accessToken,
          accept: 'application/json',
        })
        expectWebServiceError(res, 403, 'an expense user listing failed notifications')
        return pass('403 for an expense user')
      },
    },
    {
      ...base,
      id: 'callouts.kit.test-connector',
      title: "callout-kit's testConnector plays every callout against the bundled connector",
      reference: 'D',
      async run(t) {
        const c = await bundledConnector(t)
        const report = await testConnector({
          url: c.url,
          user: c.user,
          password: c.password,
          ca: c.ca,
          require: ['fetchAttendee', 'fetchList', 'notify', 'launchExternalUrl'],
        })
        const failed = report.checks.filter((x) => x.status === 'fail')
        expect(
          report.ok && failed.length === 0,
          `${failed.length} failed: ${failed.map((x) => `${x.id} ${x.message ?? ''}`).join('; ')}`,
        )
        return pass(`${report.passed} passed, ${report.skipped} skipped`)
      },
    },
  ]
}
