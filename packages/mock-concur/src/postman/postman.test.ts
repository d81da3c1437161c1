import { RESOURCES } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { createMockConcur, describeMock } from '../mock.js'
import { apiFamily, buildPostmanCollection, buildPostmanEnvironment, POSTMAN_SCHEMA } from './collection.js'

interface Item {
  name: string
  item?: Item[]
  event?: { listen: string; script: { exec: string[] } }[]
  request?: {
    method: string
    url: { raw: string; path: string[]; query?: { key: string; disabled?: boolean }[] }
  }
}
const requests = (items: Item[]): Item[] => items.flatMap((i) => (i.item ? requests(i.item) : [i]))

describe('buildPostmanCollection', () => {
  const collection = buildPostmanCollection({ baseUrl: 'https://127.0.0.1:4010' }) as unknown as {
    info: { schema: string }
    item: Item[]
    auth: unknown
    variable: { key: string; value: string }[]
  }
  const all = requests(collection.item)

  it('is a v2.1 collection: OAuth2 first, then one folder per API family, a test on every request', () => {
    expect(collection.info.schema).toBe(POSTMAN_SCHEMA)
    expect(collection.variable).toEqual([{ key: 'baseUrl', value: 'https://127.0.0.1:4010', type: 'string' }])
    expect(collection.item.map((f) => f.name)).toEqual([
      'OAuth2',
      'Attendees v4',
      'Expense Report v1.1',
      'Expense v3.0',
      'Extract v1.0',
      'Identity v4.1',
      'Travel v4',
      'Invoice v3.1',
      'Common v3.0',
      'List v4',
      'Invoice v3.0',
      'Spend v4.1',
      'Trip v1.1',
      'Travelrequest v4',
      'Cards v4',
      'Expense Configuration v4',
      'Expense Report v2.0',
      'Expense Reports v4',
      'Receipts v4',
    ])
    for (const r of all) {
      expect(r.event?.[0]?.listen, r.name).toBe('test')
      expect(r.event![0]!.script.exec.join('\n'), r.name).toMatch(/pm\.test\(/)
      expect(r.request!.url.raw.startsWith('{{baseUrl}}/'), r.name).toBe(true)
    }
  })

  it('has the token requests: password, refresh with rotation written back, reuse (108), company, client credentials', () => {
    const oauth = requests([collection.item[0]!]).map((r) => r.name)
    expect(oauth).toEqual([
      'Password grant',
      'Refresh token grant (rotation)',
      'Refresh token reused: code 108 (error case)',
      'Company request token (mock admin API)',
      'Company request token grant',
      'Client credentials grant',
    ])
    const rotation = all.find((r) => r.name === 'Refresh token grant (rotation)')!
    expect(rotation.event![0]!.script.exec.join('\n')).toContain(
      "pm.environment.set('refreshToken', body.refresh_token)",
    )
  })

  it('serves every registry row and related endpoint, with every documented filter as a disabled parameter', () => {
    const paths = all.map((r) => `/${r.request!.url.path.join('/')}`)
    const shape = (p: string) => p.replace(/\{\{?[^}]+\}?\}/g, '*').replace(/\/$/, '')
    for (const row of Object.values(RESOURCES)) {
      // a fan-out row whose path lists nothing (payment requests) is requested at its item path only
      const listless = row.paging.kind === 'fanout' && !row.path.includes('{')
      for (const p of [listless ? undefined : row.path, row.itemPath].filter(Boolean) as string[])
        expect(paths.map(shape), `${row.name} ${p}`).toContain(shape(p))
      for (const r of row.related ?? []) expect(paths.map(shape)).toContain(shape(r.path))
      if (row.filters.length === 0) continue
      const list = all.find((r) => shape(`/${r.request!.url.path.join('/')}`) === shape(row.path))!
      const keys = (list.request!.url.query ?? []).map((q) => q.key)
      for (const f of row.filters) expect(keys, `${row.name} ${f.param}`).toContain(f.param)
    }
  })

  it('names API families from paths', () => {
    expect(apiFamily('/api/v3.0/expense/reports')).toBe('Expense v3.0')
    expect(apiFamily('/api/v3.0/common/users')).toBe('Common v3.0')
    expect(apiFamily('/api/expense/expensereport/v1.1/CardCharges')).toBe('Expense Report v1.1')
    expect(apiFamily('/api/travel/trip/v1.1/')).toBe('Trip v1.1')
  })
})

describe('buildPostmanEnvironment', () => {
  it('fills the variables from the --json description (the Web Services Administrator signs in)', () => {
    const mock = createMockConcur({ seed: 9 })
    const d = describeMock(mock)
    const env = buildPostmanEnvironment(d) as { values: { key: string; value: string; type: string }[] }
    const v = Object.fromEntries(env.values.map((x) => [x.key, x.value]))
    const c = d.companies[0]!
    expect(v).toMatchObject({
      baseUrl: c.geolocation,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      username: c.users[0]!.loginId,
      password: c.users[0]!.password,
      companyUUID: c.id,
      requestToken: c.requestToken,
      refreshToken: '',
    })
    expect(env.values.find((x) => x.key === 'password')!.type).toBe('secret')
    expect(() => buildPostmanEnvironment(d, { company: 99 })).toThrow(RangeError)
  })

  it('is served at /_mock/postman.json and /_mock/postman-environment.json', async () => {
    const mock = createMockConcur()
    const res = await mock.app.request('/_mock/postman.json')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { variable: { value: string }[] }
    expect(body.variable[0]!.value).toBe(mock.state.baseUrl('us'))
    const env = await mock.app.request('/_mock/postman-environment.json')
    expect(env.headers.get('cache-control')).toBe('no-store')
    const values = ((await env.json()) as { values: { key: string; value: string }[] }).values
    expect(values.find((x) => x.key === 'requestToken')!.value.length).toBeGreaterThan(10)
    const locked = createMockConcur({ adminKey: 'k-1' })
    expect((await locked.app.request('/_mock/postman-environment.json')).status).toBe(401)
  })
})
