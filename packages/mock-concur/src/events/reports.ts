import type { ExpenseReportFacts, ExpenseReportStatusFacts } from '@concurkit/contract'
import type { MockCompany } from '../companies.js'
import { datasetOf, userIdOf, userIndexOfLogin, userOf } from '../dataset/dataset.js'
import type { DatasetOverlay, OverlayChange } from '../dataset/overlay.js'
import { providerOf } from '../dataset/providers.js'
import type { MockState } from '../state.js'
import { hashHex } from '../util/hash.js'
import { hasSubscribers, publishEvent } from './store.js'

/** The expense report topic. */
export const EXPENSE_REPORT_TOPIC = 'public.concur.expense.report'

type WireRecord = Record<string, unknown>

/** A change of one expense report, whatever API made it. */
export interface ReportChange {
  readonly company: MockCompany
  /** The report before (`null`: it did not exist) and after (`null`: deleted). */
  readonly before: WireRecord | null
  readonly after: WireRecord | null
  /** The owning user's index. */
  readonly owner: number | undefined
  /** The user acting for the owner (delegate/proxy); null otherwise, as for company-JWT actions. */
  readonly actingUserId?: string | null
  readonly correlationId?: string
}

/**
 * Where an event's `href` points: the report's Expense v4 long URL as its owner
 * (`/expensereports/v4/users/{userId}/context/TRAVELER/reports/{id}`), as Concur sends it. It
 * resolves on the mock with the owner's user token or a company token.
 */
export function reportHref(state: MockState, company: MockCompany, reportId: string, userId: string): string {
  return `${state.baseUrl(company.datacenter)}/expensereports/v4/users/${encodeURIComponent(userId)}/context/TRAVELER/reports/${encodeURIComponent(reportId)}`
}

/** v3.0 date (`2024-05-01T10:00:00.5`, no zone) → RFC 3339 UTC. */
function isoOf(v3: unknown, fallbackMs: number): string {
  if (typeof v3 === 'string') {
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v3) ? v3 : `${v3}Z`)
    if (Number.isFinite(ms)) return new Date(ms).toISOString()
  }
  return new Date(fallbackMs).toISOString()
}

/**
 * Publishes the `public.concur.expense.report` event of a report change: `reportCreated`,
 * `reportDeleted`, `statusChanged` (approval or payment status moved) or `reportUpdated`. The one
 * entry point for every API that changes a report (the v3.0 writes, the v1.1 workflow action and
 * the admin dataset API and Expense v4 reach it through the write overlay).
 *
 * @example
 * publishReportChange(state, { company, before: null, after: record, owner: 2 })
 */
export function publishReportChange(state: MockState, change: ReportChange): void {
  const { company, before, after } = change
  if (!before && !after) return
  const report = (after ?? before)!
  const reportId = String(report.ID ?? '')
  const ds = datasetOf(state.options.seed, company)
  const ownerIndex =
    change.owner ??
    (typeof report.OwnerLoginID === 'string' ? userIndexOfLogin(ds, report.OwnerLoginID) : undefined)
  const userId =
    ownerIndex === undefined ? null : (state.user(company, ownerIndex) ?? userOf(ds, ownerIndex)).id
  const now = state.clock.now()
  const base: ExpenseReportFacts = {
    reportType: 'Regular',
    companyId: company.id,
    reportId,
    lastModifiedDate: isoOf(report.LastModifiedDate, now),
    actingUserId: change.actingUserId ?? null,
    userId,
  }
  const href = reportHref(state, company, reportId, userId ?? '')
  let eventType: string
  let facts: Record<string, unknown>
  if (!after) {
    eventType = 'reportDeleted'
    facts = base
  } else if (!before) {
    eventType = 'reportCreated'
    facts = { ...base, href }
  } else if (
    before.ApprovalStatusCode !== after.ApprovalStatusCode ||
    before.PaymentStatusCode !== after.PaymentStatusCode
  ) {
    eventType = 'statusChanged'
    const current = String(after.ApprovalStatusCode ?? '')
    const approver =
      typeof after.ApproverLoginID === 'string' ? userIndexOfLogin(ds, after.ApproverLoginID) : undefined
    const stepCode =
      current === 'A_PEND'
        ? 'MANAGER'
        : current === 'A_RESU'
          ? after.ApprovalStatusName === 'Recalled'
            ? 'RECALL'
            : 'SENDBACK'
          : null
    const status: ExpenseReportStatusFacts = {
      ...base,
      previousApprovalStatus: String(before.ApprovalStatusCode ?? ''),
      currentApprovalStatus: current,
      previousPaymentStatus: String(before.PaymentStatusCode ?? ''),
      currentPaymentStatus: String(after.PaymentStatusCode ?? ''),
      stepCode,
      processId: hashHex(company.id, 'process', reportId).slice(0, 32).toUpperCase(),
      ...(current === 'A_PEND'
        ? {
            startingStep: {
              roleCode: 'MANAGER',
              stepInstances: [
                {
                  id: hashHex(company.id, 'step', reportId, now).slice(0, 32).toUpperCase(),
                  assignedUserId: approver === undefined ? null : userIdOf(ds, approver),
                },
              ],
            },
          }
        : {}),
      href,
    }
    facts = status
  } else {
    eventType = 'reportUpdated'
    facts = { ...base, href }
  }
  publishEvent(state, {
    companyId: company.id,
    topic: EXPENSE_REPORT_TOPIC,
    eventType,
    facts,
    ...(change.correlationId ? { correlationId: change.correlationId } : {}),
    extra: { route: 'stable' },
  })
}

const observed = new WeakSet<DatasetOverlay>()

/**
 * Makes every expense report write publish its event: observes the write overlay (the one place
 * every API that changes a report goes through). Idempotent per overlay.
 */
export function observeReportChanges(state: MockState, overlays: DatasetOverlay): void {
  if (observed.has(overlays)) return
  observed.add(overlays)
  overlays.observe((companyId: string, resource: string, change: OverlayChange) => {
    if (resource !== 'expense-reports') return
    const company = state.company(companyId)
    if (!company || !hasSubscribers(state, company.datacenter, EXPENSE_REPORT_TOPIC)) return
    let before = change.before
    let owner = change.owner
    if (before === undefined && change.index !== undefined) {
      const provider = providerOf('expense-reports')
      const ds = datasetOf(state.options.seed, company)
      before = provider?.generate(ds, change.index) ?? null
      owner = provider?.owner?.(ds, change.index)
    }
    publishReportChange(state, { company, before: before ?? null, after: change.after, owner })
  })
}
