import type { CalloutExchange } from '@concurkit/callout-kit'
import { type EventNotification, REPORT_FULL_DETAILS_PATH } from '@concurkit/contract'
import { redactPath } from '../redact.js'
import type { MockState } from '../state.js'
import { uuidFrom } from '../util/hash.js'
import { pathWithOne } from '../util/paths.js'
import { randomUUID } from '../util/web-crypto.js'
import { CONNECTOR_STORE_KEY, type ConnectorRecord, ConnectorStore } from './store.js'

/** The connector registry of a mock. */
export function connectorStore(state: MockState): ConnectorStore {
  return state.store(CONNECTOR_STORE_KEY, () => new ConnectorStore())
}

/** Records one call to a connector in the mock's journal, with the validation result as note. */
export function journalCallout(
  state: MockState,
  datacenter: string,
  connector: ConnectorRecord,
  method: 'GET' | 'POST',
  result: CalloutExchange<unknown>,
): void {
  const verdict =
    result.outcome === 'ok'
      ? 'valid'
      : `${result.outcome}${result.element ? ` at ${result.element}` : ''}: ${result.problem ?? ''}`
  state.journal.add({
    time: new Date(state.clock.now()).toISOString(),
    datacenter,
    method,
    path: redactPath(new URL(result.path, connector.view.url).toString()),
    status: result.status ?? 0,
    latencyMs: result.durationMs,
    correlationId: randomUUID(),
    note: `callout ${result.callout} connector=${connector.view.id}: ${verdict}`,
  })
}

/** The result of delivering one notification. */
export interface DeliveryResult {
  readonly notificationId: string
  readonly redelivery: boolean
  readonly status: 'DELIVERED' | 'FAILED'
  readonly result: CalloutExchange<null>
}

async function attempt(
  state: MockState,
  datacenter: string,
  connector: ConnectorRecord,
  id: string,
  notification: EventNotification,
  redelivery: boolean,
): Promise<DeliveryResult> {
  const store = connectorStore(state)
  const path = connector.view.callouts.notify ?? ''
  const result = await connector.caller.notify(notification, path)
  journalCallout(state, datacenter, connector, 'POST', result)
  const existing = store.failed.get(id)
  if (result.outcome === 'ok') {
    store.failed.delete(id)
    return { notificationId: id, redelivery, status: 'DELIVERED', result }
  }
  const problem = result.problem ?? result.outcome
  if (existing) {
    existing.attempts += 1
    existing.lastProblem = problem
  } else {
    store.failed.set(id, {
      id,
      connectorId: connector.view.id,
      company: connector.view.company,
      datacenter,
      notification,
      createdAt: new Date(state.clock.now()).toISOString().slice(0, 19),
      attempts: 1,
      lastProblem: problem,
    })
  }
  return { notificationId: id, redelivery, status: 'FAILED', result }
}

/**
 * Delivers an event notification to a connector as Concur does: first the connector's FAILED
 * notifications again (oldest first), then the new one. A notification the connector does not
 * acknowledge with HTTP 200 stays FAILED (listed by the notifications API) — no timed retries.
 */
export async function deliverNotification(
  state: MockState,
  datacenter: string,
  connector: ConnectorRecord,
  notification: EventNotification,
): Promise<DeliveryResult[]> {
  const store = connectorStore(state)
  const results: DeliveryResult[] = []
  const pending = [...store.failed.values()].filter((f) => f.connectorId === connector.view.id)
  for (const failed of pending) {
    results.push(await attempt(state, datacenter, connector, failed.id, failed.notification, true))
  }
  const id = notificationId(state, store.nextNotificationId())
  results.push(await attempt(state, datacenter, connector, id, notification, false))
  return results
}

/** Concur-looking notification id, deterministic per mock seed. */
function notificationId(state: MockState, n: number): string {
  return `n${uuidFrom(state.options.seed, 'notification', n).replace(/-/g, '').slice(0, 30)}`
}

/** A report workflow event a write API can fire. */
export interface ReportEvent {
  /** Company id of the report. */
  readonly company: string
  /** The report's key (used in `ObjectURI`). */
  readonly reportId: string
  /** `SUBMIT` or `APPROVE` (or any workflow step name). */
  readonly step: string
}

const fullDetailsPath = pathWithOne(REPORT_FULL_DETAILS_PATH)

/** The v1.1 full-details URL of a report: an event notification's `ObjectURI`. */
export function reportFullDetailsUrl(base: string, reportId: string): string {
  return `${base}${fullDetailsPath(encodeURIComponent(reportId))}`
}

/**
 * Notifies every connector of the report's company that has an Event Notification callout:
 * call it from the mock's write API when a report is submitted or approved.
 *
 * @example
 * await notifyReportEvent(state, { company: c.id, reportId: 'ABC', step: 'SUBMIT' })
 */
export async function notifyReportEvent(state: MockState, event: ReportEvent): Promise<DeliveryResult[]> {
  const company = state.company(event.company)
  if (!company) return []
  const base = state.baseUrl(company.datacenter)
  const notification: EventNotification = {
    EventType: `Report Entered Expense Report Workflow Step - ${event.step}`,
    ObjectType: 'EXPRPT',
    ObjectURI: reportFullDetailsUrl(base, event.reportId),
    EventDateTime: new Date(state.clock.now()).toISOString().slice(0, 10),
    Context: '',
  }
  const results: DeliveryResult[] = []
  for (const connector of connectorStore(state).connectors.values()) {
    if (connector.view.company === company.id && connector.view.callouts.notify) {
      results.push(...(await deliverNotification(state, company.datacenter, connector, notification)))
    }
  }
  return results
}
