import {
  ListV4BulkCreate,
  ListV4BulkResponse,
  ListV4BulkUpdate,
  ListV4Create,
  ListV4Error,
  ListV4Item,
  ListV4ItemCreate,
  ListV4ItemPage,
  ListV4ItemUpdate,
  ListV4List,
  ListV4ListPage,
  ListV4Update,
} from '@concurkit/contract'
import type { z } from 'zod'
import { componentRef } from '../openapi/family-schemas.js'

type Json = Record<string, unknown>

/** The List v4 schemas, by OpenAPI component name (registered by the document, referenced here). */
export const LIST_V4_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  ListV4List,
  ListV4Item,
  ListV4ListPage,
  ListV4ItemPage,
  ListV4Create,
  ListV4Update,
  ListV4ItemCreate,
  ListV4ItemUpdate,
  ListV4BulkCreate,
  ListV4BulkUpdate,
  ListV4BulkResponse,
  ListV4Error,
}

const schema = componentRef(LIST_V4_SCHEMAS, 'List v4')

/**
 * The List v4, List Item v4 and List Item Bulk v4 paths for the OpenAPI document (concur-api-v4 §5),
 * with the contract's `ListV4*` schemas.
 */
export function listV4Paths(): Record<string, Record<string, Json>> {
  const json = (s: z.ZodType, description: string) => ({
    description,
    content: { 'application/json': { schema: schema(s) } },
  })
  const body = (s: z.ZodType) => ({
    required: true,
    content: { 'application/json': { schema: schema(s) } },
  })
  const error = json(ListV4Error, 'List v4 error body.')
  const errors = { '400': error, '401': error, '403': error, '404': error, '415': error }
  const str = (name: string, where: 'path' | 'query', description?: string) => ({
    name,
    in: where,
    required: where === 'path',
    schema: { type: 'string' },
    ...(description ? { description } : {}),
  })
  const page = { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } }
  const listQuery = [
    page,
    str('sortBy', 'query', 'name | levelcount | listcategory (default name)'),
    str('sortDirection', 'query', 'asc | desc'),
    str('value', 'query', '<op>:<value>, op eq | not | sw | ew | cp'),
    str('isDeleted', 'query', 'eq:true | eq:false'),
    str('levelCount', 'query', '<op>:<n>, op eq | gt | gte | lt | lte'),
    str('category.type', 'query', '<op>:<type>, op eq | not'),
  ]
  const childQuery = [
    page,
    str('sortBy', 'query', 'value | shortCode (default value)'),
    str('sortDirection', 'query', 'asc | desc'),
    str('hasChildren', 'query'),
    str('isDeleted', 'query'),
    str('value', 'query', '<op>:<value>, op eq | not | sw | ew | cp'),
    str('shortCode', 'query', '<op>:<value>'),
    str('shortCodeOrValue', 'query', '<op>:<value> on the short code or the value'),
  ]
  const tags = ['List v4']
  const sec = (scope: string) => [{ concurOAuth: [scope] }, { bearer: [] }]
  const created = (s: z.ZodType, d: string) => ({
    ...json(s, d),
    headers: { location: { schema: { type: 'string' }, description: 'URL of the new record' } },
  })
  const gone = { description: 'Deleted (no body).' }
  const bulk = (ok: '200' | '201') => ({
    [ok]: json(ListV4BulkResponse, 'Every part succeeded.'),
    '206': json(ListV4BulkResponse, 'Some parts failed (see errors).'),
    '400': {
      description: 'Every part failed (BulkListItemResponse), or the request is invalid (error body).',
      content: {
        'application/json': { schema: { oneOf: [schema(ListV4BulkResponse), schema(ListV4Error)] } },
      },
    },
  })
  const o = (id: string, summary: string, scope: string, rest: Json) => ({
    operationId: `listV4.${id}`,
    summary,
    tags,
    security: sec(scope),
    ...rest,
  })
  const listId = str('listId', 'path')
  const itemId = str('itemId', 'path')
  return {
    '/list/v4/lists': {
      get: o('getLists', 'Lists (page envelope, 100 per page)', 'spend.list.read', {
        parameters: listQuery,
        responses: { '200': json(ListV4ListPage, 'A page of lists.'), ...errors },
      }),
      post: o('createList', 'Create a list', 'spend.list.write', {
        requestBody: body(ListV4Create),
        responses: { '201': created(ListV4List, 'The new list.'), ...errors },
      }),
    },
    '/list/v4/lists/{listId}': {
      get: o('getList', 'One list', 'spend.list.read', {
        parameters: [listId],
        responses: { '200': json(ListV4List, 'The list.'), ...errors },
      }),
      put: o('updateList', 'Update a list', 'spend.list.write', {
        parameters: [listId],
        requestBody: body(ListV4Update),
        responses: { '200': json(ListV4List, 'The list.'), ...errors },
      }),
      delete: o('deleteList', 'Delete a list (and its items)', 'spend.list.delete', {
        parameters: [listId],
        responses: { '204': gone, ...errors },
      }),
    },
    '/list/v4/categories/{categoryId}/lists': {
      get: o('getCategoryLists', 'Lists of a category', 'spend.list.read', {
        parameters: [str('categoryId', 'path'), ...listQuery],
        responses: { '200': json(ListV4ListPage, 'A page of lists.'), ...errors },
      }),
    },
    '/list/v4/lists/{listId}/children': {
      get: o('getListChildren', 'First-level items of a list', 'spend.listitem.read', {
        parameters: [listId, ...childQuery],
        responses: { '200': json(ListV4ItemPage, 'A page of items.'), ...errors },
      }),
    },
    '/list/v4/items/{itemId}/children': {
      get: o('getItemChildren', 'Children of an item', 'spend.listitem.read', {
        parameters: [itemId, ...childQuery],
        responses: { '200': json(ListV4ItemPage, 'A page of items.'), ...errors },
      }),
    },
    '/list/v4/lists/{listId}/items/{itemId}/children': {
      get: o('getListItemChildren', 'Children of an item of a list', 'spend.listitem.read', {
        parameters: [listId, itemId, ...childQuery],
        responses: { '200': json(ListV4ItemPage, 'A page of items.'), ...errors },
      }),
    },
    '/list/v4/lists/{listId}/items/{itemId}': {
      delete: o('deleteListItem', 'Remove an item from a list', 'spend.listitem.delete', {
        parameters: [listId, itemId],
        responses: { '204': gone, ...errors },
      }),
    },
    '/list/v4/items': {
      post: o(
        'createItem',
        'Create an item (first level, or under parentId / parentCode)',
        'spend.listitem.write',
        {
          requestBody: body(ListV4ItemCreate),
          responses: { '201': created(ListV4Item, 'The new item.'), ...errors },
        },
      ),
    },
    '/list/v4/items/{itemId}': {
      get: o('getItem', 'One item', 'spend.listitem.read', {
        parameters: [itemId],
        responses: { '200': json(ListV4Item, 'The item.'), ...errors },
      }),
      put: o('updateItem', 'Update an item', 'spend.listitem.write', {
        parameters: [itemId],
        requestBody: body(ListV4ItemUpdate),
        responses: { '200': json(ListV4Item, 'The item.'), ...errors },
      }),
      delete: o('deleteItem', 'Delete an item (and the items below it)', 'spend.listitem.delete', {
        parameters: [itemId],
        responses: { '204': gone, ...errors },
      }),
    },
    '/list/v4/lists/{listId}/bulk': {
      post: o('bulkCreate', 'Create up to 250 items, in order', 'spend.listitem.write', {
        parameters: [listId],
        requestBody: body(ListV4BulkCreate),
        responses: { ...bulk('201'), '401': error, '403': error, '404': error, '415': error },
      }),
      patch: o(
        'bulkUpdate',
        'Update or delete up to 250 items by long code, in order',
        'spend.listitem.write',
        {
          parameters: [listId],
          requestBody: body(ListV4BulkUpdate),
          responses: { ...bulk('200'), '401': error, '403': error, '404': error, '415': error },
        },
      ),
    },
  }
}
