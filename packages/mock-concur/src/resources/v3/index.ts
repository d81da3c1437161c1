import { entryAttendeeAssociations } from './entry-attendee-associations.js'
import { expenseAllocations } from './expense-allocations.js'
import { expenseAttendeeTypes } from './expense-attendee-types.js'
import { expenseAttendees } from './expense-attendees.js'
import { expenseEntries } from './expense-entries.js'
import { expenseGroupConfigurations } from './expense-group-configurations.js'
import { expenseItemizations } from './expense-itemizations.js'
import { expenseReports } from './expense-reports.js'
import { listItems } from './list-items.js'
import { lists } from './lists.js'
import { locations } from './locations.js'
import { receiptImages } from './receipt-images.js'
import type { V3Row } from './row.js'
import { userInformation } from './user-information.js'

/**
 * The v3.0 rows the engine serves (and `lists`, a related endpoint of `list-items`): one line per
 * row file. A registry row without a provider here (or elsewhere) fails `row-providers.test.ts`.
 */
export const V3_ROWS: readonly V3Row[] = [
  expenseReports,
  expenseEntries,
  expenseItemizations,
  expenseAllocations,
  entryAttendeeAssociations,
  receiptImages,
  expenseAttendees,
  expenseAttendeeTypes,
  expenseGroupConfigurations,
  userInformation,
  listItems,
  lists,
  locations,
]

const byKey: ReadonlyMap<string, V3Row> = new Map(V3_ROWS.map((p) => [p.key, p]))

/**
 * The provider of a v3.0 resource (or `lists`).
 *
 * @example
 * v3RowOf('expense-reports')?.generate(ds, 0)
 */
export function v3RowOf(key: string): V3Row | undefined {
  return byKey.get(key)
}
