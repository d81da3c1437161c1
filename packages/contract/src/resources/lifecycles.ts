import { ACTIVE, concurDocUrl, type Lifecycle } from '../lifecycle.js'

/**
 * The lifecycle of every endpoint the registry serves, from Concur's deprecation notices and
 * release notes ("Deprecations and Decommissions", release notes of 2026-08-06). Registry rows
 * point here; the dates and replacements are as Concur prints them.
 */
const rn = (day: string) => concurDocUrl(`tools-support/release-notes/api/${day}.html`)
const page = (path: string) => concurDocUrl(`api-reference/${path}.markdown`)

/** A deprecated endpoint: since `deprecated` (absent where Concur gives no date), replaced by `api` at `path`. */
const deprecated = (
  deprecated: string | undefined,
  api: string,
  path: string,
  notice: string,
): Lifecycle => ({
  status: 'deprecated',
  ...(deprecated ? { deprecated } : {}),
  replacement: { api, path },
  notice,
})

export { ACTIVE }

/** Users v3.0 (`/api/v3.0/common/users`): deprecated 2022-11-10, decommissioned 2025-01-21. */
export const USERS_V3: Lifecycle = {
  status: 'decommissioned',
  deprecated: '2022-11-10',
  decommissioned: '2025-01-21',
  replacement: { api: 'Identity v4.1', path: '/profile/identity/v4.1/Users' },
  notice: rn('2025-01-09'),
}

/** User Information v1.0 (`/api/user/v1.0/user`): decommissioned for US and EMEA on 2025-01-21. */
export const USER_V1: Lifecycle = {
  ...USERS_V3,
  replacement: { api: 'User Provisioning v4', path: '/profile/v4/Users' },
  notice: page('user/index'),
}

/** Lists v3.0: deprecated 2021-04-16. */
export const LISTS_V3 = deprecated('2021-04-16', 'List v4', '/list/v4/lists', page('common/lists/v3.lists'))

/** List Items v3.0: deprecated 2021-04-16. */
export const LIST_ITEMS_V3 = deprecated(
  '2021-04-16',
  'List Item v4',
  '/list/v4/items',
  page('common/list-item/v3.list-item'),
)

/** Locations v3.0: deprecated 2025-10-10. */
export const LOCATIONS_V3 = deprecated(
  '2025-10-10',
  'Localities v5',
  '/localities/v5/locations',
  rn('2025-10-02'),
)

/** Attendees v3.0: deprecated 2025-07-01. */
export const ATTENDEES_V3 = deprecated('2025-07-01', 'Attendees v4', '/v4/attendees', rn('2025-07-10'))

/** Attendee Types v3.0: deprecated 2025-07-01 (the page banner says 07/10/2025; the release note wins). */
export const ATTENDEE_TYPES_V3 = deprecated(
  '2025-07-01',
  'Attendee Types v4',
  '/v4/attendeetypes',
  rn('2025-07-10'),
)

/** Expense Group Configurations v3.0: deprecated 2025-06-26. */
export const GROUP_CONFIGURATIONS_V3 = deprecated(
  '2025-06-26',
  'Expense Configuration v4',
  '/expenseconfig/v4',
  page('expense/expense-report/expense-group-configurations'),
)

/** "Expense v3 DELETE" (entries, itemizations): deprecated 2025-06-26. */
export const EXPENSE_V3_DELETE = deprecated(
  '2025-06-26',
  'Expense v4',
  '/expensereports/v4',
  page('expense/expense-report/expense-entry'),
)

/** Company Card Transactions v1.1 (`CardCharges`): deprecated 2026-06-08. */
export const CARD_CHARGES_V11 = deprecated(
  '2026-06-08',
  'Cards v4',
  '/cards/v4/users/{userId}/transactions',
  rn('2026-06-03'),
)

/**
 * Reports v2.0 list: deprecated without a date or a named replacement; Expense v4 is where
 * Concur's current report reads live (an inference, marked in the mock README).
 */
export const REPORTS_V2 = deprecated(
  undefined,
  'Expense v4',
  '/expensereports/v4',
  page('expense/expense-report/v2.reports'),
)

/** Report Details v2.0: deprecated without a date. */
export const REPORT_DETAILS_V2 = deprecated(
  undefined,
  'Expense v4',
  '/expensereports/v4',
  page('expense/expense-report/expense-report-get'),
)

/** Report Full Details v1.1 and Reports List v1.1: deprecated without a date. */
export const REPORTS_V11 = deprecated(
  undefined,
  'Expense v4',
  '/expensereports/v4',
  page('expense/expense-report/v1dot1.report-full-details'),
)
