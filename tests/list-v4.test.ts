import { passwordGrant } from '@concurkit/auth'
import { createConcurClient, staticToken } from '@concurkit/client'
import { ListV4Item, ListV4ItemPage, ListV4List, ListV4ListPage } from '@concurkit/contract'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * List v4 and the v3.0 list APIs are two views of one set of lists and items: an item added through
 * List Item v4 is listed by v3.0 list items, and the reverse. Over real sockets, with a token from the
 * password grant; v3.0 is read through the client, v4 with plain HTTP and the contract's schemas.
 */

const mock = createMockConcur({ seed: 2104, size: 40, companies: 1, datacenters: ['us'] })
let running: RunningMock
let origin: string
let token: string

beforeAll(async () => {
  running = await mock.listen({ host: '127.0.0.1', port: 0 })
  origin = running.datacenters.us!
  const c = mock.state.companies[0]!
  const tokens = await passwordGrant({
    clientId: c.apps[0]!.clientId,
    clientSecret: c.apps[0]!.clientSecret,
    username: c.users[0]!.loginId,
    password: c.users[0]!.password,
    baseUrl: origin,
  })
  token = tokens.accessToken.reveal()
})
afterAll(async () => {
  await running.close()
})

async function v4<T>(
  method: string,
  path: string,
  schema: { parse(x: unknown): T },
  body?: unknown,
  status = 200,
) {
  const res = await fetch(path.startsWith('http') ? path : `${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  expect(res.status, `${method} ${path}: ${text}`).toBe(status)
  return schema.parse(JSON.parse(text))
}

/** Every item of every list through List v4: lists, then children level by level, page by page. */
async function walkV4(): Promise<ListV4Item[]> {
  const all: ListV4Item[] = []
  const pages = async (first: string) => {
    const out: ListV4Item[] = []
    for (let n = 1; ; n++) {
      const page = await v4('GET', `${first}?page=${n}`, ListV4ItemPage)
      out.push(...page.content)
      if (n >= page.page.totalPages) return out
    }
  }
  const lists = await v4('GET', '/list/v4/lists', ListV4ListPage)
  let level = (await Promise.all(lists.content.map((l) => pages(`/list/v4/lists/${l.id}/children`)))).flat()
  while (level.length > 0) {
    all.push(...level)
    const parents = level.filter((i) => i.lists.some((l) => l.hasChildren))
    level = (await Promise.all(parents.map((p) => pages(`/list/v4/items/${p.id}/children`)))).flat()
  }
  return all
}

async function manifestCount(): Promise<number> {
  const company = mock.state.companies[0]!.id
  const res = await fetch(`${origin}/_mock/manifest?company=${company}&resource=list-items`)
  const body = (await res.json()) as { companies: { resources: Record<string, { count: number }> }[] }
  return body.companies[0]!.resources['list-items']!.count
}

describe('List v4 ⇄ v3.0 list items (e2e over sockets)', () => {
  it('walks every item of the manifest through List v4, with the v3.0 codes as long codes', async () => {
    const items = await walkV4()
    expect(items.length).toBe(await manifestCount())
    const client = createConcurClient({ auth: staticToken(token, origin) })
    try {
      const v3 = await client.listItems.list().toArray()
      const codes = (r: Record<string, unknown>) =>
        Array.from({ length: 10 }, (_, k) => r[`Level${k + 1}Code`])
          .filter((c) => typeof c === 'string')
          .join('-')
      expect(items.map((i) => `${i.code}|${i.value}`).sort()).toEqual(
        v3.map((r) => `${codes(r)}|${r.Name}`).sort(),
      )
    } finally {
      await client.close()
    }
  })

  it('an item added through List Item v4 is listed by v3.0 list items, and the reverse', async () => {
    const client = createConcurClient({ auth: staticToken(token, origin) })
    try {
      const v4Lists = await v4('GET', '/list/v4/lists?value=eq:Departments', ListV4ListPage)
      const departments = v4Lists.content[0]!
      // The ids differ by design: a client maps a list across the APIs by its name.
      const lists = (await (
        await fetch(`${origin}/api/v3.0/common/lists`, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        })
      ).json()) as { Items: { ID: string; Name: string }[] }
      const v3Departments = lists.Items.find((l) => l.Name === departments.value)!
      expect(v3Departments.ID).not.toBe(departments.id)

      // v4 → v3.0
      const made = await v4(
        'POST',
        '/list/v4/items',
        ListV4Item,
        { listId: departments.id, shortCode: 'E2E4', value: 'Added through v4' },
        201,
      )
      const afterV4 = await client.listItems.list({ listId: v3Departments.ID }).toArray()
      expect(afterV4.find((i) => i.Level1Code === 'E2E4')).toMatchObject({
        Name: 'Added through v4',
        ListID: v3Departments.ID,
      })

      // v3.0 → v4
      const created = await fetch(`${origin}/api/v3.0/common/listitems`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({ ListID: v3Departments.ID, Name: 'Added through v3.0', Level1Code: 'E2E3' }),
      })
      expect(created.status).toBe(200)
      const children = await v4(
        'GET',
        `/list/v4/lists/${departments.id}/children?shortCodeOrValue=sw:E2E`,
        ListV4ItemPage,
      )
      expect(children.content.map((i) => [i.shortCode, i.value])).toEqual([
        ['E2E3', 'Added through v3.0'],
        ['E2E4', 'Added through v4'],
      ])
      expect(children.content.find((i) => i.shortCode === 'E2E4')!.id).toBe(made.id)
      expect(await walkV4()).toHaveLength(await manifestCount())
      const list = await v4('GET', `/list/v4/lists/${departments.id}`, ListV4List)
      expect(list.value).toBe('Departments')
    } finally {
      await client.close()
    }
  })
})
