import { describe, expect, it } from 'vitest'
import { createMockConcur } from '../mock.js'
import { pageCacheOf } from './engine.js'
import { createPageCache } from './page-cache.js'
import { call, issueToken } from './v3-testing.js'

const page = (n: number) => ({ body: new Uint8Array(n), contentType: 'application/json' })

describe('createPageCache', () => {
  it('keeps at most maxEntries and maxBytes, dropping the least recently used first', () => {
    const cache = createPageCache({ maxEntries: 3, maxBytes: 100 })
    cache.set('a', page(10))
    cache.set('b', page(10))
    cache.set('c', page(10))
    expect(cache.get('a')).toBeDefined() // a is now the most recent
    cache.set('d', page(10))
    expect(cache.get('b')).toBeUndefined()
    expect(cache.size()).toEqual({ entries: 3, bytes: 30 })
    cache.set('e', page(90))
    expect(cache.size().bytes).toBeLessThanOrEqual(100)
    expect(cache.get('e')).toBeDefined()
    cache.set('huge', page(101))
    expect(cache.get('huge')).toBeUndefined()
    cache.reset()
    expect(cache.size()).toEqual({ entries: 0, bytes: 0 })
  })
})

describe('v3.0 list pages are cached and invalidated by writes and reset', () => {
  it('answers a repeated page with the same bytes, and a write or reset with fresh ones', async () => {
    const mock = createMockConcur({ seed: 5, size: 30, companies: 1, datacenters: ['us'] })
    const admin = await issueToken(mock, { user: 0 })
    const path = '/api/v3.0/expense/reports?user=ALL&limit=5'
    const first = await (await call(mock, path, admin)).text()
    expect(pageCacheOf(mock.state).size().entries).toBe(1)
    expect(await (await call(mock, path, admin)).text()).toBe(first)
    const xml = await call(mock, path, admin, { headers: { accept: 'application/xml' } })
    expect(xml.headers.get('content-type')).toContain('xml')
    expect(await xml.text()).toContain('<Reports')

    const id = (JSON.parse(first) as { Items: { ID: string }[] }).Items[0]!.ID
    const put = await call(mock, `/api/v3.0/expense/reports/${id}`, admin, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Name: 'Renamed after caching' }),
    })
    expect(put.status).toBe(200)
    const after = JSON.parse(await (await call(mock, path, admin)).text()) as { Items: { Name: string }[] }
    expect(after.Items[0]!.Name).toBe('Renamed after caching')

    mock.state.reset()
    expect(pageCacheOf(mock.state).size().entries).toBe(0)
    expect(await (await call(mock, path, admin)).text()).toBe(first)
  })

  it('keeps what each principal may see apart', async () => {
    const mock = createMockConcur({ seed: 5, size: 30, companies: 1, datacenters: ['us'] })
    const admin = await issueToken(mock, { user: 0 })
    const user = await issueToken(mock, { user: 2 })
    const path = '/api/v3.0/expense/reports?limit=100'
    const mine = JSON.parse(await (await call(mock, path, user)).text()) as { Items: unknown[] }
    const adminsOwn = JSON.parse(await (await call(mock, path, admin)).text()) as { Items: unknown[] }
    const all = JSON.parse(await (await call(mock, `${path}&user=ALL`, admin)).text()) as { Items: unknown[] }
    expect(all.Items.length).toBe(30)
    expect(mine.Items.length).toBeLessThan(30)
    expect(mine).not.toEqual(adminsOwn)
    expect((await call(mock, `${path}&user=ALL`, user)).status).toBe(403)
  })
})
