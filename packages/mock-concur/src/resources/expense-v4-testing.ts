import { createMockConcur, type MockConcur } from '../mock.js'
import { issueToken } from './v3-testing.js'

/** The Expense v4 base path. */
export const V4 = '/expensereports/v4'

/**
 * A fresh mock company for an Expense v4 test (seed 7, 60 users) and a company token: the arrange
 * step of the Expense v4 tests. Not part of the build.
 *
 * @example beforeEach(async () => ({ mock, company } = await freshExpenseV4Mock()))
 */
export async function freshExpenseV4Mock(): Promise<{ mock: MockConcur; company: string }> {
  const mock = createMockConcur({ seed: 7, size: 60, companies: 1, datacenters: ['us'] })
  return { mock, company: await issueToken(mock, { user: 'company' }) }
}

/** The company, user and long-URL helpers over the test's current mock. */
export function expenseV4Helpers(current: () => MockConcur) {
  const co = () => current().state.companies[0]!
  const user = (i: number) => current().state.user(co(), i)!
  const long = (u: number, ctx: string, rest = '') => `${V4}/users/${user(u).id}/context/${ctx}${rest}`
  return { co, user, long }
}

/** A JSON request of `method` with `body` (none when undefined). */
export const json = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
})
