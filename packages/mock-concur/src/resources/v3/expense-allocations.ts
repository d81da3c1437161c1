import { ALLOCATIONS_PER_REPORT, ENTRIES_PER_REPORT, ITEMIZATIONS_PER_REPORT } from '../../dataset/dataset.js'
import { allocationAt, allocationSlot } from '../../dataset/expense.js'
import { decodeId } from '../../dataset/ids.js'
import { childPlan } from '../../dataset/plan.js'
import { defs, onlyReport, ownerOfReportChild, reportPlan, str } from '../../dataset/row-plans.js'
import type { V3Row } from './row.js'

/** `/api/v3.0/expense/allocations` (read-only): the allocations of entries and itemizations. */
export const expenseAllocations: V3Row = {
  key: 'expense-allocations',
  kind: 'expense-allocations',
  get filters() {
    return defs('expense-allocations')
  },
  size: (ds) => ds.reports * ALLOCATIONS_PER_REPORT,
  exists: (ds, i) => allocationSlot(ds, i).exists,
  generate: (ds, i) => allocationAt(ds, i),
  owner: ownerOfReportChild(ALLOCATIONS_PER_REPORT),
  plan(ds, f, owner) {
    let only = onlyReport(ds, str(f, 'reportID'))
    const narrow = (r: number) => {
      only = only === undefined || only === r ? r : -1
      if (r >= ds.reports) only = -1
    }
    const entryParam = str(f, 'entryID')
    const itemParam = str(f, 'itemizationID')
    const e = entryParam === undefined ? undefined : (decodeId('expense-entries', ds.tag, entryParam) ?? -1)
    const it =
      itemParam === undefined ? undefined : (decodeId('expense-itemizations', ds.tag, itemParam) ?? -1)
    if (e !== undefined) narrow(e < 0 ? -1 : Math.floor(e / ENTRIES_PER_REPORT))
    if (it !== undefined) narrow(it < 0 ? -1 : Math.floor(it / ITEMIZATIONS_PER_REPORT))
    const rp = reportPlan(ds, new Map(), owner, only === undefined ? {} : { only })
    return childPlan(rp, ALLOCATIONS_PER_REPORT, (r, t) => {
      const slot = allocationSlot(ds, r * ALLOCATIONS_PER_REPORT + t)
      if (!slot.exists) return false
      if (e !== undefined && slot.entry !== e) return false
      if (it !== undefined && slot.itemization !== it) return false
      return true
    })
  },
}
