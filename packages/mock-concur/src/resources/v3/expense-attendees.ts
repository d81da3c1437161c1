import { AttendeeWrite } from '@concurkit/contract'
import { userOf } from '../../dataset/dataset.js'
import { attendeeAt, attendeeOwner } from '../../dataset/expense.js'
import { decodeId } from '../../dataset/ids.js'
import { type Candidates, EMPTY_PLAN } from '../../dataset/plan.js'
import { defs, pick, recordPlan, str } from '../../dataset/row-plans.js'
import { ATTENDEE_TYPES } from '../../dataset/tables.js'
import type { V3Row } from './row.js'
import { required } from './write-kit.js'

/** `/api/v3.0/expense/attendees`: each user's attendees; an update bumps `VersionNumber`. */
export const expenseAttendees: V3Row = {
  key: 'expense-attendees',
  kind: 'expense-attendees',
  get filters() {
    return defs('expense-attendees')
  },
  size: (ds) => ds.attendees,
  exists: () => true,
  generate: (ds, i) => attendeeAt(ds, i),
  owner: (ds, i) => attendeeOwner(ds, i),
  plan(ds, f, owner) {
    const types = ATTENDEE_TYPES.length
    const c: Candidates = { lo: 0, hi: ds.attendees, strides: [] }
    if (owner !== undefined) c.strides.push({ mod: ds.users, rem: owner })
    const typeId = str(f, 'attendeeTypeID')
    if (typeId !== undefined) {
      const t = decodeId('expense-attendee-types', ds.tag, typeId)
      if (t === undefined || t >= types) return EMPTY_PLAN
      c.strides.push({ mod: types, rem: t })
    }
    const external = f.get('externalID') as readonly string[] | undefined
    if (external) {
      c.explicit = external.flatMap((x) => {
        const m = /^ATT(\d{8})$/.exec(x)
        return m ? [Number(m[1]) - 1] : []
      })
    }
    return recordPlan(() => expenseAttendees, ds, pick(f, ['externalID']), c)
  },
  writeRules: {
    schema: AttendeeWrite,
    create({ ds, body, owner, id, ownerUser, blank, fields, ref }) {
      required(body, 'AttendeeTypeID', 'LastName')
      const type = ref('expense-attendee-types', body.AttendeeTypeID, 'AttendeeTypeID')
      const u = ownerUser ?? userOf(ds, owner ?? 0)
      const rec = fields(blank)
      Object.assign(rec, {
        AttendeeTypeCode: type.record.Code,
        HasExceptionsPrevYear: false,
        HasExceptionsYTD: false,
        TotalAmountPrevYear: 0,
        TotalAmountYTD: body.TotalAmountYTD ?? 0,
        VersionNumber: 1,
        OwnerName: `${u.lastName}, ${u.firstName}`,
        OwnerLoginID: u.loginId,
        CurrencyCode: body.CurrencyCode ?? 'USD',
        ID: id,
      })
      return { record: rec, owner, hidden: {} }
    },
    update({ ds, body, record: rec }) {
      if (typeof body.AttendeeTypeID !== 'string') return
      const t = decodeId('expense-attendee-types', ds.tag, body.AttendeeTypeID)
      if (t !== undefined && t < ATTENDEE_TYPES.length) rec.AttendeeTypeCode = ATTENDEE_TYPES[t]!.code
      rec.VersionNumber = ((rec.VersionNumber as number | null) ?? 0) + 1
    },
  },
}
