import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConcurClientError, ConcurRequestError } from '../src/index.ts'
import { type MockFixture, startMock } from './helpers/mock.ts'

let m: MockFixture
beforeAll(async () => {
  m = await startMock({ seed: 77, size: 30 })
})
afterAll(async () => {
  await m.close()
})

const all = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

describe('client.listV4 (List v4 over the mock)', () => {
  it('walks lists and children page by page, writes items, and the v3.0 accessor sees them', async () => {
    const client = await m.client()
    const lists = await all(client.listV4.lists())
    expect(lists.map((l) => l.value)).toContain('Cost Centers')
    expect((await all(client.listV4.lists({ value: 'sw:Proj' }))).map((l) => l.value)).toEqual(['Projects'])

    const bulk = await client.listV4.createList({ value: 'Client Bulk' })
    expect(bulk.managedBy).toBeNull()
    const parts = Array.from({ length: 230 }, (_, i) => ({
      shortCode: `B${String(i).padStart(3, '0')}`,
      value: `Bulk ${i}`,
    }))
    const answer = await client.listV4.bulkCreate(bulk.id, parts)
    expect(answer).toMatchObject({ status: 'SUCCESS', recordsSucceeded: 230 })
    const items = await all(client.listV4.children({ listId: bulk.id }, { sortBy: 'shortCode' }))
    expect(items.map((i) => i.shortCode)).toEqual(parts.map((p) => p.shortCode)) // three pages

    const child = await client.listV4.createItem({
      listId: bulk.id,
      parentCode: 'B000',
      shortCode: 'KID',
      value: 'Kid',
    })
    expect(child.code).toBe('B000-KID')
    expect(await all(client.listV4.children({ itemId: child.parentId! }))).toEqual([child])
    expect((await client.listV4.updateItem(child.id, { shortCode: 'KID', value: 'Kid 2' })).value).toBe(
      'Kid 2',
    )
    const v3 = await client.listItems.list({ name: 'Kid 2' }).toArray()
    expect(v3.map((i) => [i.Level1Code, i.Level2Code])).toEqual([['B000', 'KID']])
    await client.listV4.deleteItem(child.id, { listId: bulk.id })
    expect(await client.listItems.list({ name: 'Kid 2' }).toArray()).toEqual([])
    await client.listV4.deleteList(bulk.id)
  })

  it('surfaces the List v4 error id and status, and checks arguments before sending', async () => {
    const client = await m.client()
    const cc = (await all(client.listV4.lists({ value: 'Cost Centers' })))[0]!
    const err = await client.listV4
      .createItem({ listId: cc.id, shortCode: 'CC1000', value: 'dup' })
      .catch((e) => e)
    expect(err).toBeInstanceOf(ConcurRequestError)
    expect(err).toMatchObject({ status: 400 })
    expect(String(err.message)).toContain('item.duplicate.code')
    const missing = await client.listV4.item('00000000-0000-4000-8000-000000000000').catch((e) => e)
    expect(missing).toMatchObject({ status: 404 })
    await expect(client.listV4.bulkCreate(cc.id, [])).rejects.toBeInstanceOf(ConcurClientError)
    await expect(client.listV4.item('')).rejects.toBeInstanceOf(ConcurClientError)
  })
})
