import {
  LIST_V4_BULK_MAX,
  type ListV4BulkCreate,
  ListV4BulkResponse,
  type ListV4Create,
  ListV4Item,
  type ListV4ItemCreate,
  ListV4ItemPage,
  type ListV4ItemUpdate,
  ListV4List,
  ListV4ListPage,
  type ListV4Update,
} from '@concurkit/contract'
import type { z } from 'zod'
import { invalidArgument } from './errors.js'
import type { RawResponse, SendRequest, Transport } from './http.js'
import { parseJson, validateItem } from './parse.js'

/** Query of a List v4 collection: filters as `field=<op>:<value>` (e.g. `{ value: 'sw:Cost' }`), sorting. */
export type ListV4Query = Readonly<Record<string, string | undefined>>

/**
 * List v4, List Item v4 and List Item Bulk v4 (`/list/v4`). Not registry rows: the collections use
 * the page-number envelope (`page` from 1, 100 per page), walked here page by page.
 *
 * @example
 * for await (const list of client.listV4.lists({ value: 'sw:Cost' })) console.log(list.id, list.value)
 * const item = await client.listV4.createItem({ listId, shortCode: 'CC9000', value: 'Cost Center 9000' })
 */
export interface ListV4Client {
  /** Every list (all pages), filtered and sorted as the query says. */
  lists(query?: ListV4Query, options?: { signal?: AbortSignal }): AsyncIterable<ListV4List>
  list(listId: string, options?: { signal?: AbortSignal }): Promise<ListV4List>
  createList(body: ListV4Create, options?: { signal?: AbortSignal }): Promise<ListV4List>
  updateList(listId: string, body: ListV4Update, options?: { signal?: AbortSignal }): Promise<ListV4List>
  deleteList(listId: string, options?: { signal?: AbortSignal }): Promise<void>
  /** Children (all pages): a list's first level (`{ listId }`) or an item's children (`{ itemId }`, optionally within `listId`). */
  children(
    of: { listId: string; itemId?: string } | { itemId: string },
    query?: ListV4Query,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<ListV4Item>
  item(itemId: string, options?: { signal?: AbortSignal }): Promise<ListV4Item>
  createItem(body: ListV4ItemCreate, options?: { signal?: AbortSignal }): Promise<ListV4Item>
  updateItem(itemId: string, body: ListV4ItemUpdate, options?: { signal?: AbortSignal }): Promise<ListV4Item>
  /** Deletes an item (from every list, or from `listId` only). */
  deleteItem(itemId: string, options?: { listId?: string; signal?: AbortSignal }): Promise<void>
  /**
   * `POST /lists/{listId}/bulk`: up to 250 items, created in order (never retried). All or some
   * created (201/206) resolve with the answer naming the failed parts; none created (400) rejects.
   */
  bulkCreate(
    listId: string,
    requests: ListV4BulkCreate['requests'],
    options?: { signal?: AbortSignal },
  ): Promise<ListV4BulkResponse>
}

const seg = (s: string) => {
  if (typeof s !== 'string' || s === '') invalidArgument('a List v4 id must be a non-empty string')
  return encodeURIComponent(s)
}

/** The List v4 accessor over a client's transport. */
export function listV4Client(transport: Transport): ListV4Client {
  const sig = (s?: AbortSignal) => (s ? { signal: s } : {})
  const json =
    <T>(schema: z.ZodType<T>, where: string) =>
    (res: RawResponse) =>
      validateItem(schema, parseJson(res.body), where)
  const send = <T>(req: SendRequest, schema: z.ZodType<T>, where: string) =>
    transport.send(req, json(schema, where))
  const write = (method: 'POST' | 'PUT', url: string, body: unknown, signal?: AbortSignal): SendRequest => ({
    method,
    url,
    accept: 'application/json',
    contentType: 'application/json',
    body: JSON.stringify(body),
    ...sig(signal),
  })
  async function* pages<T>(
    url: string,
    schema: typeof ListV4ListPage | typeof ListV4ItemPage,
    query: ListV4Query,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<T> {
    for (let page = 1; ; page++) {
      const body = await send(
        { url, query: { ...query, page: String(page) }, accept: 'application/json', ...sig(signal) },
        schema as z.ZodType<{ content: unknown[]; page: { totalPages: number } }>,
        url,
      )
      for (const row of body.content) yield row as T
      if (page >= body.page.totalPages || body.content.length === 0) return
    }
  }
  return {
    lists: (query = {}, o = {}) => pages<ListV4List>('/list/v4/lists', ListV4ListPage, query, o.signal),
    list: async (id, o = {}) =>
      send(
        { url: `/list/v4/lists/${seg(id)}`, accept: 'application/json', ...sig(o.signal) },
        ListV4List,
        'list',
      ),
    createList: async (body, o = {}) =>
      send(write('POST', '/list/v4/lists', body, o.signal), ListV4List, 'list'),
    updateList: async (id, body, o = {}) =>
      send(write('PUT', `/list/v4/lists/${seg(id)}`, body, o.signal), ListV4List, 'list'),
    deleteList: async (id, o = {}) => {
      await transport.send(
        { method: 'DELETE', url: `/list/v4/lists/${seg(id)}`, ...sig(o.signal) },
        () => undefined,
      )
    },
    async *children(of, query = {}, o = {}) {
      const url =
        'listId' in of && of.listId !== undefined
          ? of.itemId === undefined
            ? `/list/v4/lists/${seg(of.listId)}/children`
            : `/list/v4/lists/${seg(of.listId)}/items/${seg(of.itemId)}/children`
          : `/list/v4/items/${seg((of as { itemId: string }).itemId)}/children`
      yield* pages<ListV4Item>(url, ListV4ItemPage, query, o.signal)
    },
    item: async (id, o = {}) =>
      send(
        { url: `/list/v4/items/${seg(id)}`, accept: 'application/json', ...sig(o.signal) },
        ListV4Item,
        'list item',
      ),
    createItem: async (body, o = {}) =>
      send(write('POST', '/list/v4/items', body, o.signal), ListV4Item, 'list item'),
    updateItem: async (id, body, o = {}) =>
      send(write('PUT', `/list/v4/items/${seg(id)}`, body, o.signal), ListV4Item, 'list item'),
    deleteItem: async (id, o = {}) => {
      const url =
        o.listId === undefined
          ? `/list/v4/items/${seg(id)}`
          : `/list/v4/lists/${seg(o.listId)}/items/${seg(id)}`
      await transport.send({ method: 'DELETE', url, ...sig(o.signal) }, () => undefined)
    },
    bulkCreate: async (listId, requests, o = {}) => {
      if (!Array.isArray(requests) || requests.length < 1 || requests.length > LIST_V4_BULK_MAX)
        invalidArgument(`a bulk request carries 1 to ${LIST_V4_BULK_MAX} items`)
      return send(
        write('POST', `/list/v4/lists/${seg(listId)}/bulk`, { requests }, o.signal),
        ListV4BulkResponse,
        'bulk response',
      )
    },
  }
}
