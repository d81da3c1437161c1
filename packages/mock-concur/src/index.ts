export {
  DEFAULT_COMPANIES,
  DEFAULT_CREDENTIALS,
  DEFAULT_DATACENTERS,
  DEFAULT_SEED,
  DEFAULT_SIZE,
  type MockApp,
  type MockCompany,
  type MockRole,
  type MockUser,
} from './companies.js'
export { FaultInput, type FaultRule, MockConnectionReset } from './faults.js'
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
export { buildOpenApiDocument, type OpenApiOptions } from './openapi/document.js'
export {
  buildPostmanCollection,
  buildPostmanEnvironment,
  type PostmanCollectionOptions,
  type PostmanEnvironmentSource,
} from './postman/collection.js'
export type { Principal } from './principal.js'
export type { MockOptions } from './state.js'
export { MockTlsError, type MockTlsInfo, type MockTlsOptions } from './tls-types.js'
