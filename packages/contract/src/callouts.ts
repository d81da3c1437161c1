import { z } from 'zod'

/**
 * Callouts (Concur → a customer's "application connector"): request and response shapes as parsed
 * objects, plus the XML element names and order needed to write them exactly as Concur does.
 *
 * @see reference section D; examples `callout-*.xml`
 */

/** Default paths of a connector (configurable per connector in Concur). */
export const CALLOUT_PATHS = Object.freeze({
  testConnection: '/system/v1.0/testconnection',
  fetchAttendee: '/concur/attendee/v2.0/fetch',
  fetchAttendeeV1: '/concur/attendee/v1.0/fetch',
  fetchList: '/concur/list/v1.2/fetch',
  notify: '/concur/v1.0/notify',
  launchExternalUrlV1: '/concur/form/v1.0/get',
  launchExternalUrlV4: '/launchexternalurl/v4/form',
})

/** The callouts a connector may serve. */
export const CalloutName = z.enum(['fetchAttendee', 'fetchList', 'notify', 'launchExternalUrl'])
export type CalloutName = z.infer<typeof CalloutName>

// ---------------------------------------------------------------------------------------------
// Fetch Attendee (v2.0 / v1.0)

/** Fetch Attendee version: v2.0 by default; v1.0 when the configured path says `v1.0`. */
export const AttendeeCalloutVersion = z.enum(['1.0', '2.0'])
export type AttendeeCalloutVersion = z.infer<typeof AttendeeCalloutVersion>

type Digit1to20 = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20
/** `Custom1`..`Custom20`: both versions. */
export type CustomFieldV1 = `Custom${Digit1to20}`
/** `Custom21`..`Custom25`: v2.0 only. */
export type CustomFieldV2Only = `Custom${21 | 22 | 23 | 24 | 25}`

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)
/** Custom fields of Fetch Attendee v1.0 (`Custom1`..`Custom20`). */
export const ATTENDEE_CUSTOM_FIELDS_V1 = Object.freeze(
  range(1, 20).map((i) => `Custom${i}`),
) as readonly CustomFieldV1[]
/** Custom fields added by Fetch Attendee v2.0 (`Custom21`..`Custom25`). */
export const ATTENDEE_CUSTOM_FIELDS_V2_ONLY = Object.freeze(
  range(21, 25).map((i) => `Custom${i}`),
) as readonly CustomFieldV2Only[]

const text = (max: number) => z.string().max(max)
const customShape = <K extends string>(keys: readonly K[], max: number, optional: boolean): unknown =>
  Object.fromEntries(keys.map((k) => [k, optional ? text(max).optional() : text(max)]))

/**
 * An attendee search as Concur sends it (`<AttendeeSearchRequest><Attendee>`): the values typed on
 * the search form; blanks arrive as empty strings. `Custom21`..`Custom25` only in v2.0.
 *
 * @example
 * FetchAttendeeRequest.parse({ version: '2.0', LastName: 'Miller', MaximumNumberRecords: 500, ... })
 */
export const FetchAttendeeRequest = z.object({
  version: AttendeeCalloutVersion,
  AttendeeTypeCode: text(8),
  FirstName: text(50),
  MiddleInitial: text(1),
  LastName: text(132),
  Suffix: text(32),
  Title: text(32),
  Company: text(150),
  ExternalID: text(48),
  OwnerLoginID: text(255),
  MaximumNumberRecords: z.number().int().min(0),
  ...(customShape(ATTENDEE_CUSTOM_FIELDS_V1, 100, false) as Record<CustomFieldV1, z.ZodString>),
  ...(customShape(ATTENDEE_CUSTOM_FIELDS_V2_ONLY, 48, true) as Record<
    CustomFieldV2Only,
    z.ZodOptional<z.ZodString>
  >),
})
export type FetchAttendeeRequest = z.infer<typeof FetchAttendeeRequest>

/**
 * One attendee of a Fetch Attendee answer. Concur requires every element in the XML; empty
 * values are allowed except `ExternalID`, `FirstName` and `LastName`. Omitted fields default to ''.
 *
 * @example
 * CalloutAttendee.parse({ ExternalID: '1234567890', FirstName: 'Chris', LastName: 'Miller' })
 */
export const CalloutAttendee = z.object({
  ExternalID: z.string().min(1).max(32),
  FirstName: z.string().min(1).max(50),
  MiddleInitial: text(1).default(''),
  LastName: z.string().min(1).max(132),
  Suffix: text(32).default(''),
  Company: text(150).default(''),
  AttendeeTypeCode: text(8).default(''),
  Title: text(32).default(''),
  ...(Object.fromEntries(ATTENDEE_CUSTOM_FIELDS_V1.map((k) => [k, text(100).default('')])) as Record<
    CustomFieldV1,
    z.ZodDefault<z.ZodString>
  >),
  ...(Object.fromEntries(ATTENDEE_CUSTOM_FIELDS_V2_ONLY.map((k) => [k, text(48).default('')])) as Record<
    CustomFieldV2Only,
    z.ZodDefault<z.ZodString>
  >),
})
export type CalloutAttendee = z.infer<typeof CalloutAttendee>
/** What a handler may return for one attendee (defaults filled in). */
export type CalloutAttendeeInput = z.input<typeof CalloutAttendee>

/**
 * A Fetch Attendee answer: zero or more attendees (`<AttendeeSearchResponse/>` when none).
 *
 * @example
 * FetchAttendeeResponse.parse({ attendees: [] })
 */
export const FetchAttendeeResponse = z.object({ attendees: z.array(CalloutAttendee) })
export type FetchAttendeeResponse = z.infer<typeof FetchAttendeeResponse>

/** Element names/order of a Fetch Attendee request (`AttendeeSearchRequest` / `Attendee`). */
export function fetchAttendeeRequestElements(version: AttendeeCalloutVersion): readonly string[] {
  return [
    'AttendeeTypeCode',
    'FirstName',
    'MiddleInitial',
    'LastName',
    'Suffix',
    'Title',
    'Company',
    'ExternalID',
    'OwnerLoginID',
    'MaximumNumberRecords',
    ...ATTENDEE_CUSTOM_FIELDS_V1,
    ...(version === '2.0' ? ATTENDEE_CUSTOM_FIELDS_V2_ONLY : []),
  ]
}

/** Element names/order of one `Attendee` of a Fetch Attendee response. */
export function fetchAttendeeResponseElements(version: AttendeeCalloutVersion): readonly string[] {
  return [
    'ExternalID',
    'FirstName',
    'MiddleInitial',
    'LastName',
    'Suffix',
    'Company',
    'AttendeeTypeCode',
    'Title',
    ...ATTENDEE_CUSTOM_FIELDS_V1,
    ...(version === '2.0' ? ATTENDEE_CUSTOM_FIELDS_V2_ONLY : []),
  ]
}

/** Root/record element names of Fetch Attendee. */
export const FETCH_ATTENDEE_XML = Object.freeze({
  requestRoot: 'AttendeeSearchRequest',
  responseRoot: 'AttendeeSearchResponse',
  record: 'Attendee',
})

// ---------------------------------------------------------------------------------------------
// Fetch List (v1.2)

/**
 * A connected-list lookup as Concur sends it (`<fetch-list-request>`). `codeByLevel` holds
 * `<level1>`.. of multi-level lists and is absent for single-level lists.
 *
 * @example
 * FetchListRequest.parse({ longCode: '', shortCode: '', query: 'Alph*', searchBy: 'TEXT', langCode: 'EN', numToReturn: 80, ... })
 */
export const FetchListRequest = z.object({
  longCode: z.string(),
  shortCode: z.string(),
  query: z.string(),
  searchBy: z.enum(['TEXT', 'CODE']),
  langCode: z.string().max(2),
  numToReturn: z.number().int().min(0).max(100),
  protectedListKey: z.string(),
  listName: z.string(),
  connectorVersion: z.string(),
  configOptions: z.string(),
  codeByLevel: z.array(z.string()).optional(),
})
export type FetchListRequest = z.infer<typeof FetchListRequest>

/** `[property, XML element]` pairs of a Fetch List request, in Concur's order (`code-by-level` last). */
export const FETCH_LIST_REQUEST_ELEMENTS = Object.freeze([
  ['longCode', 'long-code'],
  ['shortCode', 'short-code'],
  ['query', 'query'],
  ['searchBy', 'search-by'],
  ['langCode', 'lang-code'],
  ['numToReturn', 'num-to-return'],
  ['protectedListKey', 'protected-list-key'],
  ['listName', 'list-name'],
  ['connectorVersion', 'connector-version'],
  ['configOptions', 'config-options'],
] as const)

/**
 * One list item of a Fetch List answer. `code` is the request's long-code + `-` + the item's short-code.
 *
 * @example
 * FetchListItem.parse({ code: 'US-W-CA-SF', shortCode: 'SF', text: 'San Francisco', matchValue: 'San Francisco' })
 */
export const FetchListItem = z.object({
  code: z.string().min(1),
  shortCode: z.string().min(1),
  text: z.string(),
  matchValue: z.string(),
})
export type FetchListItem = z.infer<typeof FetchListItem>

/** A Fetch List answer (`<fetch-list-response>` with `<item>`s). */
export const FetchListResponse = z.object({ items: z.array(FetchListItem) })
export type FetchListResponse = z.infer<typeof FetchListResponse>

/** `[property, XML element]` pairs of one `<item>`, in Concur's order. */
export const FETCH_LIST_ITEM_ELEMENTS = Object.freeze([
  ['code', 'code'],
  ['shortCode', 'short-code'],
  ['text', 'text'],
  ['matchValue', 'match-value'],
] as const)

/** Root/record element names of Fetch List. */
export const FETCH_LIST_XML = Object.freeze({
  requestRoot: 'fetch-list-request',
  responseRoot: 'fetch-list-response',
  record: 'item',
  codeByLevel: 'code-by-level',
})

// ---------------------------------------------------------------------------------------------
// Event Notification (v1.0)

/** Object types an event notification names. */
export const NotificationObjectType = z.enum(['EXPRPT', 'TRAVELREQ'])
export type NotificationObjectType = z.infer<typeof NotificationObjectType>

/**
 * An event notification (`<Notification>`), e.g. a report entering the submit workflow step.
 *
 * @example
 * EventNotification.parse({ EventType: 'Report Entered Expense Report Workflow Step - SUBMIT', ObjectType: 'EXPRPT',
 *   ObjectURI: 'https://www.concursolutions.com/api/expense/expensereport/v1.1/reportfulldetails/KEY', EventDateTime: '2012-05-01', Context: '' })
 */
export const EventNotification = z.object({
  EventType: z.string().min(1),
  ObjectType: NotificationObjectType,
  ObjectURI: z.string().min(1),
  EventDateTime: z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/, 'expected YYYY-MM-DD'),
  Context: z.string(),
})
export type EventNotification = z.infer<typeof EventNotification>

/** Element names/order of `<Notification>`. */
export const EVENT_NOTIFICATION_ELEMENTS = Object.freeze([
  'EventType',
  'ObjectType',
  'ObjectURI',
  'EventDateTime',
  'Context',
] as const)

/** Namespace of the failed-notification list (`GET /api/platform/notifications/v1.0/notification`). */
export const NOTIFICATION_LIST_NAMESPACE = 'http://www.concursolutions.com/api/notification/2012/06'

/**
 * One failed notification as `GET /api/platform/notifications/v1.0/notification?status=FAILED` lists it.
 *
 * @example
 * FailedNotification.parse({ Context: null, EventDateTime: '2012-11-14T19:45:25', EventType: '...', NotificationURI: '...', ObjectType: 'EXPRPT', ObjectURI: '...' })
 */
export const FailedNotification = z.object({
  Context: z.string().nullable(),
  EventDateTime: z.string(),
  EventType: z.string(),
  NotificationURI: z.string(),
  ObjectType: z.string(),
  ObjectURI: z.string(),
})
export type FailedNotification = z.infer<typeof FailedNotification>

/** The JSON form of the failed-notification list. */
export const FailedNotificationList = z.array(FailedNotification)
export type FailedNotificationList = z.infer<typeof FailedNotificationList>

/** Element order of a failed `<Notification>` (alphabetical, as in the example). */
export const FAILED_NOTIFICATION_ELEMENTS = Object.freeze([
  'Context',
  'EventDateTime',
  'EventType',
  'NotificationURI',
  'ObjectType',
  'ObjectURI',
] as const)

// ---------------------------------------------------------------------------------------------
// Launch External URL (v1: HMAC-SHA1, v4: HMAC-SHA256)

/**
 * Query of a Launch External URL v1 request (`GET /concur/form/v1.0/get?...`).
 *
 * @example
 * LaunchExternalUrlV1Query.parse({ xcompanydomain: 'example.com', xuserid: 'cm@example.com', itemurl: 'https://…', nonce: 'n', signature: 'base64' })
 */
export const LaunchExternalUrlV1Query = z.object({
  xcompanydomain: z.string(),
  xuserid: z.string(),
  itemurl: z.string(),
  nonce: z.string().min(1),
  signature: z.string().min(1),
})
export type LaunchExternalUrlV1Query = z.infer<typeof LaunchExternalUrlV1Query>

/** Where a v4 launch happened on the report. */
export const LaunchSource = z.enum(['HEADER', 'ENTRY', 'ALLOCATION'])
export type LaunchSource = z.infer<typeof LaunchSource>

/**
 * Query of a Launch External URL v4 request (`GET /launchexternalurl/v4/form?...`).
 *
 * @example
 * LaunchExternalUrlV4Query.parse({ logged_in_user_id: 'u', report_owner_user_id: 'u', report_owner_employee_id: 'e',
 *   company_domain: 'example.com', item_url: 'https://…', source: 'HEADER', nonce: 'n', signature: 'base64' })
 */
export const LaunchExternalUrlV4Query = z.object({
  logged_in_user_id: z.string(),
  report_owner_user_id: z.string(),
  report_owner_employee_id: z.string(),
  company_domain: z.string(),
  item_url: z.string(),
  custom_field_launched_from: z.string().optional(),
  expense_ids: z.string().optional(),
  source: LaunchSource,
  is_mobile: z.enum(['true', 'false']).optional(),
  signature: z.string().min(1),
  nonce: z.string().min(1),
  client_auth_code: z.string().optional(),
  language_code: z.string().optional(),
})
export type LaunchExternalUrlV4Query = z.infer<typeof LaunchExternalUrlV4Query>

/**
 * Fields that make up the signed base string, in order; the connector user, password and nonce
 * follow them (base string = fields + user + password + nonce; key = lowercase(user) + password).
 */
export const LAUNCH_URL_SIGNED_FIELDS = Object.freeze({
  v1: ['xcompanydomain', 'xuserid', 'itemurl'] as const,
  v4: [
    'company_domain',
    'logged_in_user_id',
    'report_owner_user_id',
    'report_owner_employee_id',
    'item_url',
  ] as const,
})

// ---------------------------------------------------------------------------------------------
// The mock's connector registry ("Manage Application Connectors")

/** Concur's rule for connector user names and passwords (enforced since 2021-02-20). */
const credential = z.string().min(10).max(50)

/** A connector path: absolute, no query. */
const calloutPath = z
  .string()
  .regex(/^\/[A-Za-z0-9._~\-/]*$/, 'a path such as /concur/v1.0/notify')
  .max(300)

/**
 * Registration of an application connector with the mock (`POST /_mock/connectors`).
 *
 * @example
 * ConnectorRegistration.parse({ name: 'HR', url: 'https://127.0.0.1:8443', user: 'concur-user', password: 'secret-secret',
 *   callouts: { fetchAttendee: '/concur/attendee/v2.0/fetch' } })
 */
export const ConnectorRegistration = z.strictObject({
  name: z.string().min(1).max(100),
  description: z.string().max(500).optional(),
  url: z
    .string()
    .url()
    .refine((u) => u.startsWith('https://'), 'Concur calls connectors over HTTPS only'),
  user: credential,
  password: credential,
  callouts: z
    .strictObject({
      fetchAttendee: calloutPath.optional(),
      fetchList: calloutPath.optional(),
      notify: calloutPath.optional(),
      launchExternalUrl: calloutPath.optional(),
    })
    .default({}),
  /** PEM of the CA (or self-signed certificate) the connector's TLS certificate chains to. */
  ca: z.string().max(100_000).optional(),
  /** Company the connector belongs to (default: the first company of the datacenter). */
  company: z.string().optional(),
  /** Time Concur waits for an answer (ms, default 10000; Concur allows up to 60 s). */
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
})
export type ConnectorRegistration = z.infer<typeof ConnectorRegistration>

/**
 * A registered connector as the mock shows it (never the password).
 *
 * @example
 * ConnectorView.parse({ id: 'c1', name: 'HR', url: 'https://…', user: 'concur-user', callouts: {}, company: '…', verified: true, createdAt: '…' })
 */
export const ConnectorView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  url: z.string(),
  user: z.string(),
  callouts: z.object({
    fetchAttendee: z.string().optional(),
    fetchList: z.string().optional(),
    notify: z.string().optional(),
    launchExternalUrl: z.string().optional(),
  }),
  company: z.string(),
  verified: z.boolean(),
  createdAt: z.string(),
  timeoutMs: z.number().int(),
})
export type ConnectorView = z.infer<typeof ConnectorView>

/** How one call to a connector ended. */
export const CalloutOutcome = z.enum(['ok', 'http-error', 'invalid', 'network', 'timeout'])
export type CalloutOutcome = z.infer<typeof CalloutOutcome>

/**
 * The result of one call Concur (or the mock, or `callout test`) made to a connector.
 *
 * @example
 * CalloutExchangeResult.parse({ callout: 'fetchList', path: '/concur/list/v1.2/fetch', outcome: 'ok', status: 200, durationMs: 3 })
 */
export const CalloutExchangeResult = z.object({
  callout: z.enum(['testConnection', 'fetchAttendee', 'fetchList', 'notify', 'launchExternalUrl']),
  path: z.string(),
  outcome: CalloutOutcome,
  status: z.number().int().optional(),
  durationMs: z.number(),
  /** Why the answer is not valid (never a secret). */
  problem: z.string().optional(),
  /** The XML element at fault, when the answer is malformed or incomplete. */
  element: z.string().optional(),
  /** The parsed, validated answer. */
  value: z.unknown().optional(),
})
export type CalloutExchangeResult = z.infer<typeof CalloutExchangeResult>
