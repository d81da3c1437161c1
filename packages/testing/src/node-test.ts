import { after, before } from 'node:test'
import { handleWithHooks, type MockConcurHandle, type TestMockOptions } from './start.js'

/**
 * A mock of Concur for the current `node:test` file: started in `before` on free ports, closed in
 * `after`, with credentials, a signed-in token manager and a ready client.
 *
 * @example
 * import { test } from 'node:test'
 * import { useMockConcur } from '@concurkit/testing/node-test'
 * const concur = useMockConcur({ seed: 7 })
 * test('reads delegators', async () => {
 *   for await (const d of concur.client.expenseDelegators.list()) console.log(d)
 * })
 */
export function useMockConcur(options: TestMockOptions = {}): MockConcurHandle {
  return handleWithHooks(options, { before: (fn) => before(fn), after: (fn) => after(fn) })
}

export type {
  MockConcurHandle,
  TestCredentials,
  TestMockAdmin,
  TestMockOptions,
} from './start.js'
