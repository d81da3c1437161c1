import type { FilterDefinition, FilterType } from '../registry.js'
import { defineResource, type ResourceDefinition } from '../registry.js'
import {
  ACTIVE,
  ATTENDEE_TYPES_V3,
  ATTENDEES_V3,
  EXPENSE_V3_DELETE,
  GROUP_CONFIGURATIONS_V3,
  LIST_ITEMS_V3,
  LISTS_V3,
  LOCATIONS_V3,
  USERS_V3,
} from './lifecycles.js'
import {
  AllocationItem,
  AttendeeItem,
  AttendeeTypeItem,
  EntryAttendeeAssociationItem,
  EntryItem,
  ExpenseGroupConfigurationItem,
  ItemizationItem,
  ListItem,
  ListItemItem,
  LocationItem,
  ReceiptImageItem,
  ReportItem,
  UserItem,
} from './v3-schemas.js'

/** v3.0 paging: `limit` default 25 (10 for expense group configurations), maximum 100 everywhere. */
const v3Paging = (defaultLimit = 25) => ({ kind: 'v3', defaultLimit, maxLimit: 100 }) as const

/** What a filter definition adds to its name, type and description. */
type FilterExtra = Partial<Pick<FilterDefinition, 'field' | 'op' | 'values'>>

/**
 * One documented filter. Generic with `const` parameters so the row keeps the literal name, type
 * and enum values (the client types `list()` filters from them).
 */
const f = <const P extends string, const T extends FilterType, const X extends FilterExtra = {}>(
  param: P,
  type: T,
  description: string,
  extra: X = {} as X,
): { readonly param: P; readonly type: T; readonly description: string } & X => ({
  param,
  type,
  description,
  ...extra,
})

/** The standard approval status codes of a report (custom codes exist in real companies). */
export const APPROVAL_STATUS_CODES = [
  'A_AAFH',
  'A_ACCO',
  'A_APPR',
  'A_EXTV',
  'A_FILE',
  'A_NOTF',
  'A_PBDG',
  'A_PECO',
  'A_PEND',
  'A_PVAL',
  'A_RESU',
  'A_RHLD',
  'A_TEXP',
] as const

/** Approval statuses in which a report is still its owner's to edit, submit or delete (not submitted, returned). */
export const UNSUBMITTED_APPROVAL_STATUSES = ['A_NOTF', 'A_RESU'] as const

/** Approval statuses of a report waiting in a workflow step: an approver may approve it or send it back. */
export const PENDING_APPROVAL_STATUSES = [
  'A_PEND',
  'A_FILE',
  'A_ACCO',
  'A_EXTV',
  'A_RHLD',
  'A_PBDG',
  'A_PECO',
  'A_PVAL',
  'A_AAFH',
] as const

/** The standard payment status codes of a report. */
export const PAYMENT_STATUS_CODES = ['P_HOLD', 'P_NOTP', 'P_PAID', 'P_PAYC', 'P_PROC'] as const

/** Reimbursement methods accepted by the v3.0 reports filter. */
export const REIMBURSEMENT_METHODS = ['ADPPAYR', 'APCHECK', 'CNQRPAY', 'PMTSERV'] as const

/** The `…Before`/`…After` pair of a v3.0 date filter (both `datetime`). */
const datePair = <const N extends string>(name: N, field: string | undefined, what: string) => {
  const on = field ? { field } : {}
  return [
    f(
      `${name}Before`,
      'datetime',
      `${what} before this date (exclusive); yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss.SSS`,
      {
        ...on,
        op: 'before',
      },
    ),
    f(
      `${name}After`,
      'datetime',
      `${what} on or after this date (inclusive); yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss.SSS`,
      {
        ...on,
        op: 'after',
      },
    ),
  ] as const
}

/** The list levels 1..10 of a list item. */
type ListLevel = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10

/** The `level1Code` … `level10Code` filters of list items. */
const levelCodeFilters = () =>
  Array.from({ length: 10 }, (_, i) => {
    const level = (i + 1) as ListLevel
    return f(`level${level}Code`, 'string', `Code at level ${level}`, {
      field: `Level${level}Code`,
      op: 'eq',
    })
  })

const NS = 'http://www.concursolutions.com/api/expense/expensereport/2011/03'

/** Registry row of `expense-reports`. */
export const expenseReports = defineResource({
  name: 'expense-reports',
  idScheme: { prefix: '' },
  title: 'Expense Reports',
  api: 'v3.0',
  path: '/api/v3.0/expense/reports',
  itemPath: '/api/v3.0/expense/reports/{id}',
  format: 'json+xml',
  paging: v3Paging(),
  scope: 'EXPRPT',
  item: ReportItem,
  idField: 'ID',
  userParam: 'user',
  adminOnly: false,
  modifiedField: 'LastModifiedDate',
  modifiedFilter: { after: 'modifiedDateAfter', before: 'modifiedDateBefore' },
  writes: ['create', 'update'],
  xml: { namespace: NS, listRoot: 'Reports', item: 'Report' },
  reference: 'C.1',
  lifecycle: ACTIVE,
  filters: [
    f('approvalStatusCode', 'enum', 'Approval status code (A_*)', {
      values: APPROVAL_STATUS_CODES,
      field: 'ApprovalStatusCode',
      op: 'eq',
    }),
    f('paymentStatusCode', 'enum', 'Payment status code (P_*)', {
      values: PAYMENT_STATUS_CODES,
      field: 'PaymentStatusCode',
      op: 'eq',
    }),
    f('currencyCode', 'string', 'ISO 4217 currency of the report', { field: 'CurrencyCode', op: 'eq' }),
    f('paymentType', 'string', 'ID of a payment type used by an entry of the report'),
    f('reimbursementMethod', 'enum', 'How the employee is reimbursed', { values: REIMBURSEMENT_METHODS }),
    f('approverLoginID', 'string', 'Login ID of the approver', { field: 'ApproverLoginID', op: 'eq' }),
    f('expenseTypeCode', 'string', 'Expense type code of an entry of the report'),
    f('attendeeTypeCode', 'string', 'Attendee type code of an attendee of the report'),
    f('countryCode', 'string', 'ISO 3166-1 alpha-2 country of the report', { field: 'Country', op: 'eq' }),
    f('batchID', 'string', 'Payment batch the report was paid in'),
    f('vendorName', 'string', 'Vendor of an entry of the report (VendorDescription)'),
    f('hasVAT', 'boolean', 'Whether an entry has VAT data'),
    f('hasImages', 'boolean', 'Whether an entry has a receipt image'),
    f('hasAttendees', 'boolean', 'Whether an entry has attendees'),
    f('hasBillableExpenses', 'boolean', 'Whether an entry is billable'),
    f('isTestUser', 'boolean', 'Whether the report owner is a test user'),
    f('expenseGroupConfigID', 'string', 'Expense group configuration of the report'),
    ...datePair('entryTransactionDate', undefined, 'An entry transaction date'),
    ...datePair('createDate', 'CreateDate', 'Report creation'),
    ...datePair('userDefinedDate', 'UserDefinedDate', 'User-defined report date'),
    ...datePair('submitDate', 'SubmitDate', 'Submission'),
    ...datePair('processingPaymentDate', 'ProcessingPaymentDate', 'Payment processing'),
    ...datePair('paidDate', 'PaidDate', 'Payment'),
    ...datePair('modifiedDate', 'LastModifiedDate', 'Last modification'),
  ],
})

/** Registry row of `expense-entries`. */
export const expenseEntries = defineResource({
  name: 'expense-entries',
  idScheme: { prefix: 'gWe' },
  title: 'Expense Entries',
  api: 'v3.0',
  path: '/api/v3.0/expense/entries',
  itemPath: '/api/v3.0/expense/entries/{id}',
  format: 'json+xml',
  paging: v3Paging(),
  scope: 'EXPRPT',
  item: EntryItem,
  idField: 'ID',
  userParam: 'user',
  adminOnly: false,
  modifiedField: 'LastModified',
  writes: ['create', 'update', 'delete'],
  xml: { namespace: NS, listRoot: 'Entries', item: 'Entry' },
  reference: 'C.2',
  lifecycle: ACTIVE,
  writeLifecycle: { delete: EXPENSE_V3_DELETE },
  filters: [
    f('reportID', 'string', 'The report the entries belong to', { field: 'ReportID', op: 'eq' }),
    f('paymentTypeID', 'string', 'Payment type ID', { field: 'PaymentTypeID', op: 'eq' }),
    f('batchID', 'string', 'Payment batch of the report'),
    f('isBillable', 'boolean', 'Billable entries', { field: 'IsBillable', op: 'eq' }),
    f('attendeeTypeCode', 'string', 'Attendee type code of an attendee of the entry'),
    f('hasAttendees', 'boolean', 'Entries with attendees', { field: 'HasAttendees', op: 'eq' }),
    f('hasVAT', 'boolean', 'Entries with VAT data', { field: 'HasVAT', op: 'eq' }),
    f('expenseTypeCode', 'string', 'Expense type code', { field: 'ExpenseTypeCode', op: 'eq' }),
    f('attendeeID', 'string', 'An attendee of the entry'),
  ],
})

/** Registry row of `expense-itemizations`. */
export const expenseItemizations = defineResource({
  name: 'expense-itemizations',
  idScheme: { prefix: 'gWi' },
  title: 'Expense Itemizations',
  api: 'v3.0',
  path: '/api/v3.0/expense/itemizations',
  itemPath: '/api/v3.0/expense/itemizations/{id}',
  format: 'json+xml',
  paging: v3Paging(),
  scope: 'EXPRPT',
  item: ItemizationItem,
  idField: 'ID',
  userParam: 'user',
  adminOnly: false,
  modifiedField: 'LastModified',
  writes: ['create', 'update', 'delete'],
  xml: { namespace: NS, listRoot: 'Itemizations', item: 'Itemization' },
  reference: 'C.3',
  lifecycle: ACTIVE,
  writeLifecycle: { delete: EXPENSE_V3_DELETE },
  filters: [
    f('reportID', 'string', 'The report', { field: 'ReportID', op: 'eq' }),
    f('entryID', 'string', 'The parent entry', { field: 'EntryID', op: 'eq' }),
    f('expenseTypeCode', 'string', 'Expense type code', { field: 'ExpenseTypeCode', op: 'eq' }),
  ],
})

/** Registry row of `expense-allocations`. */
export const expenseAllocations = defineResource({
  name: 'expense-allocations',
  idScheme: { prefix: 'gWa' },
  title: 'Expense Allocations',
  api: 'v3.0',
  path: '/api/v3.0/expense/allocations',
  itemPath: '/api/v3.0/expense/allocations/{id}',
  format: 'json+xml',
  paging: v3Paging(),
  scope: 'EXPRPT',
  item: AllocationItem,
  idField: 'ID',
  userParam: 'user',
  adminOnly: false,
  writes: [],
  xml: { namespace: NS, listRoot: 'Allocations', item: 'Allocation' },
  reference: 'C.4',
  lifecycle: ACTIVE,
  filters: [
    f('reportID', 'string', 'The report (max 32 characters)'),
    f('entryID', 'string', 'The entry the allocation belongs to', { field: 'EntryID', op: 'eq' }),
    f('itemizationID', 'string', 'The itemization the allocation belongs to', {
      field: 'EntryID',
      op: 'eq',
    }),
  ],
})

/** Registry row of `expense-attendees`. */
export const expenseAttendees = defineResource({
  name: 'expense-attendees',
  idScheme: { prefix: 'gWt' },
  title: 'Expense Attendees',
  api: 'v3.0',
  path: '/api/v3.0/expense/attendees',
  itemPath: '/api/v3.0/expense/attendees/{id}',
  format: 'json+xml',
  paging: v3Paging(),
  scope: 'ATTEND',
  item: AttendeeItem,
  idField: 'ID',
  userParam: 'user',
  adminOnly: false,
  writes: ['create', 'update', 'delete'],
  xml: { namespace: NS, listRoot: 'Attendees', item: 'Attendee' },
  reference: 'C.5',
  lifecycle: ATTENDEES_V3,
  filters: [
    f('externalID', 'csv', 'Up to 10 external IDs, comma-separated', { field: 'ExternalID', op: 'in' }),
    f('attendeeTypeID', 'string', 'Attendee type ID', { field: 'AttendeeTypeID', op: 'eq' }),
  ],
})

/** Registry row of `expense-attendee-types`. */
export const expenseAttendeeTypes = defineResource({
  name: 'expense-attendee-types',
  idScheme: { prefix: 'gWy' },
  title: 'Expense Attendee Types',
  api: 'v3.0',
  path: '/api/v3.0/expense/attendeetypes',
  itemPath: '/api/v3.0/expense/attendeetypes/{id}',
  format: 'json+xml',
  paging: v3Paging(),
  scope: 'ATTEND',
  item: AttendeeTypeItem,
  idField: 'ID',
  adminOnly: false,
  writes: ['create', 'update', 'delete'],
  xml: { namespace: NS, listRoot: 'AttendeeTypes', item: 'AttendeeType' },
  reference: 'C.6',
  lifecycle: ATTENDEE_TYPES_V3,
  filters: [],
})

/** Registry row of `entry-attendee-associations`. */
export const entryAttendeeAssociations = defineResource({
  name: 'entry-attendee-associations',
  idScheme: { prefix: 'gWs' },
  title: 'Entry Attendee Associations',
  api: 'v3.0',
  path: '/api/v3.0/expense/entryattendeeassociations',
  itemPath: '/api/v3.0/expense/entryattendeeassociations/{id}',
  format: 'json+xml',
  paging: v3Paging(),
  scope: 'ATTEND',
  item: EntryAttendeeAssociationItem,
  idField: 'ID',
  userParam: 'user',
  adminOnly: false,
  writes: ['create', 'update', 'delete'],
  xml: { namespace: NS, listRoot: 'EntryAttendeeAssociations', item: 'EntryAttendeeAssociation' },
  reference: 'C.7',
  lifecycle: ACTIVE,
  filters: [f('entryID', 'string', 'The entry', { field: 'EntryID', op: 'eq' })],
})

/** Registry row of `expense-group-configurations`. */
export const expenseGroupConfigurations = defineResource({
  name: 'expense-group-configurations',
  idScheme: { prefix: 'gWg' },
  title: 'Expense Group Configurations',
  api: 'v3.0',
  path: '/api/v3.0/expense/expensegroupconfigurations',
  itemPath: '/api/v3.0/expense/expensegroupconfigurations/{id}',
  format: 'json+xml',
  paging: v3Paging(10),
  scope: 'EXPRPT',
  item: ExpenseGroupConfigurationItem,
  idField: 'ID',
  userParam: 'user',
  adminOnly: false,
  writes: [],
  xml: { namespace: NS, listRoot: 'ExpenseGroupConfigurations', item: 'ExpenseGroupConfiguration' },
  reference: 'C.8',
  lifecycle: GROUP_CONFIGURATIONS_V3,
  filters: [],
})

/** Registry row of `receipt-images`. */
export const receiptImages = defineResource({
  name: 'receipt-images',
  idScheme: { prefix: 'gWr' },
  title: 'Receipt Images',
  api: 'v3.0',
  path: '/api/v3.0/expense/receiptimages',
  itemPath: '/api/v3.0/expense/receiptimages/{id}',
  format: 'json+xml',
  paging: v3Paging(),
  scope: 'IMAGE',
  item: ReceiptImageItem,
  idField: 'ID',
  userParam: 'user',
  adminOnly: false,
  writes: ['create', 'update', 'delete'],
  xml: {
    namespace: 'http://www.concursolutions.com/api/image/2011/02',
    listRoot: 'ReceiptImages',
    item: 'ReceiptImage',
  },
  reference: 'C.9',
  lifecycle: ACTIVE,
  filters: [],
})

/** Registry row of `user-information`. */
export const userInformation = defineResource({
  name: 'user-information',
  idScheme: { prefix: 'gWu' },
  title: 'User Information',
  api: 'v3.0',
  path: '/api/v3.0/common/users',
  itemPath: '/api/v3.0/common/users/{id}',
  format: 'json+xml',
  paging: v3Paging(),
  scope: 'USER',
  item: UserItem,
  idField: 'ID',
  adminOnly: false,
  writes: [],
  xml: { namespace: 'http://www.concursolutions.com/api/user/2011/02', listRoot: 'Users', item: 'User' },
  reference: 'C.10',
  lifecycle: USERS_V3,
  filters: [
    f('primaryEmail', 'string', 'Primary e-mail address (case-insensitive)', {
      field: 'PrimaryEmail',
      op: 'ieq',
    }),
    f('employeeID', 'string', 'Employee ID', { field: 'EmployeeID', op: 'eq' }),
    f('user', 'string', 'Login ID (case-insensitive)', { field: 'LoginID', op: 'ieq' }),
    f('lastName', 'string', 'Last name', { field: 'LastName', op: 'eq' }),
    f('active', 'boolean', 'Active users', { field: 'Active', op: 'eq' }),
  ],
})

/** Registry row of `list-items`. */
export const listItems = defineResource({
  name: 'list-items',
  idScheme: { prefix: 'gWk' },
  title: 'List Items',
  api: 'v3.0',
  path: '/api/v3.0/common/listitems',
  itemPath: '/api/v3.0/common/listitems/{id}',
  format: 'json+xml',
  paging: v3Paging(),
  scope: 'LIST',
  item: ListItemItem,
  idField: 'ID',
  adminOnly: false,
  writes: ['create', 'update', 'delete'],
  xml: {
    namespace: 'http://www.concursolutions.com/api/common/list/2011/02',
    listRoot: 'ListItems',
    item: 'ListItem',
  },
  reference: 'C.11',
  lifecycle: LIST_ITEMS_V3,
  filters: [
    f('listId', 'string', 'The list', { field: 'ListID', op: 'eq' }),
    f('name', 'string', 'Item name (case-insensitive)', { field: 'Name', op: 'ieq' }),
    f('parentId', 'string', 'Parent item', { field: 'ParentID', op: 'eq' }),
    ...levelCodeFilters(),
  ],
  related: [
    {
      key: 'lists',
      idScheme: { prefix: 'gWl' },
      lifecycle: LISTS_V3,
      title: 'Lists',
      path: '/api/v3.0/common/lists',
      itemPath: '/api/v3.0/common/lists/{id}',
      paging: v3Paging(),
      scope: 'LIST',
      item: ListItem,
      idField: 'ID',
      filters: [],
      writes: ['create', 'update'],
      xml: {
        namespace: 'http://www.concursolutions.com/api/common/list/2011/02',
        listRoot: 'Lists',
        item: 'List',
      },
    },
  ],
})

/** Registry row of `locations`. */
export const locations = defineResource({
  name: 'locations',
  idScheme: { prefix: 'gWc' },
  title: 'Locations',
  api: 'v3.0',
  path: '/api/v3.0/common/locations',
  itemPath: '/api/v3.0/common/locations/{id}',
  format: 'json+xml',
  paging: v3Paging(),
  scope: 'LIST',
  item: LocationItem,
  idField: 'ID',
  adminOnly: false,
  writes: [],
  xml: {
    namespace: 'http://www.concursolutions.com/api/common/location/2011/02',
    listRoot: 'Locations',
    item: 'Location',
  },
  reference: 'C.12',
  lifecycle: LOCATIONS_V3,
  filters: [
    f('name', 'string', 'Location name (case-insensitive)', { field: 'Name', op: 'ieq' }),
    f('city', 'string', 'City (case-insensitive; the part of Name before the comma)'),
    f('countrySubdivision', 'string', 'ISO 3166-2 subdivision, e.g. US-WA', {
      field: 'CountrySubdivision',
      op: 'eq',
    }),
    f('country', 'string', 'ISO 3166-1 alpha-2 country', { field: 'Country', op: 'eq' }),
    f('administrativeRegion', 'string', 'Administrative region', {
      field: 'AdministrativeRegion',
      op: 'eq',
    }),
  ],
})

/** Registry rows of the v3.0 (JSON + XML) resources. */
export const V3_RESOURCES: readonly ResourceDefinition[] = [
  expenseReports,
  expenseEntries,
  expenseItemizations,
  expenseAllocations,
  expenseAttendees,
  expenseAttendeeTypes,
  entryAttendeeAssociations,
  expenseGroupConfigurations,
  receiptImages,
  userInformation,
  listItems,
  locations,
]
