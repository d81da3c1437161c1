import { defineResource, type ResourceDefinition } from '../registry.js'
import type { ResourceName } from './index.js'
import {
  CardCharge,
  Delegator,
  EXPENSE_V11_HTTPS_NAMESPACE,
  EXPENSE_V11_NAMESPACE,
  EXPENSE_V20_DETAILS_NAMESPACE,
  EXPENSE_V20_LIST_NAMESPACE,
  ExpenseFormRecord,
  ReportDetails,
  ReportSummary,
  V2_REPORT_STATUSES,
} from './legacy/expense.js'
import { EXTRACT_NAMESPACE, ExtractDefinition, ExtractJob } from './legacy/extract.js'
import { ItineraryInfo, TRIP_BOOKING_TYPES, TRIP_NAMESPACE } from './legacy/travel.js'
import type { LegacyEndpoint, LegacyXmlMapping } from './legacy/xml.js'
import { ACTIVE, CARD_CHARGES_V11, REPORT_DETAILS_V2, REPORTS_V2 } from './lifecycles.js'

const V11 = '/api/expense/expensereport/v1.1'
const V20 = '/api/expense/expensereport/v2.0'
const EXTRACT = '/api/expense/extract/v1.0'
const TRIPS = '/api/travel/trip/v1.1'

/**
 * v1.1 report full details (the event-notification target): a v2.0 report under the v1.1 element
 * names. Served with `expense-reports-detail`.
 */
export const REPORT_FULL_DETAILS_PATH = `${V11}/reportfulldetails/{ReportKey}`

/**
 * v1.1 report workflow action: `POST` an approve or send-back on a report (scope `EXPRPT`). Not a
 * collection (no records of its own): it changes the reports the v3.0 and v2.0 rows read. Concur's
 * pages spell the last segment both `WorkFlowAction` and `WorkflowAction`.
 *
 * @example
 * REPORT_WORKFLOW_ACTION.path // '/api/expense/expensereport/v1.1/report/{ReportID}/WorkFlowAction'
 */
export const REPORT_WORKFLOW_ACTION = {
  method: 'POST',
  path: `${V11}/report/{ReportID}/WorkFlowAction`,
  aliases: [`${V11}/report/{ReportID}/WorkflowAction`],
  root: 'ActionStatus',
  namespace: EXPENSE_V11_NAMESPACE,
  requestRoot: 'WorkflowAction',
  scope: 'EXPRPT',
} as const satisfies LegacyEndpoint

/** v2.0 `ReimbursementMethod` values (the v2.0 page spells the ADP one `ADPPAY`). */
export const V2_REIMBURSEMENT_METHODS = ['ADPPAY', 'APCHECK', 'CNQRPAY', 'PMTSERV'] as const

/** Registry row of `company-card-transactions`. */
export const companyCardTransactions = defineResource({
  name: 'company-card-transactions',
  title: 'Company Card Transactions',
  api: 'v1.1',
  path: `${V11}/CardCharges`,
  format: 'xml',
  paging: { kind: 'none' },
  scope: 'CCARD',
  item: CardCharge,
  idField: 'CardNumber',
  keyFields: ['CardNumber', 'TransactionDate', 'Merchant', 'TransactionAmount'],
  filters: [],
  adminOnly: false,
  writes: [],
  xml: { namespace: EXPENSE_V11_HTTPS_NAMESPACE, listRoot: 'CardCharges', item: 'CardCharge' },
  reference: 'C.13',
  lifecycle: CARD_CHARGES_V11,
})

/** Registry row of `expense-delegators`. */
export const expenseDelegators = defineResource({
  name: 'expense-delegators',
  title: 'Expense Delegators',
  api: 'v1.1',
  path: `${V11}/Delegators`,
  format: 'xml',
  paging: { kind: 'none' },
  scope: 'EXPRPT',
  item: Delegator,
  idField: 'DelegatorXUserID',
  filters: [],
  adminOnly: false,
  writes: [],
  xml: { namespace: EXPENSE_V11_NAMESPACE, listRoot: 'DelegatorsList', item: 'Delegator' },
  reference: 'C.14',
  lifecycle: ACTIVE,
})

/** Registry row of `expense-form`. */
export const expenseForm = defineResource({
  name: 'expense-form',
  title: 'Expense Form',
  api: 'v1.1',
  path: `${V11}/report/Form/{FormId}/Fields`,
  format: 'xml',
  paging: { kind: 'none' },
  scope: 'EXPRPT',
  item: ExpenseFormRecord,
  idField: 'FormId',
  keyFields: ['FormId', 'Id'],
  filters: [],
  adminOnly: false,
  writes: [],
  xml: { namespace: EXPENSE_V11_HTTPS_NAMESPACE, listRoot: 'FormFieldsList', item: 'FormField' },
  reference: 'C.15',
  lifecycle: ACTIVE,
})

/** Registry row of `reports-detail`. */
export const reportsDetail = defineResource({
  name: 'reports-detail',
  title: 'Reports Detail',
  api: 'v2.0',
  path: `${V20}/Reports/`,
  format: 'xml',
  paging: { kind: 'none', cap: 1000 },
  scope: 'EXPRPT',
  item: ReportSummary,
  idField: 'ReportId',
  filters: [
    {
      param: 'Status',
      type: 'enum',
      values: V2_REPORT_STATUSES,
      description: 'Report status group (default ACTIVE); see the mock README for the code sets',
    },
    {
      param: 'LoginID',
      type: 'string',
      field: 'ExpenseUserLoginID',
      op: 'ieq',
      description: "The report owner's login ID",
    },
    {
      param: 'ModifiedAfterDate',
      type: 'datetime',
      description: 'Reports last modified at or after this UTC time (YYYY-MM-DDThh:mm:ss)',
    },
    {
      param: 'ModifiedBeforeDate',
      type: 'datetime',
      description: 'Reports last modified before this UTC time (YYYY-MM-DDThh:mm:ss)',
    },
    { param: 'BatchID', type: 'string', description: 'Payment batch the report is in' },
    {
      param: 'ReportCurrency',
      type: 'string',
      field: 'ReportCurrency',
      op: 'eq',
      description: 'ISO 4217 currency of the report',
    },
    { param: 'PaymentTypeID', type: 'string', description: 'Reports with an entry of this payment type' },
    {
      param: 'ReimbursementMethod',
      type: 'enum',
      values: V2_REIMBURSEMENT_METHODS,
      description: "The owner's reimbursement method",
    },
    { param: 'ReportCountry', type: 'string', description: 'ISO 3166-1 alpha-2 country of the report' },
    { param: 'HasAttendees', type: 'boolean', description: 'Only `true`: reports with attendees' },
    { param: 'JobKey', type: 'string', description: 'Reports extracted by this extract job' },
  ],
  userParam: 'LoginID',
  adminOnly: true,
  modifiedFilter: { after: 'ModifiedAfterDate', before: 'ModifiedBeforeDate' },
  writes: [],
  xml: { namespace: EXPENSE_V20_LIST_NAMESPACE, listRoot: 'ReportsList', item: 'ReportSummary' },
  reference: 'C.16',
  lifecycle: REPORTS_V2,
})

/** Registry row of `expense-reports-detail`. */
export const expenseReportsDetail = defineResource({
  name: 'expense-reports-detail',
  title: 'Expense Reports Detail',
  api: 'v2.0',
  path: `${V20}/report/{ReportID}`,
  itemPath: `${V20}/report/{ReportID}`,
  format: 'xml',
  paging: { kind: 'fanout', from: 'expense-reports' },
  scope: 'EXPRPT',
  item: ReportDetails,
  idField: 'ReportID',
  filters: [],
  adminOnly: false,
  writes: [],
  xml: { namespace: EXPENSE_V20_DETAILS_NAMESPACE, listRoot: 'ReportDetails', item: 'ReportDetails' },
  reference: 'C.16',
  lifecycle: REPORT_DETAILS_V2,
})

/** Registry row of `extract-definitions`. */
export const extractDefinitions = defineResource({
  name: 'extract-definitions',
  title: 'Extract Definitions',
  api: 'v1.0',
  path: `${EXTRACT}/`,
  itemPath: `${EXTRACT}/{DefinitionID}`,
  format: 'xml',
  paging: { kind: 'none' },
  scope: 'EXTRCT',
  item: ExtractDefinition,
  idField: 'id',
  filters: [],
  adminOnly: true,
  writes: [],
  xml: { namespace: EXTRACT_NAMESPACE, listRoot: 'definitions', item: 'definition' },
  reference: 'C.17',
  lifecycle: ACTIVE,
})

/** Registry row of `extract-jobs`. */
export const extractJobs = defineResource({
  name: 'extract-jobs',
  title: 'Extract Jobs',
  api: 'v1.0',
  path: `${EXTRACT}/{DefinitionID}/job`,
  itemPath: `${EXTRACT}/{DefinitionID}/job/{JobID}`,
  format: 'xml',
  paging: { kind: 'fanout', from: 'extract-definitions' },
  scope: 'EXTRCT',
  item: ExtractJob,
  idField: 'id',
  filters: [],
  adminOnly: true,
  modifiedField: 'start-time',
  writes: ['create'],
  xml: { namespace: EXTRACT_NAMESPACE, listRoot: 'jobs', item: 'job' },
  reference: 'C.17',
  lifecycle: ACTIVE,
})

/** Registry row of `travel-itineraries`. */
export const travelItineraries = defineResource({
  name: 'travel-itineraries',
  title: 'Travel Itineraries',
  api: 'v1.1',
  path: `${TRIPS}/`,
  itemPath: `${TRIPS}/{tripId}`,
  format: 'xml',
  paging: { kind: 'trips', defaultItemsPerPage: 200, maxItemsPerPage: 1000 },
  scope: 'ITINER',
  item: ItineraryInfo,
  idField: 'TripId',
  filters: [
    {
      param: 'startDate',
      type: 'date',
      field: 'EndDateLocal',
      op: 'after',
      description: 'Trips ending on or after this date (YYYY-MM-DD or YYYY/MM/DD); default today − 30 days',
    },
    {
      param: 'endDate',
      type: 'date',
      field: 'StartDateLocal',
      op: 'before',
      description: 'Trips starting on or before this date; default today + 12 months',
    },
    { param: 'createdAfterDate', type: 'date', description: 'Trips created on or after this date' },
    { param: 'createdBeforeDate', type: 'date', description: 'Trips created on or before this date' },
    {
      param: 'lastModifiedDate',
      type: 'datetime',
      field: 'DateModifiedUtc',
      op: 'after',
      description: 'Trips modified on or after this date or date-time',
    },
    {
      param: 'bookingType',
      type: 'enum',
      values: TRIP_BOOKING_TYPES,
      description: 'Trips holding a booking of this type',
    },
    { param: 'userid_type', type: 'enum', values: ['login'], description: 'Always `login`' },
    {
      param: 'userid_value',
      type: 'string',
      field: 'UserLoginId',
      op: 'ieq',
      description: 'Login ID of the traveller, or `ALL` (administrators only)',
    },
    {
      param: 'includeCanceledTrips',
      type: 'boolean',
      description: 'Also return canceled trips (adds `TripStatus`)',
    },
    { param: 'includeVirtualTrip', type: 'int', description: '`1`: also return virtual trips' },
    { param: 'includeGuestBookings', type: 'boolean', description: 'Also return guest bookings' },
  ],
  userParam: 'userid_value',
  adminOnly: false,
  modifiedField: 'DateModifiedUtc',
  modifiedFilter: { after: 'lastModifiedDate' },
  writes: [],
  xml: { namespace: TRIP_NAMESPACE, listRoot: 'ItineraryInfoList', item: 'ItineraryInfo' },
  reference: 'C.18',
  lifecycle: ACTIVE,
})

/** Registry rows of the XML-only resources (v1.0, v1.1, v2.0, extract, trips). */
export const LEGACY_RESOURCES: readonly ResourceDefinition[] = [
  companyCardTransactions,
  expenseDelegators,
  expenseForm,
  reportsDetail,
  expenseReportsDetail,
  extractDefinitions,
  extractJobs,
  travelItineraries,
]

const V2_DETAIL_ARRAYS = ['ExpenseEntry', 'Itemization', 'Allocation', 'Attendee', 'VATData'] as const

/**
 * How each XML-only resource is read with the shared parsing convention (see `xmlParserOptions` and
 * `normalizeXmlNode`): where its records sit, which elements repeat, which may be nil, what identifies
 * a record, and for multi-call resources how to walk to them.
 *
 * @example
 * LEGACY_XML_MAPPINGS['company-card-transactions'].listPath // ['CardCharges', 'CardCharge']
 */
export const LEGACY_XML_MAPPINGS: Readonly<Partial<Record<ResourceName, LegacyXmlMapping>>> = {
  'company-card-transactions': {
    listPath: ['CardCharges', 'CardCharge'],
    arrays: ['CardCharge'],
    nillable: [],
    key: ['CardNumber', 'TransactionDate', 'Merchant', 'TransactionAmount'],
    perUser: true,
  },
  'expense-delegators': {
    listPath: ['DelegatorsList', 'Delegator'],
    arrays: ['Delegator'],
    nillable: [],
    key: ['DelegatorXUserID'],
    perUser: true,
  },
  'expense-form': {
    listPath: ['FormFieldsList', 'FormField'],
    arrays: ['FormType', 'FormData', 'FormField'],
    nillable: [],
    key: ['FormId', 'Id'],
    walk: [
      {
        path: `${V11}/report/Forms`,
        listPath: ['FormTypesList', 'FormType'],
        carry: { FormCode: 'FormCode', FormTypeName: 'Name' },
        namespace: EXPENSE_V11_NAMESPACE,
      },
      {
        path: `${V11}/report/Forms/{FormCode}`,
        listPath: ['FormDataList', 'FormData'],
        carry: { FormId: 'FormId', FormName: 'Name' },
        namespace: EXPENSE_V11_NAMESPACE,
      },
      {
        path: `${V11}/report/Form/{FormId}/Fields`,
        listPath: ['FormFieldsList', 'FormField'],
        // The swagger spells it `report/Forms/{FormId}/Fields`.
        aliases: [`${V11}/report/Forms/{FormId}/Fields`],
      },
    ],
  },
  'reports-detail': {
    listPath: ['ReportsList', 'ReportSummary'],
    arrays: ['ReportSummary'],
    nillable: [],
    key: ['ReportId'],
    completeQueries: [{ Status: 'ACTIVE' }, { Status: 'PAYMENTCONFIRMED' }],
    partition: { after: 'ModifiedAfterDate', before: 'ModifiedBeforeDate', format: 'datetime' },
  },
  'expense-reports-detail': {
    listPath: ['ReportDetails'],
    itemRoot: 'ReportDetails',
    arrays: V2_DETAIL_ARRAYS,
    containers: {
      ExpenseEntriesList: 'ExpenseEntry',
      ItemizationsList: 'Itemization',
      AllocationsList: 'Allocation',
      AttendeesList: 'Attendee',
      VATDataList: 'VATData',
    },
    nillable: ['SubmitDate', 'PaidDate', 'ProcessingPaymentDate'],
    key: ['ReportID'],
    fanout: { param: 'ReportID', from: 'ID', take: 'value' },
    endpoints: {
      // The v1.1 names of the same report; the namespace is declared with the `ns` prefix.
      fullDetails: {
        method: 'GET',
        path: REPORT_FULL_DETAILS_PATH,
        root: 'ReportDetails',
        namespace: EXPENSE_V11_NAMESPACE,
      },
    },
  },
  'extract-definitions': {
    listPath: ['definitions', 'definition'],
    itemRoot: 'definition',
    arrays: ['definition'],
    nillable: [],
    key: ['id'],
  },
  'extract-jobs': {
    listPath: ['jobs', 'job'],
    itemRoot: 'job',
    arrays: ['job'],
    nillable: [],
    key: ['id'],
    fanout: { param: 'DefinitionID', from: 'id', take: 'lastPathSegment' },
    endpoints: {
      status: { method: 'GET', path: `${EXTRACT}/{DefinitionID}/job/{JobID}/status`, root: 'job' },
      file: { method: 'GET', path: `${EXTRACT}/{DefinitionID}/job/{JobID}/file` },
    },
  },
  'travel-itineraries': {
    listPath: ['ItineraryInfoList', 'ItineraryInfo'],
    pagedListPath: ['ConnectResponse', 'Data', 'ItineraryInfoList', 'ItineraryInfo'],
    itemRoot: 'Itinerary',
    arrays: [
      'ItineraryInfo',
      'Booking',
      'Passenger',
      'Air',
      'Car',
      'Hotel',
      'Rail',
      'Dining',
      'Parking',
      'Ride',
      'Fixed',
      'Rate',
      'RateWithAllowance',
    ],
    containers: { Passengers: 'Passenger', Bookings: 'Booking' },
    nillable: [],
    key: ['TripId'],
    completeQueries: [
      {
        userid_type: 'login',
        userid_value: 'ALL',
        startDate: '1900-01-01',
        endDate: '2099-12-31',
        includeCanceledTrips: 'true',
        includeVirtualTrip: '1',
        includeGuestBookings: 'true',
      },
    ],
  },
}
