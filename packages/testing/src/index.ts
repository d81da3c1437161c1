export {
  handleWithHooks,
  type MockConcurHandle,
  MockNotStartedError,
  startTestMock,
  type TestCredentials,
  type TestMockAdmin,
  type TestMockConcur,
  type TestMockOptions,
} from './start.js'
