import { afterAll, beforeAll } from 'vitest'
import { handleWithHooks, type MockConcurHandle, type TestMockOptions } from './start.js'

/**
 * A mock of Concur for the current vitest file: started in `beforeAll` on free ports, closed in
 * `afterAll`, with credentials, a signed-in token manager and a ready client. Each file gets its own
 * mock (vitest isolates files), so tests in different files never share state.
 *
 * @example
 * import { useMockConcur } from '@concurkit/testing/vitest'
 * const concur = useMockConcur({ seed: 7, size: 20 })
 * it('reads card charges', async () => {
 *   let charges = 0
 *   for await (const _ of concur.client.companyCardTransactions.list()) charges++
 *   expect(charges).toBeGreaterThan(0)
 * })
 */
export function useMockConcur(options: TestMockOptions = {}): MockConcurHandle {
  return handleWithHooks(options, {
    before: (fn) => beforeAll(fn, 60_000),
    after: (fn) => afterAll(fn, 30_000),
  })
}

export type {
  MockConcurHandle,
  TestCredentials,
  TestMockAdmin,
  TestMockOptions,
} from './start.js'
