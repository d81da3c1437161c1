export { verifyConcurEventSignature } from '@concurkit/contract'
export type { CardsV4Client, CardsV4TransactionQuery } from './cards-v4.js'
export type { CleanOptions } from './clean.js'
export {
  type Binary,
  type ConcurClient,
  type ConcurClientOptions,
  createConcurClient,
  type ExtractJob,
  type RelatedOptions,
  type ResourceAccessors,
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
} from './errors.js'
export { toChangeEvent } from './events/change.js'
export {
  type EventsCallOptions,
  getSubscription,
  listSubscriptions,
  listTopics,
  subscribe,
  unsubscribe,
} from './events/management.js'
export {
  createEventReceiver,
  type EventPublicKey,
  type EventReceiver,
  type EventReceiverOptions,
  type ReceivedEvent,
  type RejectedDelivery,
} from './events/receiver.js'
export type { ExpenseConfigV4Client } from './expense-config-v4.js'
export type {
  ExpenseV4CallOptions,
  ExpenseV4Client,
  ExpenseV4Discovery,
  ExpenseV4ReportRef,
  ExpenseV4ReportsOptions,
} from './expense-v4.js'
export type { ExpenseV4ExceptionScope, ExpenseV4PartsClient, ExpenseV4Target } from './expense-v4-parts.js'
export {
  type Checkpoint,
  type ExtractOptions,
  type ExtractProgress,
  type ExtractResult,
  extract,
} from './extract.js'
export type {
  ConnectorFilter,
  DateField,
  DateInput,
  FilterOf,
  FilterValue,
  FilterValueOf,
  ListFilter,
} from './filters.js'
export {
  type HttpLayerOptions,
  type RawResponse,
  type RetryOptions,
  type SendRequest,
  staticToken,
  type TokenSource,
  type Transport,
} from './http.js'
export {
  createIdentityClient,
  type IdentityClient,
  type IdentityClientOptions,
  type IdentityPage,
  type IdentityReadOptions,
  type IdentitySearchOptions,
} from './identity.js'
export type { DigestFilters, InvoiceClient, InvoiceImageFile, VendorQuery } from './invoice.js'
export type { ItineraryV4Client, ItineraryV4TripQuery } from './itinerary-v4.js'
export type { LocalitiesV5Client, LocalitiesV5LocationQuery } from './localities-v5.js'
export {
  type BulkInput,
  createProvisioningClient,
  type ProvisioningCallOptions,
  type ProvisioningClient,
  type ProvisioningClientOptions,
  type ProvisionStatusOptions,
  type WaitForProvisionOptions,
} from './provisioning.js'
export type { QuickExpenseV4Client } from './quick-expense-v4.js'
export type {
  DownloadedImage,
  PostedReceipt,
  ReceiptsV4Client,
  SpendDocumentsV4Client,
  UploadImage,
} from './receipts-v4.js'
export type { RequestV4CallOptions, RequestV4Client, RequestV4Query } from './request-v4.js'
export type {
  GetOptions,
  ItemOf,
  ListOptions,
  Page,
  RecordIterable,
  ResourceClient,
  ResourceClientOf,
} from './resource.js'
export {
  type ColumnType,
  type TableColumn,
  type TableRelation,
  type TableSource,
  type TableWriteResult,
  tableColumns,
  type WriteDuckDbOptions,
  type WriteParquetOptions,
  writeDuckDb,
  writeParquet,
} from './tables.js'
export { type ChangeEvent, type ChangeType, type ChangeWatcher, type WatchOptions, watch } from './watch.js'
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
export type { OutputFormat } from './writers.js'
