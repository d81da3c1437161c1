import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { companyAt } from '../companies.js'
import { createMockConcur, type MockConcur, type RunningMock } from '../mock.js'
import { QUEUE_PER_WORKER, type RenderPool, startRenderPool } from './render-pool.js'
import { issueToken } from './v3-testing.js'

// Two mocks with the same data over real sockets: one renders list pages on a worker thread
// (`listen({ workers: 1 })`), the other on its own thread. Their answers must be the same bytes
// (each mock's own origin in URIs and NextPage).
const options = { seed: 42, size: 3000, companies: 2, datacenters: ['us', 'eu2'] as const }
let pooled: MockConcur
let plain: MockConcur
let pooledRun: RunningMock
let plainRun: RunningMock

beforeAll(async () => {
  pooled = createMockConcur({ ...options, datacenters: [...options.datacenters] })
  plain = createMockConcur({ ...options, datacenters: [...options.datacenters] })
  pooledRun = await pooled.listen({ workers: 1 })
  plainRun = await plain.listen()
  await pool().ready()
})
afterAll(async () => {
  await pooledRun?.close()
  await plainRun?.close()
})

const pool = () => pooled.state.pageRenderer as RenderPool

/** GET `path` of company `company`'s datacenter on a listening mock: status, type and body. */
async function get(mock: MockConcur, path: string, token: string, company = 0, accept?: string) {
  const c = mock.state.companies[company]!
  const origin = mock.state.baseUrl(c.datacenter)
  const res = await fetch(path.startsWith('http') ? path : `${origin}${path}`, {
    headers: { authorization: `Bearer ${token}`, ...(accept ? { accept } : {}) },
  })
  // An error body's Id and time differ per answer.
  const body = (await res.text())
    .replaceAll(origin, 'ORIGIN')
    .replace(/"Id":"[^"]*"|"Server-Time":"[^"]*"/g, '')
  return { status: res.status, type: res.headers.get('content-type'), body }
}

/** The same request to both mocks, following `NextPage` for `pages` pages; returns the pooled answers. */
async function same(
  path: string,
  who: { user?: number | 'company'; company?: number },
  pages = 2,
  accept?: string,
) {
  const company = who.company ?? 0
  const tokens = [await issueToken(pooled, who), await issueToken(plain, who)] as const
  const answers = []
  let next: [string, string] | null = [path, path]
  for (let i = 0; i < pages && next; i++) {
    const a = await get(pooled, next[0], tokens[0], company, accept)
    const b = await get(plain, next[1], tokens[1], company, accept)
    expect(a, `${path} page ${i + 1}`).toEqual(b)
    answers.push(a)
    const m = /"NextPage":"([^"]+)"|<NextPage>([^<]+)<\/NextPage>/.exec(a.body)
    const rel = m ? (m[1] ?? m[2]!).replace('ORIGIN', '').replaceAll('&amp;', '&') : null
    next = rel ? [rel, rel] : null
  }
  return answers
}

describe('render workers (listen({ workers }))', () => {
  it('answer every v3.0 list with the bytes the main thread renders: rows, filters, owners, XML, pages', async () => {
    const before = pool().rendered
    const lists = [
      '/api/v3.0/expense/reports?limit=100&user=ALL',
      '/api/v3.0/expense/reports?limit=7&user=ALL&approvalStatusCode=A_APPR',
      '/api/v3.0/expense/entries?limit=50&user=ALL',
      '/api/v3.0/expense/itemizations?limit=30&user=ALL',
      '/api/v3.0/expense/allocations?limit=30&user=ALL',
      '/api/v3.0/expense/attendees?limit=30',
      '/api/v3.0/expense/entryattendeeassociations?limit=30',
      '/api/v3.0/common/listitems?limit=40',
      '/api/v3.0/common/locations?limit=40',
      '/api/v3.0/common/users?limit=20',
      '/api/v3.0/expense/receiptimages?limit=20&user=ALL',
    ]
    for (const path of lists) await same(path, { user: 0 }, 3)
    // Another company, a user who sees only their own reports, a company token, and XML.
    await same('/api/v3.0/expense/reports?limit=25&user=ALL', { user: 0, company: 1 }, 2)
    const own = await same('/api/v3.0/expense/reports?limit=25', { user: 5 }, 2)
    expect(own[0]!.body).toContain('"Items":[{')
    await same('/api/v3.0/expense/entries?limit=25', { user: 'company' }, 2)
    const xml = await same('/api/v3.0/expense/reports?limit=10&user=ALL', { user: 0 }, 2, 'application/xml')
    expect(xml[0]!.type).toMatch(/^application\/xml/)
    // Refused queries are answered as before (validated on the main thread, never sent to a worker).
    for (const bad of ['?limit=0', '?offset=bogus', '?user=ALL&Bogus=1'])
      await same(`/api/v3.0/expense/reports${bad}`, { user: 0 }, 1)
    // The worker made them: dozens of distinct pages, not the main thread.
    expect(pool().rendered - before).toBeGreaterThan(30)
  })

  it('after a write, pages are rendered on the main thread and show the write', async () => {
    const user = await issueToken(pooled, { user: 3 })
    const origin = pooled.state.baseUrl(pooled.state.companies[0]!.datacenter)
    const created = await fetch(`${origin}/api/v3.0/expense/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Name: 'Written while workers render' }),
    })
    expect(created.status).toBe(200)
    const before = pool().rendered
    const page = await get(pooled, '/api/v3.0/expense/reports?limit=100', user)
    expect(page.status).toBe(200)
    expect(page.body).toContain('Written while workers render')
    expect(pool().rendered).toBe(before)
  })

  it('a stopped pool leaves the main thread rendering: no request fails', async () => {
    const fresh = createMockConcur({ seed: 7, size: 500, companies: 1, datacenters: ['us'] })
    const running = await fresh.listen({ workers: 1 })
    try {
      const p = fresh.state.pageRenderer as RenderPool
      await p.ready()
      const token = await issueToken(fresh, { user: 0 })
      expect((await get(fresh, '/api/v3.0/expense/reports?limit=5&user=ALL', token)).status).toBe(200)
      expect(p.rendered).toBe(1)
      await p.close()
      const after = await get(fresh, '/api/v3.0/expense/reports?limit=6&user=ALL', token)
      expect(after.status).toBe(200)
      expect(after.body).toContain('"Items":[{')
      expect(p.rendered).toBe(1)
    } finally {
      await running.close()
    }
    expect(fresh.state.pageRenderer).toBeUndefined()
  })

  it(`a worker holds at most ${QUEUE_PER_WORKER} pages: the next one is refused (rendered by the caller), then taken again`, async () => {
    const own = startRenderPool(1)
    try {
      await own.ready()
      const company = companyAt(5, 0, 400, ['us'])
      const job = (from: number) => ({
        key: 'expense-reports',
        seed: 5,
        size: 400,
        datacenters: ['us'],
        companyIndex: 0,
        companyId: company.id,
        filters: new Map(),
        owner: undefined,
        from,
        limit: 3,
        url: 'http://127.0.0.1/api/v3.0/expense/reports?limit=3&user=ALL',
        xml: false,
      })
      const held = Array.from({ length: QUEUE_PER_WORKER }, (_, i) => own.render(job(i * 3)))
      await expect(own.render(job(99))).rejects.toThrow('no render worker free')
      const pages = await Promise.all(held)
      expect(pages.map((p) => JSON.parse(new TextDecoder().decode(p.body)).Items.length)).toEqual(
        Array(QUEUE_PER_WORKER).fill(3),
      )
      expect(own.rendered).toBe(QUEUE_PER_WORKER)
      await expect(own.render(job(99))).resolves.toMatchObject({
        contentType: expect.stringContaining('json'),
      })
    } finally {
      await own.close()
    }
  })

  it('refuses a worker count that is not an integer from 0 to 64 before listening', async () => {
    const m = createMockConcur({ size: 10, companies: 1, datacenters: ['us'] })
    for (const workers of [-1, 1.5, 65, Number.NaN])
      await expect(m.listen({ workers })).rejects.toThrow('workers must be an integer from 0 to 64')
  })
})
