export { createMockConcur, type ListenOptions, type RunningMock } from './mock.js'
export { MockTlsError, type MockTlsInfo, type MockTlsOptions } from './tls-types.js'
