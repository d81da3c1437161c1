import { ACTIVE, concurDocUrl, type Lifecycle } from '../lifecycle.js'

/**
 * The lifecycle of every endpoint the registry serves, from Concur's deprecation notices and
 * release notes ("Deprecations and Decommissions", release notes of 2026-08-06). Registry rows
 * point here; the dates and replacements are as Concur prints them.
 */
const rn = (day: string) => concurDocUrl(`tools-support/release-notes/api/${day}.html`)

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
  status: 'decommissioned',
  deprecated: '2022-11-10',
  decommissioned: '2025-01-21',
  replacement: { api: 'User Provisioning v4', path: '/profile/v4/Users' },
  notice: concurDocUrl('api-reference/user/index.markdown'),
}

/** Lists v3.0: deprecated 2021-04-16. */
export const LISTS_V3: Lifecycle = {
  status: 'deprecated',
  deprecated: '2021-04-16',
  replacement: { api: 'List v4', path: '/list/v4/lists' },
  notice: concurDocUrl('api-reference/common/lists/v3.lists.markdown'),
}

/** List Items v3.0: deprecated 2021-04-16. */
export const LIST_ITEMS_V3: Lifecycle = {
  status: 'deprecated',
  deprecated: '2021-04-16',
  replacement: { api: 'List Item v4', path: '/list/v4/items' },
  notice: concurDocUrl('api-reference/common/list-item/v3.list-item.markdown'),
}

/** Locations v3.0: deprecated 2025-10-10. */
export const LOCATIONS_V3: Lifecycle = {
  status: 'deprecated',
  deprecated: '2025-10-10',
  replacement: { api: 'Localities v5', path: '/localities/v5/locations' },
  notice: rn('2025-10-02'),
}

/** Attendees v3.0: deprecated 2025-07-01. */
export const ATTENDEES_V3: Lifecycle = {
  status: 'deprecated',
  deprecated: '2025-07-01',
  replacement: { api: 'Attendees v4', path: '/v4/attendees' },
  notice: rn('2025-07-10'),
}

/** Attendee Types v3.0: deprecated 2025-07-01 (the page banner says 07/10/2025; the release note wins). */
export const ATTENDEE_TYPES_V3: Lifecycle = {
  status: 'deprecated',
  deprecated: '2025-07-01',
  replacement: { api: 'Attendee Types v4', path: '/v4/attendeetypes' },
  notice: rn('2025-07-10'),
}

/** Expense Group Configurations v3.0: deprecated 2025-06-26. */
export const GROUP_CONFIGURATIONS_V3: Lifecycle = {
  status: 'deprecated',
  deprecated: '2025-06-26',
  replacement: { api: 'Expense Configuration v4', path: '/expenseconfig/v4' },
  notice: concurDocUrl('api-reference/expense/expense-report/expense-group-configurations.markdown'),
}

/** "Expense v3 DELETE" (entries, itemizations): deprecated 2025-06-26. */
export const EXPENSE_V3_DELETE: Lifecycle = {
  status: 'deprecated',
  deprecated: '2025-06-26',
  replacement: { api: 'Expense v4', path: '/expensereports/v4' },
  notice: concurDocUrl('api-reference/expense/expense-report/expense-entry.markdown'),
}

/** Company Card Transactions v1.1 (`CardCharges`): deprecated 2026-06-08. */
export const CARD_CHARGES_V11: Lifecycle = {
  status: 'deprecated',
  deprecated: '2026-06-08',
  replacement: { api: 'Cards v4', path: '/cards/v4/users/{userId}/transactions' },
  notice: rn('2026-06-03'),
}

/**
 * Reports v2.0 list: deprecated without a date or a named replacement; Expense v4 is where
 * Concur's current report reads live (an inference, marked in the mock README).
 */
export const REPORTS_V2: Lifecycle = {
  status: 'deprecated',
  replacement: { api: 'Expense v4', path: '/expensereports/v4' },
  notice: concurDocUrl('api-reference/expense/expense-report/v2.reports.markdown'),
}

/** Report Details v2.0: deprecated without a date. */
export const REPORT_DETAILS_V2: Lifecycle = {
  status: 'deprecated',
  replacement: { api: 'Expense v4', path: '/expensereports/v4' },
  notice: concurDocUrl('api-reference/expense/expense-report/expense-report-get.markdown'),
}

/** Report Full Details v1.1 and Reports List v1.1: deprecated without a date. */
export const REPORTS_V11: Lifecycle = {
  status: 'deprecated',
  replacement: { api: 'Expense v4', path: '/expensereports/v4' },
  notice: concurDocUrl('api-reference/expense/expense-report/v1dot1.report-full-details.markdown'),
}
