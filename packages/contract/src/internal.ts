/**
 * `@concurkit/contract/internal`: for concurkit's own packages; not covered by semver; may change in any
 * release. Users import from `@concurkit/contract` (see the package README).
 */
export {
  EVENT_NOTIFICATION_ELEMENTS,
  FAILED_NOTIFICATION_ELEMENTS,
  FETCH_ATTENDEE_XML,
  FETCH_LIST_ITEM_ELEMENTS,
  FETCH_LIST_REQUEST_ELEMENTS,
  FETCH_LIST_XML,
  fetchAttendeeRequestElements,
  fetchAttendeeResponseElements,
} from './callouts.js'
export { listV4ErrorId, requestV4ErrorCode } from './error-families.js'
export { firstPageParams, type JsonPage, readJsonPage, valueAt } from './paging.js'
export { defineResource } from './registry.js'
export {
  ATTENDEE_TYPE_V3_TO_V4,
  ATTENDEE_V3_TO_V4,
  attendeeTypesV4FromV3,
  attendeeTypeV4FromV3,
  attendeeV3WriteOfV4,
  attendeeV4FromV3,
  expenseTypesV4FromV3,
  groupConfigV4FromV3,
  groupV4FromV3,
  paymentTypesV4FromV3,
  policiesV4FromV3,
} from './resources/expense-config-v4.js'
export { expenseV4ReportFromV3, v3DateOf, v4DateOf, v4DateTimeOf } from './resources/expense-v4.js'
export { invoiceVendorsRow, paymentRequestDigestsRow, paymentRequestsRow } from './resources/invoice.js'
export {
  normalizeXmlNode,
  recordsAt,
  type XmlParserOptions,
  type XmlValue,
  type XmlWalkStep,
  xmlParserOptions,
} from './resources/legacy/xml.js'
export { describedByType } from './resources/receipts-v4.js'
