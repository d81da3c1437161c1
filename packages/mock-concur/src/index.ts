export { createDatacenterApp } from './app.js'
export {
  ALL_APP_SCOPES,
  companyAt,
  DEFAULT_COMPANIES,
  DEFAULT_CREDENTIALS,
  DEFAULT_DATACENTERS,
  DEFAULT_SEED,
  DEFAULT_SIZE,
  type MockApp,
  type MockCompany,
  type MockRole,
  type MockUser,
  userAt,
} from './companies.js'
export type { DcContext, MockEnv } from './context.js'
export { ConcurHttpError } from './http/errors.js'
export {
  createMockConcur,
  type ListenOptions,
  type MockConcur,
  type MockUrls,
  type RunningMock,
} from './mock.js'
export type { Principal } from './principal.js'
export { type MockOptions, MockState } from './state.js'
