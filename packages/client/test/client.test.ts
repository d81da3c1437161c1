import { createHash } from 'node:crypto'
import { createServer } from 'node:net'
import { ConcurNetworkError, createHttp } from '@concurkit/auth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropNulls, flattenCustomFields } from '../src/clean.ts'
import {
  ConcurClientError,
  ConcurRequestError,
  changesSince,
  createConcurClient,
  memoryCursorStore,
  syncResource,
  type TokenSource,
} from '../src/index.ts'
import { buildQuery } from '../src/internal.ts'
import { startThings, THINGS, type ThingsServer } from './helpers/things.ts'

const FAST = { minTimeout: 1, maxTimeout: 5, maxRetries: 12, jitter: 0.5 }

function tokenSource(initial = 'good'): TokenSource & { refreshes: number } {
  let token = initial
  const src = {
    refreshes: 0,
    getAccessToken: async () => token,
    forceRefresh: async () => {
      src.refreshes += 1
      token = 'good'
      return token
    },
  }
  return src
}

function checksum(records: unknown[]): string {
  const h = createHash('sha256')
  for (const r of records) h.update(`${JSON.stringify(r)}\n`)
  return h.digest('hex')
}

describe('client against a Concur-like server', () => {
  let s: ThingsServer
  beforeAll(async () => {
    s = await startThings(2_345)
  })
  afterAll(() => s.close())
  const client = (extra: Partial<Parameters<typeof createConcurClient>[0]> = {}) =>
    createConcurClient({ auth: tokenSource(), baseUrl: s.url, resources: [THINGS], retry: FAST, ...extra })

  it('walks every page (NextPage) at the maximum page size, each record once', async () => {
    const c = client()
    const pages = []
    for await (const p of c.expenseEntries.pages()) pages.push(p)
    expect(pages.length).toBe(Math.ceil(2_345 / 100))
    expect(pages[0]!.items.length).toBe(100)
    const all = pages.flatMap((p) => p.items)
    expect(new Set(all.map((r) => r.ID)).size).toBe(2_345)
    const expected = Array.from({ length: 2_345 }, (_, i) => s.record(i))
    expect(checksum(all)).toBe(checksum(expected))
    await c.close()
  })

  it('gets one record and maps filters onto documented parameters', async () => {
    const c = client()
    const r = await c.expenseEntries.get('T0000007')
    expect(r.ID).toBe('T0000007')
    const users = await c.expenseEntries.list({ user: 'user2@example.com' }).toArray()
    expect(users.length).toBe(469)
    // The test server's rows (`resources` replaces the registry's) carry fields the registry's entry
    // schema does not document; a record is read as a plain one for them.
    expect(users.every((u: Record<string, unknown>) => u.OwnerLoginID === 'user2@example.com')).toBe(true)
    const day = await c.expenseEntries.list({ dateField: 'createDate', on: '2024-03-01' }).toArray()
    expect(day.length).toBeGreaterThan(0)
    expect(day.every((d: Record<string, unknown>) => String(d.CreateDate).startsWith('2024-03-01'))).toBe(
      true,
    )
    await c.close()
  })

  it('buildQuery: connector filters → After/Before, relative ranges, validation', () => {
    const now = new Date('2024-05-20T12:00:00Z')
    expect(buildQuery(THINGS, { dateField: 'createDate', on: '2024-05-01' }, now)).toEqual({
      createDateAfter: '2024-05-01T00:00:00',
      createDateBefore: '2024-05-02T00:00:00',
    })
    expect(buildQuery(THINGS, { dateField: 'createDate', from: '10d', to: '5d' }, now)).toEqual({
      createDateAfter: '2024-05-10T00:00:00',
      createDateBefore: '2024-05-15T00:00:00',
    })
    expect(buildQuery(THINGS, { daysBack: 3, user: 'ALL', hasVAT: true }, now)).toEqual({
      modifiedDateAfter: '2024-05-17T00:00:00',
      user: 'ALL',
      hasVAT: 'true',
    })
    expect(() => buildQuery(THINGS, { nope: 'x' })).toThrow(/no filter "nope"; documented: createDateAfter/)
    expect(() => buildQuery(THINGS, { dateField: 'createDate', from: 'yesterday' })).toThrow(/not a date/)
    expect(() => buildQuery(THINGS, { hasVAT: 'maybe' })).toThrow(/true or false/)
  })

  it('a non-retryable 4xx fails at once with a typed error naming the request, not the token', async () => {
    const c = client()
    const err = await c.expenseEntries.get('T9999999').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConcurRequestError)
    const e = err as ConcurRequestError
    expect(e.code).toBe('CONCUR_HTTP_ERROR')
    expect(e.status).toBe(404)
    expect(e.concurMessage).toBe('Not Found')
    expect(e.concurCode).toBe('E404')
    expect(e.correlationId).toBe('corr-1234')
    expect(e.attempts).toBe(1)
    expect(e.message).toContain('GET /api/v3.0/test/things/T9999999 → 404: Not Found')
    expect(e.message).not.toContain('good')
    const bad = await c.expenseEntries
      .list({}, { limit: 101 })
      .toArray()
      .catch((x: unknown) => x)
    expect(ConcurClientError.is(bad) && bad.code).toBe('CONCUR_INVALID_ARGUMENT')
    await c.close()
  })

  it('refreshes once on 403 (expired token) and retries', async () => {
    const auth = tokenSource('expired')
    const c = createConcurClient({ auth, baseUrl: s.url, resources: [THINGS], retry: FAST })
    const r = await c.expenseEntries.get('T0000001')
    expect(r.ID).toBe('T0000001')
    expect(auth.refreshes).toBe(1)
    await c.close()
  })

  it('cleans records: dropNulls and flattenCustomFields', async () => {
    const c = client({ dropNulls: true, flattenCustomFields: true })
    const r = await c.expenseEntries.get('T0000001')
    expect(r.Custom1).toBe('C1')
    expect('Comment' in r).toBe(false)
    // A call's option overrides the client's; the other one still applies.
    const kept = await c.expenseEntries.get('T0000001', { dropNulls: false })
    expect((kept as Record<string, unknown>).Comment).toBeNull()
    expect(kept.Custom1).toBe('C1')
    const plain = client()
    const raw = await plain.expenseEntries.get('T0000001')
    expect((raw as Record<string, unknown>).Comment).toBeNull()
    expect(raw.Custom1).not.toBe('C1')
    await plain.close()
    expect(dropNulls({ a: null, b: [{ c: null, d: 1 }] })).toEqual({ b: [{ d: 1 }] })
    expect(flattenCustomFields({ Custom2: { Type: 'List', Value: 'x', Code: 'X' } })).toEqual({
      Custom2: 'x',
    })
    await c.close()
  })

  it('incremental: a second sync returns exactly the added and modified records', async () => {
    const local = await startThings(500)
    const c = createConcurClient({
      auth: tokenSource(),
      baseUrl: local.url,
      resources: [THINGS],
      retry: FAST,
    })
    const store = memoryCursorStore()
    const first = await syncResource(c.expenseEntries, { store })
    expect(first.records).toBe(500)
    const again = await syncResource(c.expenseEntries, { store })
    expect(again.records).toBe(0)
    // Two records share the new high-water mark; one is modified, one added.
    local.modify(3, '2025-02-01T10:00:00')
    local.modify(250, '2025-02-01T09:00:00')
    const added = local.add('2025-02-01T10:00:00')
    const seen: string[] = []
    const second = await syncResource(c.expenseEntries, {
      store,
      onRecords: (rs) => {
        seen.push(...rs.map((r) => String(r.ID)))
      },
    })
    expect(seen.sort()).toEqual(['T0000003', 'T0000250', added].sort())
    expect(second.cursor.highWater).toBe('2025-02-01T10:00:00')
    expect(second.cursor.boundaryIds).toEqual(['T0000003', added].sort())
    // A record modified at exactly the boundary second after the run is not lost.
    local.modify(7, '2025-02-01T10:00:00')
    const third = changesSince(c.expenseEntries, second.cursor)
    const ids: unknown[] = []
    for await (const r of third) ids.push(r.ID)
    expect(ids).toEqual(['T0000007'])
    await c.close()
    await local.close()
  })
})

describe('retries under faults', () => {
  it('500s, 429 + Retry-After, throttling 400s, resets and truncated bodies: nothing lost, nothing twice', async () => {
    const s = await startThings(20_000, {
      seed: 3,
      faults: { p500: 0.1, p429: 0.05, pReset: 0.02, pTruncate: 0.01, p400throttle: 0.02 },
    })
    const c = createConcurClient({
      auth: tokenSource(),
      baseUrl: s.url,
      resources: [THINGS],
      retry: FAST,
    })
    const all = await c.expenseEntries.list().toArray()
    expect(all.length).toBe(20_000)
    expect(checksum(all)).toBe(checksum(Array.from({ length: 20_000 }, (_, i) => s.record(i))))
    expect(s.hits.faulted).toBeGreaterThan(20)
    await c.close()
    await s.close()
  })

  it('gives up after maxRetries with the status in a typed error', async () => {
    const s = await startThings(10, { faults: { p500: 1 } })
    const c = createConcurClient({
      auth: tokenSource(),
      baseUrl: s.url,
      resources: [THINGS],
      retry: { ...FAST, maxRetries: 2 },
    })
    const err = (await c.expenseEntries.get('T0000001').catch((e: unknown) => e)) as ConcurRequestError
    expect(err.code).toBe('CONCUR_HTTP_ERROR')
    expect(err.status).toBe(500)
    expect(err.attempts).toBe(3)
    expect(err.gaveUp).toBe('all 2 retries used')
    expect(err.message).toContain('after 3 attempts (gave up: all 2 retries used)')
    await c.close()
    await s.close()
  })
})

describe('HTTP layer', () => {
  it("shares @concurkit/auth's Http: requests and retries go through its dispatcher, close() leaves it open", async () => {
    const s = await startThings(300, { seed: 5, faults: { p500: 0.2 } })
    const http = createHttp()
    const c = createConcurClient({
      auth: tokenSource(),
      baseUrl: s.url,
      resources: [THINGS],
      retry: FAST,
      http,
    })
    const all = await c.expenseEntries.list({}, { limit: 10 }).toArray()
    expect(all.length).toBe(300)
    expect(s.hits.faulted).toBeGreaterThan(0)
    await c.close()
    // The shared layer is still usable after the client closed.
    const res = await http.request({ method: 'GET', url: `${s.url}/api/v3.0/test/things/T0000001` })
    expect(res.status).toBe(401)
    await http.close()
    await s.close()
  })

  it('a connection that keeps failing ends in CONCUR_NETWORK_ERROR caused by auth’s ConcurNetworkError', async () => {
    // A port that resets every connection.
    const server = createServer((socket) => socket.resetAndDestroy())
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as { port: number }
    const c = createConcurClient({
      auth: tokenSource(),
      baseUrl: `http://127.0.0.1:${port}`,
      resources: [THINGS],
      retry: { ...FAST, maxRetries: 2 },
    })
    const err = (await c.expenseEntries.get('T0000001').catch((e: unknown) => e)) as ConcurRequestError
    expect(err.code).toBe('CONCUR_NETWORK_ERROR')
    expect(err.cause).toBeInstanceOf(ConcurNetworkError)
    expect((err.cause as ConcurNetworkError).code).toBe('CONCUR_NETWORK')
    expect(err.message).toContain('GET /api/v3.0/test/things/T0000001')
    await c.close()
    await new Promise((r) => server.close(r))
  })
})
