import {
  digestRecords,
  firstPageParams,
  type JsonPaging,
  RESOURCE_NAMES,
  RESOURCES,
  readJsonPage,
} from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { createMockConcur } from '../mock.js'
import { manifestCovers, manifestEntry } from './manifest.js'
import { ROW_PROVIDERS } from './row-providers.js'
import { call, issueToken } from './v3-testing.js'

describe('one provider per registry row', () => {
  it('counts every registry row in the manifest (a row without a provider fails here)', () => {
    const uncounted = RESOURCE_NAMES.filter((n) => !manifestCovers(n))
    expect(uncounted).toEqual([])
  })

  it('names only registry rows, each served by one provider', () => {
    const names = ROW_PROVIDERS.flatMap((p) => p.names)
    for (const n of names) expect(RESOURCE_NAMES, n).toContain(n)
    expect(new Set(names).size).toBe(names.length)
  })

  it('serves every JSON row of the registry through a provider', () => {
    const served = new Set(ROW_PROVIDERS.flatMap((p) => p.names))
    const json = RESOURCES.filter((r) => r.paging.kind === 'json').map((r) => r.name)
    expect(json.length).toBeGreaterThan(0)
    expect(json.filter((n) => !served.has(n))).toEqual([])
  })

  it('a full walk of each provider row over HTTP equals its manifest count and checksum', async () => {
    const mock = createMockConcur({ seed: 42, size: 60, companies: 1, datacenters: ['us'] })
    const company = mock.state.companies[0]!
    const tokens = {
      company: await issueToken(mock, { user: 'company' }),
      user: await issueToken(mock, { user: 0 }),
    }
    for (const row of RESOURCES.filter((r) => r.paging.kind === 'json')) {
      const paging = row.paging as JsonPaging
      const token = row.tokenKinds && !row.tokenKinds.includes('user') ? tokens.company : tokens.user
      const first = new URL(`${mock.state.baseUrl(company.datacenter)}${row.path}`)
      for (const [k, v] of Object.entries(firstPageParams(paging, paging.size ? 7 : undefined)))
        first.searchParams.set(k, v)
      const items: unknown[] = []
      let url: string | undefined = first.href
      let pages = 0
      while (url) {
        const res = await call(mock, url, token)
        expect(res.status, `${row.name} ${url}`).toBe(200)
        const page = readJsonPage(paging, await res.json(), url)
        items.push(...page.items)
        url = page.next
        if (++pages > 1000) throw new Error(`${row.name}: no last page`)
      }
      const manifest = manifestEntry(mock.state, company, row.name)
      expect(digestRecords(items), row.name).toEqual(manifest)
      expect(manifest.count, row.name).toBeGreaterThan(0)
    }
  })
})
