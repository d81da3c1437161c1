import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handleWithHooks, MockNotStartedError } from './start.js'

// `@concurkit/testing/node-test` wires the same handle to node:test's before/after; here the hooks
// are vitest's so the handle's life cycle is checked in this suite (the examples run real node:test).
const hooks = {
  before: (fn: () => Promise<void>) => beforeAll(fn),
  after: (fn: () => Promise<void>) => afterAll(fn),
}
const early = handleWithHooks({ seed: 3, size: 4 }, { before: () => {}, after: () => {} })
const concur = handleWithHooks({ seed: 3, size: 4, as: 'user' }, hooks)

describe('handleWithHooks', () => {
  it('throws a coded error when read before the before-all hook ran', () => {
    expect(() => early.client).toThrow(MockNotStartedError)
    try {
      void early.credentials
    } catch (err) {
      expect((err as MockNotStartedError).code).toBe('CONCUR_MOCK_NOT_STARTED')
    }
  })

  it('serves the started mock inside tests', async () => {
    expect(concur.credentials.username).toBe(concur.mock.state.companies[0]!.users[2]!.loginId)
    expect(await concur.tokens.getAccessToken()).toMatch(/^ey/)
  })
})
