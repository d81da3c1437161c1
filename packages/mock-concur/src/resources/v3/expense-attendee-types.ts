import { AttendeeTypeWrite } from '@concurkit/contract'
import { attendeeTypeAt, COMMON_SIZES } from '../../dataset/common.js'
import { planOf } from '../../dataset/plan.js'
import { defs } from '../../dataset/row-plans.js'
import type { V3Row } from './row.js'
import { required } from './write-kit.js'

/** `/api/v3.0/expense/attendeetypes`: the company's attendee types. */
export const expenseAttendeeTypes: V3Row = {
  key: 'expense-attendee-types',
  kind: 'expense-attendee-types',
  get filters() {
    return defs('expense-attendee-types')
  },
  size: () => COMMON_SIZES.attendeeTypes,
  exists: () => true,
  generate: (ds, i) => attendeeTypeAt(ds, i),
  plan: () => planOf({ lo: 0, hi: COMMON_SIZES.attendeeTypes, strides: [] }, () => true),
  writeRules: {
    schema: AttendeeTypeWrite,
    create({ body, id, blank, fields }) {
      required(body, 'Code', 'Name')
      const rec = fields(blank)
      Object.assign(rec, {
        DuplicateSearchFields: body.DuplicateSearchFields ?? [],
        ConnectorID: body.ConnectorID ?? '',
        AllowManuallyEnteredAttendees: body.AllowManuallyEnteredAttendees ?? true,
        AllowAttendeeCountEditing: body.AllowAttendeeCountEditing ?? false,
        ID: id,
      })
      return { record: rec, owner: undefined, hidden: {} }
    },
  },
}
