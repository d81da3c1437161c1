export { type CleanOptions, cleanRecord, dropNulls, flattenCustomFields } from './clean.js'
export {
  type Binary,
  type ConcurClient,
  type ConcurClientOptions,
  createConcurClient,
  type ExtractJob,
  type RelatedOptions,
  type ResourceAccessors,
  toExtractJob,
  type WaitForOptions,
} from './client.js'
export {
  type Changes,
  type ChangesOptions,
  type CursorStore,
  changesSince,
  fileCursorStore,
  memoryCursorStore,
  SyncCursor,
  syncResource,
} from './cursor.js'
export type { DeprecationListener, ReceivedDeprecation } from './deprecation.js'
export {
  CLIENT_ERROR_CODES,
  type ClientErrorCode,
  ConcurClientError,
  ConcurRequestError,
  type RequestDescription,
  type RequestErrorDetails,
} from './errors.js'
export {
  Checkpoint,
  type ExtractOptions,
  type ExtractProgress,
  type ExtractResult,
  extract,
} from './extract.js'
export {
  buildQuery,
  type ConnectorFilter,
  type DateField,
  type DateInput,
  dateRangeParams,
  type FilterOf,
  type FilterValue,
  type FilterValueOf,
  formatDate,
  type ListFilter,
  resolveDate,
} from './filters.js'
export {
  backoffDelay,
  createDispatcher,
  createTransport,
  type DispatcherOptions,
  type HttpLayerOptions,
  isHttpLayer,
  parseErrorBody,
  type RawResponse,
  RETRY_STATUS,
  RETRYABLE_400,
  type RetryOptions,
  type SendRequest,
  staticToken,
  type TokenSource,
  type Transport,
  type TransportOptions,
} from './http.js'
export { createLimit, mapLimit } from './limit.js'
export { type ParsedPage, parseItem, parseJson, parseListPage, parseXml, validateItem } from './parse.js'
export {
  createResourceClient,
  type GetOptions,
  type ItemOf,
  type ListOptions,
  type Page,
  type RecordIterable,
  type ResourceClient,
  type ResourceClientOf,
} from './resource.js'
export {
  type ChangeEvent,
  type ChangeType,
  type ChangeWatcher,
  changeEventId,
  parseDuration,
  type WatchOptions,
  watch,
} from './watch.js'
export {
  type AckableEvents,
  type DeliverableEvent,
  type DeliverEventsOptions,
  type DeliverWebhooksOptions,
  type DeliveryAttempt,
  type DeliveryResult,
  deliverEvents,
  deliverWebhooks,
  type HeaderSource,
  signWebhook,
  type VerifyWebhookOptions,
  verifyWebhookSignature,
  WEBHOOK_ATTEMPT_HEADER,
  WEBHOOK_EVENT_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_SIGNATURE_REASONS,
  WebhookAttemptError,
  WebhookDeliveryError,
  type WebhookSignatureReason,
  type WebhookVerification,
} from './webhook.js'
export { createEncoder, type OutputFormat, type RecordEncoder, schemaColumns } from './writers.js'
