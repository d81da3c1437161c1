import { ItemizationWrite } from '@concurkit/contract'
import { ENTRIES_PER_REPORT, ITEMIZATIONS_PER_REPORT, PROFILE_PERIOD } from '../../dataset/dataset.js'
import { itemizationAt } from '../../dataset/expense.js'
import { decodeId } from '../../dataset/ids.js'
import { childPlan } from '../../dataset/plan.js'
import { defs, onlyReport, ownerOfReportChild, reportPlan, str } from '../../dataset/row-plans.js'
import type { V3Row } from './row.js'
import { expenseTypeOf, required, updateExpenseFields } from './write-kit.js'

/** `/api/v3.0/expense/itemizations`: the itemized hotel entry (slot 0) of some reports. */
export const expenseItemizations: V3Row = {
  key: 'expense-itemizations',
  kind: 'expense-itemizations',
  get filters() {
    return defs('expense-itemizations')
  },
  size: (ds) => ds.reports * ITEMIZATIONS_PER_REPORT,
  exists: (ds, i) => ds.profiles[Math.floor(i / ITEMIZATIONS_PER_REPORT) % PROFILE_PERIOD]!.itemized,
  generate: (ds, i) => itemizationAt(ds, i),
  owner: ownerOfReportChild(ITEMIZATIONS_PER_REPORT),
  plan(ds, f, owner) {
    let only = onlyReport(ds, str(f, 'reportID'))
    const entry = str(f, 'entryID')
    if (entry !== undefined) {
      const e = decodeId('expense-entries', ds.tag, entry)
      const r = e === undefined || e % ENTRIES_PER_REPORT !== 0 ? -1 : e / ENTRIES_PER_REPORT
      only = only === undefined || only === r ? r : -1
      if (r >= ds.reports) only = -1
    }
    const rp = reportPlan(ds, new Map(), owner, only === undefined ? {} : { only })
    const type = str(f, 'expenseTypeCode')
    return childPlan(rp, ITEMIZATIONS_PER_REPORT, (r, t) => {
      if (!ds.profiles[r % PROFILE_PERIOD]!.itemized) return false
      return type === undefined || type === (t === 0 ? 'LODNG' : 'LODTX')
    })
  },
  writeRules: {
    schema: ItemizationWrite,
    modifiedField: 'LastModified',
    create({ body, id, now, blank, fields, ref }) {
      required(body, 'EntryID', 'ExpenseTypeCode', 'TransactionAmount', 'TransactionDate')
      const entry = ref('expense-entries', body.EntryID, 'EntryID')
      const type = expenseTypeOf(body.ExpenseTypeCode)
      const rec = fields(blank)
      Object.assign(rec, {
        ReportID: entry.record.ReportID,
        ReportOwnerID: entry.record.ReportOwnerID,
        ExpenseTypeName: type.name,
        SpendCategoryCode: type.spendCode,
        SpendCategoryName: type.spendName,
        PostedAmount: body.TransactionAmount,
        ApprovedAmount: body.TransactionAmount,
        IsPersonal: body.IsPersonal ?? false,
        IsBillable: body.IsBillable ?? false,
        IsImageRequired: false,
        AllocationType: 'N',
        HasComments: typeof body.Comment === 'string',
        HasExceptions: false,
        LastModified: now,
        ID: id,
      })
      return { record: rec, owner: entry.owner, hidden: {} }
    },
    update: updateExpenseFields,
  },
}
