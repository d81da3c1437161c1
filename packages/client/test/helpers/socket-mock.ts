import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll } from 'vitest'
import { type ConcurClient, createConcurClient } from '../../src/client.js'
import { staticToken } from '../../src/http.js'

/** Who a client or token acts as: user `i` of the mock's company, or the company itself. */
export type Actor = number | 'company'

/**
 * One mock company served over a real socket for the test file that calls it (started in
 * `beforeAll`, closed with every client in `afterAll`), with tokens minted by the mock itself: the
 * arrange step of the accessor tests that act as several users and as the company.
 *
 * @example
 * const { mock, clientOf } = useSocketMock({ seed: 31, size: 45 })
 * it('…', async () => { const company = await clientOf('company') })
 */
export function useSocketMock(options: { seed: number; size: number }) {
  const mock = createMockConcur({ ...options, companies: 1, datacenters: ['us'] })
  let running: RunningMock | undefined
  const clients: ConcurClient[] = []

  beforeAll(async () => {
    running = await mock.listen({ host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()))
    await running?.close()
  })

  /** The base URL of the company's datacenter on the listening socket. */
  const origin = (): string => {
    if (!running) throw new Error('useSocketMock: the mock is not listening yet (use it inside a test)')
    return running.datacenters.us!
  }

  async function tokenOf(actor: Actor): Promise<string> {
    const c = mock.state.companies[0]!
    const u = actor === 'company' ? undefined : mock.state.user(c, actor)
    const { token } = await mock.state.tokens.issueAccessToken({
      type: actor === 'company' ? 'company' : 'user',
      companyId: c.id,
      ...(u ? { userIndex: u.index } : {}),
      subject: u ? u.id : c.id,
      clientId: c.apps[0]!.clientId,
      scopes: [...c.apps[0]!.scopes],
      issuer: mock.state.baseUrl(c.datacenter),
    })
    return token
  }

  async function clientOf(actor: Actor): Promise<ConcurClient> {
    const client = createConcurClient({
      auth: staticToken(await tokenOf(actor), origin()),
      retry: { maxRetries: 0 },
    })
    clients.push(client)
    return client
  }

  return { mock, origin, tokenOf, clientOf }
}
