export { createDatacenterApp } from './app.js'
export {
  ALL_APP_SCOPES,
  type CompanyDescription,
  companyAt,
  DEFAULT_COMPANIES,
  DEFAULT_CREDENTIALS,
  DEFAULT_DATACENTERS,
  DEFAULT_SEED,
  DEFAULT_SIZE,
  describeCompany,
  type MockApp,
  type MockCompany,
  type MockRole,
  type MockUser,
  userAt,
} from './companies.js'
export type { DcContext, MockEnv } from './context.js'
export {
  allocationAt,
  associationAt,
  attendeeAt,
  type Dataset,
  datasetOf,
  entryAt,
  itemizationAt,
  reportAt,
  reportCore,
} from './dataset/index.js'
export { publishReportChange, type ReportChange } from './events/reports.js'
export { type DeliveryLogEntry, type PublishInput, publishEvent } from './events/store.js'
export { FaultInput, type FaultRule, MockConnectionReset } from './faults.js'
export { ConcurHttpError } from './http/errors.js'
export type { JournalEntry } from './journal.js'
export {
  createMockConcur,
  describeMock,
  type ListenOptions,
  type MockConcur,
  type MockDescription,
  type MockUrls,
  type RunningMock,
} from './mock.js'
export { issueRequestToken } from './oauth/routes.js'
export { buildOpenApiDocument, type OpenApiOptions } from './openapi/document.js'
export {
  apiFamily,
  buildPostmanCollection,
  buildPostmanEnvironment,
  POSTMAN_SCHEMA,
  type PostmanCollectionOptions,
  type PostmanEnvironmentSource,
} from './postman/collection.js'
export type { Principal } from './principal.js'
export { manifestEntry, registerManifestResource, v3Records } from './resources/manifest.js'
export { encodeOffset } from './resources/offset.js'
export { type MockOptions, MockState } from './state.js'
export { MockTlsError, type MockTlsInfo, type MockTlsOptions } from './tls-types.js'
