import { EntryAttendeeAssociationWrite } from '@concurkit/contract'
import { ASSOCIATIONS_PER_REPORT, ENTRIES_PER_REPORT, PROFILE_PERIOD } from '../../dataset/dataset.js'
import { associationAt } from '../../dataset/expense.js'
import { decodeId } from '../../dataset/ids.js'
import { childPlan } from '../../dataset/plan.js'
import { defs, ownerOfReportChild, reportPlan, str } from '../../dataset/row-plans.js'
import type { V3Row } from './row.js'
import { required } from './write-kit.js'

/** `/api/v3.0/expense/entryattendeeassociations`: the attendees of the business-meal entry (slot 1). */
export const entryAttendeeAssociations: V3Row = {
  key: 'entry-attendee-associations',
  kind: 'entry-attendee-associations',
  get filters() {
    return defs('entry-attendee-associations')
  },
  size: (ds) => ds.reports * ASSOCIATIONS_PER_REPORT,
  exists: (ds, i) => ds.profiles[Math.floor(i / ASSOCIATIONS_PER_REPORT) % PROFILE_PERIOD]!.hasAttendees,
  generate: (ds, i) => associationAt(ds, i),
  owner: ownerOfReportChild(ASSOCIATIONS_PER_REPORT),
  plan(ds, f, owner) {
    const entry = str(f, 'entryID')
    let only: number | undefined
    if (entry !== undefined) {
      const e = decodeId('expense-entries', ds.tag, entry)
      only = e === undefined || e % ENTRIES_PER_REPORT !== 1 ? -1 : Math.floor(e / ENTRIES_PER_REPORT)
      if (only >= ds.reports) only = -1
    }
    const rp = reportPlan(ds, new Map(), owner, only === undefined ? {} : { only })
    return childPlan(rp, ASSOCIATIONS_PER_REPORT, (r) => ds.profiles[r % PROFILE_PERIOD]!.hasAttendees)
  },
  writeRules: {
    schema: EntryAttendeeAssociationWrite,
    create({ body, id, blank, fields, ref }) {
      required(body, 'EntryID', 'AttendeeID')
      const entry = ref('expense-entries', body.EntryID, 'EntryID')
      ref('expense-attendees', body.AttendeeID, 'AttendeeID')
      const rec = fields(blank)
      Object.assign(rec, {
        Amount: body.Amount ?? entry.record.TransactionAmount ?? 0,
        AssociatedAttendeeCount: body.AssociatedAttendeeCount ?? 1,
        ID: id,
      })
      return { record: rec, owner: entry.owner, hidden: {} }
    },
  },
}
