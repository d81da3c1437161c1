export { createMockConcur, type ListenOptions, type RunningMock } from './mock.js'
