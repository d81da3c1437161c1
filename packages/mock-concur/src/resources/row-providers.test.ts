import { digestRecords, type JsonPaging, RESOURCE_NAMES, RESOURCES } from '@concurkit/contract'
import { firstPageParams, readJsonPage } from '@concurkit/contract/internal'
import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { createMockConcur } from '../mock.js'
import { LEGACY_ROW_PROVIDERS } from './legacy/index.js'
import { manifestCovers, manifestEntry } from './manifest.js'
import { ROW_PROVIDERS } from './row-providers.js'
import { V3_ROWS } from './v3/index.js'
import { call, issueToken } from './v3-testing.js'

/** The row names each provider serves: v3.0 rows (engine), XML-only rows, current-API families. */
const ALL_PROVIDERS: readonly { readonly names: readonly string[] }[] = [
  ...V3_ROWS.map((r) => ({ names: [r.key] })),
  ...LEGACY_ROW_PROVIDERS,
  ...ROW_PROVIDERS,
]

/** Related endpoints a v3.0 row serves with its own provider (e.g. `lists` with `list-items`). */
const RELATED_KEYS = new Set(RESOURCES.flatMap((r) => (r.related ?? []).map((e) => e.key)))

/** Which registry rows no provider serves, which provider names are no row, which are served twice. */
function coverage(providers: readonly { readonly names: readonly string[] }[]) {
  const names = providers.flatMap((p) => p.names)
  const rows = new Set<string>(RESOURCE_NAMES)
  return {
    missing: RESOURCE_NAMES.filter((n) => !names.includes(n)),
    unknown: names.filter((n) => !rows.has(n) && !RELATED_KEYS.has(n)),
    twice: names.filter((n, i) => names.indexOf(n) !== i),
  }
}

describe('one provider per registry row', () => {
  it('serves every registry row (v3.0, legacy XML and current APIs) through exactly one provider', () => {
    expect(coverage(ALL_PROVIDERS)).toEqual({ missing: [], unknown: [], twice: [] })
    expect(V3_ROWS.length + LEGACY_ROW_PROVIDERS.length).toBeGreaterThanOrEqual(19)
  })

  it('the coverage check fails on a row without a provider, a provider naming no row, and a row served twice', () => {
    const withoutTrips = ALL_PROVIDERS.filter((p) => !p.names.includes('travel-itineraries'))
    expect(coverage(withoutTrips).missing).toEqual(['travel-itineraries'])
    expect(coverage([...ALL_PROVIDERS, { names: ['expense-groups'] }]).unknown).toEqual(['expense-groups'])
    expect(coverage([...ALL_PROVIDERS, { names: ['locations'] }]).twice).toEqual(['locations'])
  })

  it('answers a generated legacy list at its row path with the row scope, list root, item element and namespace', async () => {
    const mock = createMockConcur({ seed: 42, size: 60, companies: 1, datacenters: ['us'] })
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' })
    for (const row of RESOURCES.filter(
      (r) => r.name === 'company-card-transactions' || r.name === 'expense-delegators',
    )) {
      const xml = row.xml!
      // the first user with records: the list root holds the row's item elements
      let found = false
      for (let u = 0; u < 10 && !found; u++) {
        const login = mock.state.user(mock.state.companies[0]!, u)!.loginId
        if (manifestEntry(mock.state, mock.state.companies[0]!, row.name, { user: login }).count === 0)
          continue
        const res = await call(mock, row.path, await issueToken(mock, { user: u }))
        expect(res.status, row.name).toBe(200)
        const doc = parser.parse(await res.text())
        expect(doc[xml.listRoot]['@_xmlns'], row.name).toBe(xml.namespace)
        expect(doc[xml.listRoot][xml.item], row.name).toBeDefined()
        found = true
      }
      expect(found, row.name).toBe(true)
      const noScope = await issueToken(mock, { user: 0, scopes: ['openid'] })
      expect((await call(mock, row.path, noScope)).status, row.name).toBe(403)
    }
  })

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
      let token = row.tokenKinds && !row.tokenKinds.includes('user') ? tokens.company : tokens.user
      // a row of one user's data (`{userId}`, Cards v4) is walked as the first user who has some
      let path = row.path
      let filters: Record<string, string> = {}
      if (path.includes('{userId}')) {
        const user = [0, 1, 2, 3]
          .map((u) => mock.state.user(company, u)!)
          .find((u) => manifestEntry(mock.state, company, row.name, { user: u.loginId }).count > 0)!
        token = await issueToken(mock, { user: user.index })
        path = path.replace('{userId}', user.id)
        filters = { user: user.loginId }
      }
      const first = new URL(`${mock.state.baseUrl(company.datacenter)}${path}`)
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
      const manifest = manifestEntry(mock.state, company, row.name, filters)
      expect(digestRecords(items), row.name).toEqual(manifest)
      expect(manifest.count, row.name).toBeGreaterThan(0)
    }
  })
})
