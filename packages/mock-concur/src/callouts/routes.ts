import { createCalloutCaller } from '@concurkit/callout-kit'
import { attendeeVersionOf, buildXml } from '@concurkit/callout-kit/internal'
import {
  ConnectorRegistration,
  type ConnectorView,
  EventNotification,
  type FailedNotification,
  FetchAttendeeRequest,
  FetchListRequest,
  NOTIFICATION_LIST_NAMESPACE,
} from '@concurkit/contract'
import { FAILED_NOTIFICATION_ELEMENTS, fetchAttendeeRequestElements } from '@concurkit/contract/internal'
import { type Context, Hono } from 'hono'
import type { z } from 'zod'
import type { DcContext, MockEnv } from '../context.js'
import { ConcurHttpError } from '../http/errors.js'
import { requestHeader } from '../http/headers.js'
import { requireToken } from '../oauth/guard.js'
import { connectorStore, deliverNotification, journalCallout, reportFullDetailsUrl } from './deliver.js'
import type { ConnectorRecord, FailedNotificationRecord } from './store.js'

const NOTIFICATIONS_PATH = '/api/platform/notifications/v1.0/notification'

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text()
  if (text.trim() === '') return {}
  try {
    const value = JSON.parse(text) as unknown
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>
  } catch {
    // fall through
  }
  throw new ConcurHttpError(400, 'body must be a JSON object')
}

function check<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  throw new ConcurHttpError(400, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`)
}

/**
 * The connector registry ("Manage Application Connectors") and the triggers that make the mock
 * call a connector as Concur would. Mounted at `/_mock`.
 */
export function calloutRoutes(ctx: DcContext): Hono<MockEnv> {
  const { state, datacenter } = ctx
  const app = new Hono<MockEnv>()
  const store = () => connectorStore(state)
  const find = (id: string): ConnectorRecord => {
    const record = store().connectors.get(id)
    if (!record) throw new ConcurHttpError(404, `no connector ${id}`)
    return record
  }
  const pathOf = (record: ConnectorRecord, callout: keyof ConnectorView['callouts']): string => {
    const path = record.view.callouts[callout]
    if (!path)
      throw new ConcurHttpError(409, `connector ${record.view.id} has no ${callout} callout configured`)
    return path
  }

  app.post('/connectors', async (c) => {
    const body = check(ConnectorRegistration, await jsonBody(c))
    const company = body.company
      ? state.company(body.company)
      : state.companies.find((co) => co.datacenter === datacenter)
    if (!company)
      throw new ConcurHttpError(
        400,
        body.company ? `unknown company ${body.company}` : 'no company in this datacenter',
      )
    const timeoutMs = body.timeoutMs ?? 10_000
    const caller = createCalloutCaller({
      url: body.url,
      user: body.user,
      password: body.password,
      ...(body.ca ? { ca: body.ca } : {}),
      timeoutMs,
    })
    const n = store().nextConnectorId()
    const view: ConnectorView = {
      id: `connector-${n}`,
      name: body.name,
      ...(body.description ? { description: body.description } : {}),
      url: body.url.replace(/\/+$/, ''),
      user: body.user,
      callouts: body.callouts,
      company: company.id,
      verified: false,
      createdAt: new Date(state.clock.now()).toISOString(),
      timeoutMs,
    }
    const test = await caller.testConnection()
    journalCallout(state, datacenter, { view, caller }, 'GET', test)
    if (test.outcome !== 'ok') {
      await caller.close()
      return c.json(
        {
          error: `connection test failed: GET ${test.path} → ${test.problem ?? test.outcome}`,
          test,
        },
        422,
      )
    }
    const record: ConnectorRecord = { view: { ...view, verified: true }, caller }
    store().connectors.set(record.view.id, record)
    return c.json({ connector: record.view, test }, 201)
  })

  app.get('/connectors', (c) => c.json({ connectors: [...store().connectors.values()].map((r) => r.view) }))
  app.get('/connectors/:id', (c) => c.json(find(c.req.param('id')).view))
  app.delete('/connectors/:id', (c) => {
    if (!store().remove(c.req.param('id')))
      throw new ConcurHttpError(404, `no connector ${c.req.param('id')}`)
    for (const [id, f] of store().failed) if (f.connectorId === c.req.param('id')) store().failed.delete(id)
    return c.body(null, 204)
  })

  app.post('/connectors/:id/trigger/fetch-attendee', async (c) => {
    const record = find(c.req.param('id'))
    const path = pathOf(record, 'fetchAttendee')
    const version = attendeeVersionOf(path)
    // Every element of the request (the contract's names and order) blank unless the caller set it.
    const blanks = Object.fromEntries(
      fetchAttendeeRequestElements(version)
        .filter((k) => k !== 'MaximumNumberRecords')
        .map((k) => [k, '']),
    )
    const request = check(FetchAttendeeRequest, {
      ...blanks,
      MaximumNumberRecords: 100,
      ...(await jsonBody(c)),
      version,
    })
    const result = await record.caller.fetchAttendee(request, path)
    journalCallout(state, datacenter, record, 'POST', result)
    return c.json({ result })
  })

  app.post('/connectors/:id/trigger/fetch-list', async (c) => {
    const record = find(c.req.param('id'))
    const path = pathOf(record, 'fetchList')
    const request = check(FetchListRequest, {
      longCode: '',
      shortCode: '',
      query: '*',
      searchBy: 'TEXT',
      langCode: 'EN',
      numToReturn: 100,
      protectedListKey: '',
      listName: '',
      connectorVersion: '',
      configOptions: '',
      ...(await jsonBody(c)),
    })
    const result = await record.caller.fetchList(request, path)
    journalCallout(state, datacenter, record, 'POST', result)
    return c.json({ result })
  })

  app.post('/connectors/:id/trigger/notify', async (c) => {
    const record = find(c.req.param('id'))
    pathOf(record, 'notify')
    const { reportId, ...fields } = await jsonBody(c)
    const base = state.baseUrl(datacenter)
    const notification = check(EventNotification, {
      EventType: 'Report Entered Expense Report Workflow Step - SUBMIT',
      ObjectType: 'EXPRPT',
      ObjectURI: reportFullDetailsUrl(base, String(reportId ?? 'MOCKREPORT')),
      EventDateTime: new Date(state.clock.now()).toISOString().slice(0, 10),
      Context: '',
      ...fields,
    })
    const deliveries = await deliverNotification(state, datacenter, record, notification)
    return c.json({ deliveries })
  })

  app.post('/connectors/:id/trigger/launch-external-url', async (c) => {
    const record = find(c.req.param('id'))
    const path = pathOf(record, 'launchExternalUrl')
    const { version: asked, ...fields } = await jsonBody(c)
    // Launch External URL v1 was decommissioned on 2026-06-23 (RN/2026-07-01): Concur launches v4 only.
    if (asked === 'v1')
      throw new ConcurHttpError(
        410,
        'Launch External URL v1 was decommissioned on 2026-06-23; Concur launches Launch External URL v4 (HMAC-SHA256)',
      )
    if (asked !== undefined && asked !== 'v4')
      throw new ConcurHttpError(400, "version must be 'v4' (Launch External URL v1 is decommissioned)")
    const company = state.company(record.view.company)
    const login = company?.users[0]?.loginId ?? ''
    const base = state.baseUrl(datacenter)
    const str = (v: unknown, d: string) => (typeof v === 'string' ? v : d)
    const result = await record.caller.launchExternalUrl(
      'v4',
      {
        company_domain: str(fields.company_domain, company?.domain ?? ''),
        logged_in_user_id: str(fields.logged_in_user_id, login),
        report_owner_user_id: str(fields.report_owner_user_id, login),
        report_owner_employee_id: str(fields.report_owner_employee_id, company?.users[0]?.employeeId ?? ''),
        item_url: str(fields.item_url, `${base}/expensereports/v4/reports/MOCKREPORT`),
        source: fields.source === 'ENTRY' || fields.source === 'ALLOCATION' ? fields.source : 'HEADER',
      },
      { path },
    )
    journalCallout(state, datacenter, record, 'GET', result)
    return c.json({ result })
  })

  return app
}

function failedView(state: DcContext['state'], f: FailedNotificationRecord): FailedNotification {
  return {
    Context: f.notification.Context === '' ? null : f.notification.Context,
    EventDateTime: f.createdAt,
    EventType: f.notification.EventType,
    NotificationURI: `${state.baseUrl(f.datacenter as never)}${NOTIFICATIONS_PATH}/${f.id}`,
    ObjectType: f.notification.ObjectType,
    ObjectURI: f.notification.ObjectURI,
  }
}

/**
 * Concur's failed-notification API (OAuth, administrators): `GET …/notification?status=FAILED`
 * (XML by default, JSON with `Accept: application/json`) and `DELETE …/notification/{id}`.
 * Mounted at `/`.
 */
export function notificationRoutes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()
  const admin = (c: Context<MockEnv>) => {
    const principal = c.get('principal')
    if (!principal.isAdmin) throw new ConcurHttpError(403, 'Forbidden Request: administrator role required')
    return principal
  }

  app.get(NOTIFICATIONS_PATH, requireToken(ctx), (c) => {
    const principal = admin(c)
    const status = c.req.query('status') ?? 'FAILED'
    if (status.toUpperCase() !== 'FAILED') throw new ConcurHttpError(400, 'status must be FAILED')
    const list = [...connectorStore(state).failed.values()]
      .filter((f) => f.company === principal.company.id)
      .map((f) => failedView(state, f))
    if ((requestHeader(c, 'accept') ?? '').toLowerCase().includes('application/json')) return c.json(list)
    const body = buildXml({
      NotificationList: {
        '@_xmlns': NOTIFICATION_LIST_NAMESPACE,
        '@_xmlns:i': 'http://www.w3.org/2001/XMLSchema-instance',
        Notification: list.map((n) =>
          Object.fromEntries(
            FAILED_NOTIFICATION_ELEMENTS.map((k) => [k, n[k] === null ? { '@_i:nil': 'true' } : n[k]]),
          ),
        ),
      },
    })
    return c.body(body, 200, { 'content-type': 'application/xml' })
  })

  app.delete(`${NOTIFICATIONS_PATH}/:id`, requireToken(ctx), (c) => {
    const principal = admin(c)
    const failed = connectorStore(state).failed
    const record = failed.get(c.req.param('id'))
    if (!record || record.company !== principal.company.id)
      throw new ConcurHttpError(400, 'Invalid notification id')
    failed.delete(record.id)
    return c.body(null, 200)
  })
  return app
}
