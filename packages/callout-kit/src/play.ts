import type { CalloutOutcome } from '@concurkit/contract'
import { type CalloutCallerOptions, type CalloutExchange, createCalloutCaller } from './caller.js'
import { type ConnectorPaths, DEFAULT_CONNECTOR_PATHS } from './connector.js'
import { sampleEventNotification, sampleFetchAttendeeRequest, sampleFetchListRequest } from './samples.js'

/** One check of `testConnector`. */
export interface ConnectorCheck {
  readonly id: string
  readonly title: string
  readonly status: 'pass' | 'fail' | 'skip'
  readonly durationMs: number
  /** Why it failed or was skipped (never a secret). */
  readonly message?: string
  /** The XML element at fault. */
  readonly element?: string
  readonly outcome?: CalloutOutcome
  readonly httpStatus?: number
}

/** What `testConnector` found. */
export interface ConnectorTestReport {
  readonly url: string
  /** True when every check passed or was skipped, and at least one callout passed or the connection test did. */
  readonly ok: boolean
  /** True when the connector could not be reached at all (refused, TLS failure, timeout). */
  readonly unreachable: boolean
  readonly checks: readonly ConnectorCheck[]
  readonly passed: number
  readonly failed: number
  readonly skipped: number
  readonly durationMs: number
}

/** Options of `testConnector`. */
export interface ConnectorTestOptions extends CalloutCallerOptions {
  /** Paths to call (defaults: Concur's documented ones). */
  paths?: Partial<ConnectorPaths>
  /** Callouts that must be served: a 404 or 401 on them fails instead of being skipped as not served. */
  require?: readonly ('fetchAttendee' | 'fetchList' | 'notify' | 'launchExternalUrl')[]
}

/**
 * Plays Concur against any connector (local or deployed): test connection (right and wrong
 * password), Fetch Attendee v2.0/v1.0, Fetch List single/multi level, Event Notification and
 * Launch External URL v4 (valid and forged signatures; v1 was decommissioned on 2026-06-23 and is
 * not played), each with the documented sample
 * requests; validates every answer against the contract. A callout answering 404 or 401 is
 * skipped as "not served" unless listed in `require`.
 *
 * @example
 * const report = await testConnector({ url: 'https://127.0.0.1:8443', user: 'concur-user', password, ca })
 * if (!report.ok) for (const c of report.checks) if (c.status === 'fail') console.error(c.title, c.message)
 */
export async function testConnector(options: ConnectorTestOptions): Promise<ConnectorTestReport> {
  const started = performance.now()
  const paths = { ...DEFAULT_CONNECTOR_PATHS, ...options.paths }
  const required = new Set(options.require ?? [])
  const caller = createCalloutCaller(options)
  const checks: ConnectorCheck[] = []

  /**
   * A callout that is not required and answers 404 — or 401, from a connector that checks Basic
   * auth before routing (Launch External URL requests carry a signature, not Basic auth) — is not
   * served: skipped, not failed.
   */
  const notServed = (callout: string | undefined, r: CalloutExchange<unknown>) =>
    callout !== undefined && !required.has(callout as 'notify') && (r.status === 404 || r.status === 401)

  const record = (
    id: string,
    title: string,
    callout: string | undefined,
    r: CalloutExchange<unknown>,
    expect: 'ok' | 'refused' = 'ok',
    extra?: (r: CalloutExchange<unknown>) => string | undefined,
  ) => {
    const base = {
      id,
      title,
      durationMs: r.durationMs,
      outcome: r.outcome,
      ...(r.status ? { httpStatus: r.status } : {}),
    }
    if (expect === 'refused') {
      const ok = r.status === 401 || r.status === 403
      checks.push(
        ok
          ? { ...base, status: 'pass' }
          : {
              ...base,
              status: 'fail',
              message: r.status ? `expected 401 or 403, got HTTP ${r.status}` : (r.problem ?? 'no answer'),
            },
      )
      return
    }
    if (notServed(callout, r)) {
      checks.push({ ...base, status: 'skip', message: `not served at ${r.path} (HTTP ${r.status})` })
      return
    }
    const problem = r.outcome === 'ok' ? extra?.(r) : (r.problem ?? r.outcome)
    checks.push(
      problem === undefined
        ? { ...base, status: 'pass' }
        : { ...base, status: 'fail', message: problem, ...(r.element ? { element: r.element } : {}) },
    )
  }

  let unreachable = false
  try {
    const conn = await caller.testConnection({ path: paths.testConnection })
    record(
      'testconnection',
      `GET ${paths.testConnection} with the connector credentials answers 2xx`,
      undefined,
      conn,
    )
    if (conn.outcome === 'network' || conn.outcome === 'timeout') {
      unreachable = true
    } else {
      const wrong = await caller.testConnection({
        path: paths.testConnection,
        password: `${options.password}-wrong`,
      })
      record(
        'testconnection-wrong-password',
        'a wrong password is refused (401/403)',
        undefined,
        wrong,
        'refused',
      )

      const attendee = sampleFetchAttendeeRequest('2.0')
      const maxCheck = (r: CalloutExchange<unknown>) => {
        const n = (r.value as { attendees: unknown[] } | undefined)?.attendees.length ?? 0
        return n > attendee.MaximumNumberRecords ? `${n} attendees exceed MaximumNumberRecords` : undefined
      }
      record(
        'fetch-attendee-v2',
        `POST ${paths.fetchAttendee} (Fetch Attendee v2.0) answers a valid AttendeeSearchResponse`,
        'fetchAttendee',
        await caller.fetchAttendee(attendee, paths.fetchAttendee),
        'ok',
        maxCheck,
      )
      if (paths.fetchAttendeeV1) {
        record(
          'fetch-attendee-v1',
          `POST ${paths.fetchAttendeeV1} (Fetch Attendee v1.0) answers a valid AttendeeSearchResponse`,
          'fetchAttendee',
          await caller.fetchAttendee(sampleFetchAttendeeRequest('1.0'), paths.fetchAttendeeV1),
          'ok',
          maxCheck,
        )
      }
      for (const level of ['single', 'multi'] as const) {
        record(
          `fetch-list-${level}`,
          `POST ${paths.fetchList} (Fetch List v1.2, ${level} level) answers a valid fetch-list-response`,
          'fetchList',
          await caller.fetchList(sampleFetchListRequest(level), paths.fetchList),
        )
      }
      record(
        'notify',
        `POST ${paths.notify} (Event Notification) answers 200`,
        'notify',
        await caller.notify(sampleEventNotification(), paths.notify),
      )
      const v4 = {
        company_domain: 'example.com',
        logged_in_user_id: 'cm@example.com',
        report_owner_user_id: 'cm@example.com',
        report_owner_employee_id: 'EMP-1',
        item_url: 'https://us.api.concursolutions.com/expensereports/v4/reports/KEY',
        source: 'HEADER' as const,
      }
      const launchV4 = await caller.launchExternalUrl('v4', v4, { path: paths.launchExternalUrlV4 })
      record(
        'launch-url-v4',
        `GET ${paths.launchExternalUrlV4} (Launch External URL v4, HMAC-SHA256) answers 2xx`,
        'launchExternalUrl',
        launchV4,
      )
      if (!notServed('launchExternalUrl', launchV4)) {
        record(
          'launch-url-v4-forged',
          'Launch External URL v4 with a forged signature is refused (401/403)',
          undefined,
          await caller.launchExternalUrl('v4', v4, { path: paths.launchExternalUrlV4, tamper: true }),
          'refused',
        )
      }
    }
  } finally {
    await caller.close()
  }
  const passed = checks.filter((c) => c.status === 'pass').length
  const failed = checks.filter((c) => c.status === 'fail').length
  return {
    url: options.url,
    ok: failed === 0 && passed > 0,
    unreachable,
    checks,
    passed,
    failed,
    skipped: checks.length - passed - failed,
    durationMs: Math.round(performance.now() - started),
  }
}
