import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ConcurClientError, ConcurRequestError, createConcurClient, staticToken } from '../src/index.ts'
import { type MockFixture, startMock } from './helpers/mock.ts'

let m: MockFixture
beforeAll(async () => {
  m = await startMock({ seed: 31, size: 60 })
})
afterAll(async () => {
  await m.close()
})
beforeEach(() => {
  m.mock.state.reset()
})

const all = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

const company = () => m.mock.state.companies[0]!

/** A client holding a company JWT of the mock company (over the socket). */
async function companyClient(retry = { minTimeout: 1, maxTimeout: 5_000, maxRetries: 3, jitter: 0 }) {
  const c = company()
  const { token } = await m.mock.state.tokens.issueAccessToken({
    type: 'company',
    companyId: c.id,
    subject: c.id,
    clientId: c.apps[0]!.clientId,
    scopes: [...c.apps[0]!.scopes],
    issuer: m.baseUrl,
  })
  return createConcurClient({ auth: staticToken(token), baseUrl: m.baseUrl, http: m.http, retry })
}

describe('client.cardsV4 over a socket', () => {
  it('walks a user’s transactions by nextPageToken (same records whatever the page size)', async () => {
    for (const u of [0, 1, 2, 3]) {
      const client = await m.client({ userIndex: u })
      const userId = m.mock.state.user(company(), u)!.id
      const whole = await all(client.cardsV4.transactions(userId))
      const pages = await all(client.cardsV4.transactionPages(userId, { pageSize: 1 }))
      expect(pages.flatMap((p) => p.transactions)).toEqual(whole)
      expect(pages.length).toBe(Math.max(1, whole.length))
      expect(pages.at(-1)?.paging.nextPageToken).toBeNull()
      expect(whole.every((t) => t.companyId === company().id)).toBe(true)
    }
  })

  it('posts a bulk with a company token and reads its status; Cards errors (an array) reach the error', async () => {
    const client = await companyClient()
    const accepted = await client.cardsV4.postTransactions(company().id, [
      {
        account: { externalId: 'acct-9' },
        externalId: 'tx-1',
        merchant: { name: 'ACME' },
        postedAmount: { currencyCode: 'USD', value: 1 },
        postedDate: '2024-08-19',
        transactionAmount: { currencyCode: 'USD', value: 1 },
        transactionDate: '2024-08-17',
        type: 'RPE',
      },
    ])
    expect((await client.cardsV4.bulkRequest(company().id, accepted.requestId)).status).toBe('IN_PROGRESS')
    const err = (await client.cardsV4
      .postTransactions(company().id, [{ bad: true } as never])
      .catch((e: unknown) => e)) as ConcurRequestError
    expect(err).toBeInstanceOf(ConcurRequestError)
    expect(err.status).toBe(400)
    expect(err.concurCode).toBe('invalidRequest')
    expect(err.attempts).toBe(1) // a POST is never retried
    await expect(client.cardsV4.postTransactions(company().id, [])).rejects.toBeInstanceOf(ConcurClientError)
    await expect(all(client.cardsV4.transactions('x', { pageSize: 500 }))).rejects.toBeInstanceOf(
      ConcurClientError,
    )
  })
})

describe('client.itineraryV4 over a socket', () => {
  it('reads every trip id page by page and each trip by its id', async () => {
    const client = await companyClient()
    const ids = await all(client.itineraryV4.tripIds())
    expect(ids.length).toBeGreaterThan(10)
    expect(ids.length).toBeLessThanOrEqual(90) // ≤ 9 pages: inside the 10-a-minute limit
    const trip = await client.itineraryV4.trip(ids[0]!.id)
    expect(trip.id).toBe(ids[0]!.href)
    expect(trip.ItinLocator).toMatch(/^[0-9A-Za-z]{33}$/)
  })

  it('backs off as the 503 Retry-After says when the 10-a-minute limit is reached, then gets the page', async () => {
    const client = await companyClient()
    const direct = await companyClient({ minTimeout: 1, maxTimeout: 1, maxRetries: 0, jitter: 0 })
    for (let i = 0; i < 10; i++) await direct.transport.send({ url: '/travel/v4/trips' }, (r) => r.status)
    // 59 s later on the mock's clock the window still holds ten requests: one more second to wait
    m.mock.state.clock.advance(59)
    const before = client.transport.stats.retries
    const started = performance.now()
    const first = await client.transport.send({ url: '/travel/v4/trips' }, (r) => r.status)
    const waited = performance.now() - started
    expect(first).toBe(200)
    expect(client.transport.stats.retries - before).toBe(1)
    expect(waited).toBeGreaterThanOrEqual(990) // Retry-After: 1 → at least one second
    expect(waited).toBeLessThan(4_000)
    const statuses = m.mock.state.journal
      .list()
      .filter((e) => e.path === '/travel/v4/trips')
      .map((e) => e.status)
    expect(statuses.slice(-2)).toEqual([503, 200])
  })

  it('gives up with the documented 503 and Concur’s error code when the wait exceeds its retry budget', async () => {
    const direct = await companyClient({ minTimeout: 1, maxTimeout: 1, maxRetries: 0, jitter: 0 })
    for (let i = 0; i < 10; i++) await direct.transport.send({ url: '/travel/v4/trips' }, (r) => r.status)
    const client = await companyClient({ minTimeout: 1, maxTimeout: 10, maxRetries: 2, jitter: 0 })
    const err = (await all(client.itineraryV4.tripIds()).catch((e: unknown) => e)) as ConcurRequestError
    expect(err).toBeInstanceOf(ConcurRequestError)
    expect(err.status).toBe(503)
    expect(err.concurCode).toBe('rateLimitExceeded')
    expect(err.attempts).toBe(3)
  })
})

describe('the card-transactions and itineraries registry rows', () => {
  it('walk through client.resource() to the same records as the family accessors', async () => {
    for (const u of [1, 2]) {
      const client = await m.client({ userIndex: u })
      const userId = m.mock.state.user(company(), u)!.id
      const viaRow = await client.resource('card-transactions').list({ userId }).toArray()
      expect(viaRow).toEqual(await all(client.cardsV4.transactions(userId)))
      const manifest = await m.manifest('card-transactions', {
        user: m.mock.state.user(company(), u)!.loginId,
      })
      expect(viaRow).toHaveLength(manifest.count)
    }
    const co = await companyClient()
    const trips = await co.resource('itineraries').list().toArray()
    expect(trips).toEqual(await all(co.itineraryV4.tripIds()))
    expect(trips).toHaveLength((await m.manifest('itineraries')).count)
  })
})

describe('client.localitiesV5 over a socket', () => {
  it('finds a location by code and by id, and walks a country’s subdivisions and regions', async () => {
    const client = await m.client()
    const [sea] = await client.localitiesV5.locations({ locCode: 'USSEA' })
    expect(sea?.names[0]?.name).toBe('Seattle')
    expect(await client.localitiesV5.location(sea!.id)).toEqual(sea)
    const countries = await client.localitiesV5.countries()
    expect(countries.map((c) => c.code)).toContain('DE')
    const subs = await client.localitiesV5.subdivisions('US')
    const regions = await client.localitiesV5.adminRegions('US', subs[0]!.code)
    expect(regions.every((r) => r.subDivision?.code === subs[0]!.code)).toBe(true)
    expect(() =>
      client.localitiesV5.locations({ locCode: 'A', searchText: 'b' } as never),
    ).rejects.toBeInstanceOf(ConcurClientError)
  })
})
