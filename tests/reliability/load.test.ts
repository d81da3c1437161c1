import { cpus } from 'node:os'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { Pool } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LONG, percentile, recordFigures, scale } from './helpers.ts'

const CONNECTIONS = 256
const DURATION_MS = scale(4_000, 20_000)
const mock = createMockConcur({ seed: 77, companies: 2, size: 60, datacenters: ['us'] })
const company = mock.state.companies[0]!
const app = company.apps[0]!
let running: RunningMock
let pool: Pool
const tokens: string[] = []

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
  pool = new Pool(running.admin, { connections: CONNECTIONS, keepAliveTimeout: 30_000 })
  for (let i = 0; i < 4; i++) {
    const res = await pool.request({
      method: 'POST',
      path: '/oauth2/v0/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({
        grant_type: 'password',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        username: mock.state.user(company, i)!.loginId,
        password: mock.state.user(company, i)!.password,
      }),
    })
    tokens.push(((await res.body.json()) as { access_token: string }).access_token)
  }
})
afterAll(async () => {
  await pool?.close()
  await running?.close()
})

type Kind = 'grant' | 'refresh' | 'page' | 'admin'

/** Mixed traffic: 5% password grants, 5% refresh grants, 70% resource pages, 20% admin reads. */
function pick(n: number): Kind {
  const r = n % 20
  if (r === 0) return 'grant'
  if (r === 1) return 'refresh'
  if (r < 16) return 'page'
  return 'admin'
}

const PAGES = [
  '/api/v3.0/expense/reports?user=ALL&limit=25',
  '/api/v3.0/expense/entries?user=ALL&limit=50',
  '/api/expense/expensereport/v2.0/Reports',
  '/api/expense/expensereport/v1.1/CardCharges',
  '/api/travel/trip/v1.1/?includeMetadata=true&ItemsPerPage=20&Page=1',
]
const ADMIN = ['/_mock/clock', '/_mock/faults', '/_mock/journal?limit=5', `/_mock/companies/${company.id}`]

describe('the mock under load', () => {
  it(`${CONNECTIONS} concurrent connections of mixed traffic for ${DURATION_MS / 1000} s: zero errors, RSS stable`, async () => {
    globalThis.gc?.()
    const rssBefore = process.memoryUsage().rss
    const latencies: Record<Kind, number[]> = { grant: [], refresh: [], page: [], admin: [] }
    const errors: string[] = []
    let sent = 0
    const deadline = performance.now() + DURATION_MS

    async function one(kind: Kind, n: number): Promise<void> {
      const started = performance.now()
      let status = 0
      let text = ''
      if (kind === 'grant' || kind === 'refresh') {
        const u = n % tokens.length
        // refresh tokens are single use: each worker refreshes its own chain
        const fields: Record<string, string> =
          kind === 'grant'
            ? {
                grant_type: 'password',
                username: mock.state.user(company, u)!.loginId,
                password: mock.state.user(company, u)!.password,
              }
            : { grant_type: 'refresh_token', refresh_token: chains[n % CONNECTIONS]! }
        const res = await pool.request({
          method: 'POST',
          path: '/oauth2/v0/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form({ client_id: app.clientId, client_secret: app.clientSecret, ...fields }),
        })
        status = res.statusCode
        text = await res.body.text()
        if (kind === 'refresh' && status === 200)
          chains[n % CONNECTIONS] = (JSON.parse(text) as { refresh_token: string }).refresh_token
      } else {
        const path = kind === 'page' ? PAGES[n % PAGES.length]! : ADMIN[n % ADMIN.length]!
        const res = await pool.request({
          method: 'GET',
          path,
          headers: kind === 'page' ? { authorization: `Bearer ${tokens[0]}` } : {},
        })
        status = res.statusCode
        text = await res.body.text()
      }
      latencies[kind].push(performance.now() - started)
      if (status !== 200) errors.push(`${kind} → ${status}: ${text.slice(0, 120)}`)
    }

    // each connection-worker owns one refresh chain, seeded by its own password grant
    const chains: string[] = new Array(CONNECTIONS)
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, w) => {
        const res = await pool.request({
          method: 'POST',
          path: '/oauth2/v0/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form({
            grant_type: 'password',
            client_id: app.clientId,
            client_secret: app.clientSecret,
            username: mock.state.user(company, w % 8)!.loginId,
            password: mock.state.user(company, w % 8)!.password,
          }),
        })
        chains[w] = ((await res.body.json()) as { refresh_token: string }).refresh_token
      }),
    )

    const started = performance.now()
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, w) => {
        let i = w
        while (performance.now() < deadline) {
          const n = i
          i += CONNECTIONS
          sent++
          try {
            // n % CONNECTIONS === w: each worker refreshes its own chain
            await one(pick(n), n)
          } catch (err) {
            errors.push(String(err))
          }
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    globalThis.gc?.()
    const rssAfter = process.memoryUsage().rss
    const all = Object.values(latencies).flat()
    const summary = {
      connections: CONNECTIONS,
      durationSeconds: Number(seconds.toFixed(1)),
      requests: sent,
      errors: errors.length,
      requestsPerSecond: Math.round(sent / seconds),
      p50Ms: Number(percentile(all, 50).toFixed(1)),
      p99Ms: Number(percentile(all, 99).toFixed(1)),
      maxMs: Number(Math.max(...all).toFixed(1)),
      byKind: Object.fromEntries(
        Object.entries(latencies).map(([k, v]) => [
          k,
          {
            requests: v.length,
            p50Ms: Number(percentile(v, 50).toFixed(1)),
            p99Ms: Number(percentile(v, 99).toFixed(1)),
          },
        ]),
      ),
      rssBeforeMb: Math.round(rssBefore / 2 ** 20),
      rssAfterMb: Math.round(rssAfter / 2 ** 20),
      cpus: cpus().length,
      long: LONG,
    }
    await recordFigures('load', summary)
    expect(errors.slice(0, 5)).toEqual([])
    expect(sent).toBeGreaterThanOrEqual(CONNECTIONS)
    for (const kind of ['grant', 'refresh', 'page', 'admin'] as const)
      expect(latencies[kind].length).toBeGreaterThan(0)
    // stable: the mock's caches are bounded (journal 10,000 entries, 20,000 verified tokens)
    expect(rssAfter - rssBefore).toBeLessThan(scale(250, 400) * 2 ** 20)
  }, 120_000)
})
