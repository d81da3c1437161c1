import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Http } from '@concurkit/auth'
import { type ConcurClient, createConcurClient, extract, type ListFilter } from '@concurkit/client'
import { buildQuery } from '@concurkit/client/internal'
import { getResource, type ResourceName } from '@concurkit/contract'
import { createMockConcur, type MockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adminCall,
  digest,
  loginManager,
  manifestOf,
  newHttp,
  recordFigures,
  reloginSource,
  scale,
} from './helpers.ts'

const SEED = 2026
const OPTIONS = { seed: SEED, companies: 1, datacenters: ['us' as const], size: scale(60, 400) }

/** Trips: the whole timeline and every kind of trip. */
const ALL_TRIPS: ListFilter = {
  user: 'ALL',
  startDate: '2000-01-01',
  endDate: '2099-12-31',
  includeCanceledTrips: true,
  includeVirtualTrip: 1,
  includeGuestBookings: true,
}

/** One resource of each family: v3.0 JSON, v1.1 and v2.0 XML, trips, extract. */
const CASES: readonly {
  name: ResourceName
  family: string
  filter: ListFilter
  perUser?: boolean
  pageSize?: number
}[] = [
  { name: 'expense-reports', family: 'v3.0 JSON', filter: { user: 'ALL' }, pageSize: 2 },
  { name: 'expense-entries', family: 'v3.0 JSON', filter: { user: 'ALL' }, pageSize: 2 },
  { name: 'company-card-transactions', family: 'v1.1 XML', filter: {}, perUser: true },
  { name: 'reports-detail', family: 'v2.0 XML', filter: {} },
  { name: 'travel-itineraries', family: 'trips v1.1', filter: ALL_TRIPS, pageSize: 2 },
  { name: 'extract-definitions', family: 'extract v1.0', filter: {} },
  { name: 'extract-jobs', family: 'extract v1.0', filter: {} },
]

const THROTTLE_JSON = {
  Error: {
    Message: 'Request limit exceeded. Try again later.',
    'Server-Time': '2026-01-01T00:00:00',
    Id: 'T',
  },
}
const THROTTLE_XML =
  '<?xml version="1.0" encoding="utf-8"?><Error><Message>Request limit exceeded. Try again later.</Message><Server-Time>2026-01-01T00:00:00</Server-Time><Id>T</Id></Error>'

/** The seeded mix, in order (the first rule that fires wins; each draws from the mock's seeded RNG). */
const MIX = [
  // The XML families make few requests (no paging parameters): their throttling bodies fire more often.
  { path: '/api/expense/**', status: 400, body: THROTTLE_XML, probability: 0.2 },
  { path: '/api/travel/**', status: 400, body: THROTTLE_XML, probability: 0.2 },
  { path: '/api/**', status: 500, probability: 0.05 },
  { path: '/api/**', status: 502, probability: 0.05 },
  { path: '/api/**', status: 503, probability: 0.05 },
  { path: '/api/**', retryAfter: 1, probability: 0.05 },
  { path: '/api/v3.0/**', status: 400, body: THROTTLE_JSON, probability: 0.05 },
  { path: '/api/**', reset: true, probability: 0.05 },
  { path: '/api/**', truncate: true, probability: 0.05 },
  { path: '/api/**', delayMs: 120, probability: 0.05 },
] as const

const RETRY = { minTimeout: 1, maxTimeout: 40, maxRetries: 14, jitter: 0.5 }

interface FaultRow {
  id: string
  matched: number
  fired: number
  status?: number
  reset?: true
  truncate?: true
  delayMs?: number
  retryAfter?: number
}

/** The records of an ndjson file as the manifest counts them (`URI` left out of v3.0 rows). */
async function fileDigest(file: string, name: ResourceName) {
  const text = await readFile(file, 'utf8')
  const rows = text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
  const def = getResource(name)
  const forDigest = rows.map((r) => {
    if (def.format === 'xml') return r
    const { URI: _uri, ...rest } = r
    return rest
  })
  return digest(forDigest)
}

async function manifestFor(
  http: Http,
  admin: string,
  mock: MockConcur,
  c: (typeof CASES)[number],
): Promise<{ count: number; sha256: string }> {
  const company = mock.state.companies[0]!
  const def = getResource(c.name)
  const filters = c.perUser
    ? { user: mock.state.user(company, 0)!.loginId }
    : def.paging.kind === 'fanout'
      ? {}
      : buildQuery(def, c.filter, new Date())
  return manifestOf(http, admin, company.id, c.name, filters)
}

describe('an extract under a seeded mix of faults ends with the manifest count and checksum', () => {
  let mock: MockConcur
  let running: RunningMock
  let http: Http
  let client: ConcurClient
  let dir: string
  const figures = { faultsInjected: 0, requests: 0, records: 0, refreshes: 0, resources: [] as unknown[] }

  beforeAll(async () => {
    mock = createMockConcur(OPTIONS)
    running = await mock.listen({ port: 0 })
    http = newHttp()
    dir = await mkdtemp(join(tmpdir(), 'concurkit-faults-'))
    const manager = await loginManager(mock, mock.state.companies[0]!, http)
    client = createConcurClient({ auth: manager, http, retry: RETRY })
    for (const rule of MIX) await adminCall(http, running.admin, 'POST', '/_mock/faults', rule)
  })
  afterAll(async () => {
    await client?.close()
    await http?.close()
    await running?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
    await recordFigures('faults', figures)
  })

  it('every resource family: exact count and checksum, faults fired, one expired token survived', async () => {
    let expired = false
    for (const c of CASES) {
      const out = join(dir, `${c.name}.ndjson`)
      const [result] = await extract({
        client,
        resources: c.name,
        format: 'ndjson',
        out,
        filter: c.filter,
        // Small pages: many requests, so every fault kind fires.
        ...(c.pageSize ? { list: { limit: c.pageSize } } : {}),
        onProgress: (p) => {
          // One expired token mid-run: the mock clock passes the access token's hour.
          if (!expired && p.pages >= 2 && !p.done) {
            expired = true
            mock.state.clock.advance(3601)
          }
        },
      })
      const got = await fileDigest(out, c.name)
      const expected = await manifestFor(http, running.admin, mock, c)
      expect({ resource: c.name, ...got }).toEqual({ resource: c.name, ...expected })
      expect(result?.records).toBe(expected.count)
      figures.records += got.count
      figures.resources.push({ resource: c.name, family: c.family, records: got.count, sha256: got.sha256 })
    }
    expect(expired).toBe(true)
    // No partial or checkpoint files stay behind.
    expect((await readdir(dir)).filter((f) => f.includes('.part'))).toEqual([])

    const { faults } = await adminCall<{ faults: FaultRow[] }>(http, running.admin, 'GET', '/_mock/faults')
    const fired = (pred: (f: FaultRow) => boolean) => faults.filter(pred).reduce((n, f) => n + f.fired, 0)
    const kinds = {
      500: fired((f) => f.status === 500),
      502: fired((f) => f.status === 502),
      503: fired((f) => f.status === 503),
      429: fired((f) => f.retryAfter !== undefined),
      throttle400: fired((f) => f.status === 400),
      reset: fired((f) => f.reset === true),
      truncate: fired((f) => f.truncate === true),
      delay: fired((f) => f.delayMs !== undefined),
    }
    for (const [kind, n] of Object.entries(kinds))
      expect({ kind, fired: n > 0 }).toEqual({ kind, fired: true })
    figures.faultsInjected = Object.values(kinds).reduce((a, b) => a + b, 0)
    const journal = await adminCall<{ total: number }>(http, running.admin, 'GET', '/_mock/journal?limit=1')
    figures.requests = journal.total
    figures.refreshes = client.transport.stats.refreshes
    Object.assign(figures, { byKind: kinds })
    // The expired token was refreshed once and the walk went on.
    expect(client.transport.stats.refreshes).toBeGreaterThanOrEqual(1)
  })
})

describe('the mock restarted mid-extract (same seed, same port)', () => {
  it('is survived: the client retries through the outage and signs in again; exact count and checksum', async () => {
    const first = createMockConcur(OPTIONS)
    let running: RunningMock | undefined = await first.listen({ port: 0 })
    const port = Number(new URL(running.admin).port)
    const http = newHttp()
    const dir = await mkdtemp(join(tmpdir(), 'concurkit-restart-'))
    let second: MockConcur | undefined
    let restarted: Promise<void> | undefined
    const company = first.state.companies[0]!
    const source = reloginSource(await loginManager(first, company, http), () =>
      // The new mock knows neither the old key id nor the refresh token: sign in again.
      loginManager(second ?? first, company, http),
    )
    const client = createConcurClient({
      auth: source,
      http,
      retry: { minTimeout: 50, maxTimeout: 400, maxRetries: 25, jitter: 0.2 },
    })
    try {
      // Slow pages so the restart lands mid-walk.
      await adminCall(http, running.admin, 'POST', '/_mock/faults', { path: '/api/**', delayMs: 30 })
      const c = CASES[1]! // expense-entries: many pages
      const out = join(dir, 'entries.ndjson')
      await extract({
        client,
        resources: c.name,
        format: 'ndjson',
        out,
        filter: c.filter,
        list: { limit: 5 },
        onProgress: (p) => {
          if (restarted || p.pages < 2 || p.done) return
          const old = running!
          running = undefined
          restarted = (async () => {
            await old.close()
            await new Promise((r) => setTimeout(r, 300))
            second = createMockConcur(OPTIONS)
            running = await second.listen({ port })
          })()
        },
      })
      await restarted
      expect(second).toBeDefined()
      expect(running?.admin).toBe(`http://127.0.0.1:${port}`)
      const got = await fileDigest(out, c.name)
      const expected = await manifestFor(http, running!.admin, second!, c)
      expect(got).toEqual(expected)
      expect(got.count).toBeGreaterThan(10)
      expect(source.relogins).toBeGreaterThanOrEqual(1)
    } finally {
      await restarted?.catch(() => {})
      await client.close()
      await http.close()
      await running?.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
