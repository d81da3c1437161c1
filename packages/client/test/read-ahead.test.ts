import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConcurClient, extract } from '../src/index.ts'
import { peekNextPage } from '../src/parse.ts'
import { PREFETCH } from '../src/resource.ts'
import { startThings, THINGS, type ThingsServer } from './helpers/things.ts'

const page = (next: unknown, items = '[{"ID":"a"}]') =>
  Buffer.from(`{"Items":${items},"NextPage":${JSON.stringify(next)}}`)

describe('read-ahead', () => {
  it('peekNextPage reads the NextPage that closes a v3.0 page, and nothing else', () => {
    expect(peekNextPage(page('https://x.test/api/v3.0/e?limit=100&offset=A%2Fb'))).toBe(
      'https://x.test/api/v3.0/e?limit=100&offset=A%2Fb',
    )
    expect(peekNextPage(Buffer.from('{"Items":[],\n  "NextPage" : "https://x.test/a\\/b\\"c" }\n'))).toBe(
      'https://x.test/a/b"c',
    )
    expect(peekNextPage(page(null))).toBeUndefined()
    expect(peekNextPage(page(''))).toBeUndefined()
    // NextPage inside a record, or not the last member: left to the full parse.
    expect(peekNextPage(Buffer.from('{"Items":[{"NextPage":"https://x.test/n"}]}'))).toBeUndefined()
    expect(peekNextPage(Buffer.from('{"NextPage":"https://x.test/n","Items":[]}'))).toBeUndefined()
    expect(peekNextPage(Buffer.from('{"Items":[],"NextPage":"https://x.test/n'))).toBeUndefined()
  })

  describe('extract against a server', () => {
    let s: ThingsServer
    let dir: string
    beforeAll(async () => {
      s = await startThings(1_234)
      dir = await mkdtemp(join(tmpdir(), 'concurkit-ahead-'))
    })
    afterAll(async () => {
      await s.close()
      await rm(dir, { recursive: true, force: true })
    })

    it('asks for every page exactly once although it reads one ahead', async () => {
      const c = createConcurClient({
        auth: { getAccessToken: async () => 'good' },
        baseUrl: s.url,
        resources: [THINGS],
      })
      const before = s.hits.total
      const [r] = await extract({
        client: c,
        resources: 'expense-entries',
        format: 'ndjson',
        out: join(dir, 'a.ndjson'),
      })
      expect(r!.records).toBe(1_234)
      expect(r!.pages).toBe(13)
      expect(s.hits.total - before).toBe(13)
      await c.close()
    })

    it('a walk stopped early asks for at most the one page ahead, and it is dropped', async () => {
      const c = createConcurClient({
        auth: { getAccessToken: async () => 'good' },
        baseUrl: s.url,
        resources: [THINGS],
      })
      const before = s.hits.total
      const ids: unknown[] = []
      for await (const p of c.expenseEntries.pages({}, { [PREFETCH]: true })) {
        ids.push(...p.items.map((r) => r.ID))
        if (p.index === 1) break
      }
      expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => s.record(i).ID))
      expect(s.hits.total - before).toBeGreaterThanOrEqual(2)
      expect(s.hits.total - before).toBeLessThanOrEqual(3)
      await c.close()
    })
  })
})
