import { EntryWrite } from '@concurkit/contract'
import { type Dataset, ENTRIES_PER_REPORT, PROFILE_PERIOD } from '../../dataset/dataset.js'
import { entryAt, paymentTypeId } from '../../dataset/expense.js'
import type { DatasetOverlay } from '../../dataset/overlay.js'
import { childPlan, EMPTY_PLAN } from '../../dataset/plan.js'
import type { WireRecord } from '../../dataset/providers.js'
import {
  attendeeStride,
  bool,
  defs,
  onlyReport,
  ownerOfReportChild,
  pick,
  reportPlan,
  str,
} from '../../dataset/row-plans.js'
import { ATTENDEE_TYPES } from '../../dataset/tables.js'
import { expenseReports } from './expense-reports.js'
import { findRecord, stampRow } from './records.js'
import type { V3Row } from './row.js'
import { expenseTypeOf, required, updateExpenseFields } from './write-kit.js'

/** The transaction amount of an entry record (0 when absent). */
function amountOf(record: WireRecord | null | undefined): number {
  const v = record?.TransactionAmount
  return typeof v === 'number' ? v : 0
}

/**
 * Keeps a report's totals equal to the sum of its entries after an entry write: adds `delta` to
 * `Total`, `TotalClaimedAmount` and `TotalApprovedAmount` and stamps the report's modification.
 */
export function adjustReportTotals(
  ds: Dataset,
  overlays: DatasetOverlay,
  reportId: unknown,
  delta: number,
  nowMs: number,
): void {
  if (typeof reportId !== 'string' || delta === 0 || !Number.isFinite(delta)) return
  const overlay = overlays.of(ds.company.id, 'expense-reports')
  const found = findRecord(ds, expenseReports, overlay, reportId)
  if (!found) return
  const rec = { ...found.record }
  for (const k of ['Total', 'TotalClaimedAmount', 'TotalApprovedAmount']) {
    rec[k] = Math.round((((rec[k] as number | null) ?? 0) + delta) * 100) / 100
  }
  stampRow(expenseReports, rec, nowMs)
  if (found.created) overlay.replaceCreated(found.created, rec)
  else overlay.patch(found.index, rec)
}

/** `/api/v3.0/expense/entries`: `ENTRIES_PER_REPORT` slots per report; writes keep the report's totals. */
export const expenseEntries: V3Row = {
  key: 'expense-entries',
  kind: 'expense-entries',
  get filters() {
    return defs('expense-entries')
  },
  size: (ds) => ds.reports * ENTRIES_PER_REPORT,
  exists: () => true,
  generate: (ds, i) => entryAt(ds, i),
  owner: ownerOfReportChild(ENTRIES_PER_REPORT),
  plan(ds, f, owner) {
    const att = attendeeStride(ds, str(f, 'attendeeID'))
    if (att === null) return EMPTY_PLAN
    const only = onlyReport(ds, str(f, 'reportID'))
    const rp = reportPlan(ds, pick(f, ['batchID']), owner, {
      ...(only === undefined ? {} : { only }),
      ...(att ? { strides: [{ mod: att.mod, rem: att.q }] } : {}),
    })
    const payment = str(f, 'paymentTypeID')
    const billable = bool(f, 'isBillable')
    const hasAttendees = bool(f, 'hasAttendees')
    const vat = bool(f, 'hasVAT')
    const type = str(f, 'expenseTypeCode')
    const attendeeType = str(f, 'attendeeTypeCode')
    return childPlan(rp, ENTRIES_PER_REPORT, (r, s) => {
      const p = ds.profiles[r % PROFILE_PERIOD]!
      const slot = p.slots[s]!
      const withAttendees = s === 1 && p.hasAttendees
      if (payment !== undefined && paymentTypeId(ds, slot.payment) !== payment) return false
      if (billable !== undefined && slot.billable !== billable) return false
      if (hasAttendees !== undefined && withAttendees !== hasAttendees) return false
      if (vat !== undefined && slot.vat !== vat) return false
      if (type !== undefined && slot.type !== type) return false
      if (
        attendeeType !== undefined &&
        !(withAttendees && p.attendeeTypes.some((t) => ATTENDEE_TYPES[t]!.code === attendeeType))
      )
        return false
      if (att && !(withAttendees && p.attendeeTypes.includes(att.t))) return false
      return true
    })
  },
  writeRules: {
    schema: EntryWrite,
    modifiedField: 'LastModified',
    create({ body, id, now, blank, fields, ref }) {
      required(
        body,
        'ReportID',
        'ExpenseTypeCode',
        'TransactionAmount',
        'TransactionCurrencyCode',
        'TransactionDate',
      )
      const report = ref('expense-reports', body.ReportID, 'ReportID')
      const type = expenseTypeOf(body.ExpenseTypeCode)
      const rec = fields(blank)
      const amount = body.TransactionAmount as number
      Object.assign(rec, {
        ReportOwnerID: report.record.OwnerLoginID,
        ExpenseTypeName: type.name,
        SpendCategoryCode: type.spendCode,
        SpendCategoryName: type.spendName,
        ExchangeRate: body.ExchangeRate ?? 1,
        PostedAmount: amount,
        ApprovedAmount: amount,
        IsPersonal: body.IsPersonal ?? false,
        IsBillable: body.IsBillable ?? false,
        IsPersonalCardCharge: false,
        HasImage: false,
        IsImageRequired: false,
        ReceiptReceived: false,
        HasItemizations: false,
        AllocationType: 'N',
        HasVAT: false,
        HasAppliedCashAdvance: false,
        HasAttendees: false,
        HasComments: typeof body.Comment === 'string',
        HasExceptions: false,
        IsPaidByExpensePay: false,
        LastModified: now,
        ID: id,
      })
      return { record: rec, owner: report.owner, hidden: {} }
    },
    update: updateExpenseFields,
    onWrite({ ds, overlays, before, after, nowMs }) {
      adjustReportTotals(ds, overlays, (after ?? before)?.ReportID, amountOf(after) - amountOf(before), nowMs)
    },
  },
}
