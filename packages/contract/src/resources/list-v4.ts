import { z } from 'zod'
import { defineResource } from '../registry.js'

/**
 * List v4, List Item v4 and List Item Bulk v4 wire shapes (`/list/v4`, concur-api-v4 §5; swagger
 * List/ListItem/ListItemBulk.swagger2.json). The lists are the registry row `list-v4-lists`; items
 * are read per list (children, codes) through `client.listV4`.
 *
 * @example
 * ListV4Page(ListV4List).parse(await res.json()).content[0]?.value
 */

/** The fixed page size of every List v4 collection. */
export const LIST_V4_PAGE_SIZE = 100
/** The most parts one List Item Bulk v4 request may carry. */
export const LIST_V4_BULK_MAX = 250

/** The List v4 scopes (read, write, delete of lists and of list items; bulk needs `spend.listitem.write`). */
export const LIST_V4_SCOPES = [
  'spend.list.read',
  'spend.list.write',
  'spend.list.delete',
  'spend.listitem.read',
  'spend.listitem.write',
  'spend.listitem.delete',
] as const
export type ListV4Scope = (typeof LIST_V4_SCOPES)[number]

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)

/** A list's category (`type` Vendor, Configuration, Normal …). */
export const ListV4Category = z.looseObject({ id: uuid, type: z.string() })
export type ListV4Category = z.infer<typeof ListV4Category>

/**
 * `ListResponse`: one list.
 *
 * @example
 * ListV4List.parse(body).managedBy // 'appId:…' | 'service:…' | null
 */
export const ListV4List = z.looseObject({
  id: uuid,
  value: z.string(),
  levelCount: z.number().int(),
  searchCriteria: z.enum(['TEXT', 'CODE']),
  displayFormat: z.enum(['(CODE) TEXT', 'TEXT (CODE)']),
  category: ListV4Category,
  isReadOnly: z.boolean(),
  isDeleted: z.boolean(),
  managedBy: z
    .string()
    .regex(/^(appId|service):\S+$/)
    .nullable(),
  externalThreshold: z.number().int().optional(),
})
export type ListV4List = z.infer<typeof ListV4List>

/** `ListItemMemberList`: a list an item belongs to. */
export const ListV4ItemMembership = z.looseObject({ id: uuid, hasChildren: z.boolean() })

/**
 * `ListItem`: one list item; `code` is the long code (the ancestors' short codes and its own, joined by `-`).
 *
 * @example
 * ListV4Item.parse(body).code // 'ITEM-SECOND LEVEL ITEM'
 */
export const ListV4Item = z.looseObject({
  id: uuid,
  code: z.string(),
  shortCode: z.string(),
  value: z.string(),
  parentId: uuid.nullable().optional(),
  listId: uuid.optional(),
  level: z.number().int().min(1),
  isDeleted: z.boolean(),
  lists: z.array(ListV4ItemMembership),
})
export type ListV4Item = z.infer<typeof ListV4Item>

/** A `links` entry of the page envelope. */
export const ListV4Link = z.looseObject({ rel: z.string(), href: z.string() })

/**
 * The List v4 page envelope: `{links, content, page{size, totalElements, totalPages, number}}`, `number` from 1.
 *
 * @example
 * ListV4Page(ListV4Item).parse(body).page.totalPages
 */
export function ListV4Page<T extends z.ZodType>(item: T) {
  return z.looseObject({
    links: z.array(ListV4Link),
    content: z.array(item),
    page: z.looseObject({
      size: z.number().int(),
      totalElements: z.number().int().min(0),
      totalPages: z.number().int().min(0),
      number: z.number().int().min(1),
    }),
  })
}
export const ListV4ListPage = ListV4Page(ListV4List)
export type ListV4ListPage = z.infer<typeof ListV4ListPage>
export const ListV4ItemPage = ListV4Page(ListV4Item)
export type ListV4ItemPage = z.infer<typeof ListV4ItemPage>

/** `ListRequest` (POST `/lists`). */
export const ListV4Create = z.strictObject({
  value: z.string().min(1).max(64),
  searchCriteria: z.enum(['TEXT', 'CODE']).optional(),
  displayFormat: z.enum(['(CODE) TEXT', 'TEXT (CODE)']).optional(),
  categoryId: uuid.optional(),
  isManaged: z.boolean().optional(),
})
export type ListV4Create = z.infer<typeof ListV4Create>

/** `ListUpdate` (PUT `/lists/{listId}`). */
export const ListV4Update = z.strictObject({
  value: z.string().min(1).max(64),
  searchCriteria: z.enum(['TEXT', 'CODE']).optional(),
  displayFormat: z.enum(['(CODE) TEXT', 'TEXT (CODE)']).optional(),
  isManaged: z.boolean().optional(),
})
export type ListV4Update = z.infer<typeof ListV4Update>

const shortCode = z
  .string()
  .min(1)
  .max(32)
  .refine((s) => !s.includes('-'), 'hyphens must not be used in codes')

/** `ListItemCreate` (POST `/items`): under `parentId` or `parentCode` (the parent's long code), or first level. */
export const ListV4ItemCreate = z.strictObject({
  listId: uuid,
  shortCode,
  value: z.string().min(1).max(64),
  parentId: uuid.optional(),
  parentCode: z.string().min(1).optional(),
})
export type ListV4ItemCreate = z.infer<typeof ListV4ItemCreate>

/** `ListItemUpdate` (PUT `/items/{itemId}`). */
export const ListV4ItemUpdate = z.strictObject({ shortCode, value: z.string().min(1).max(64) })
export type ListV4ItemUpdate = z.infer<typeof ListV4ItemUpdate>

/** A part of `POST /lists/{listId}/bulk`. */
export const ListV4BulkCreatePart = z.strictObject({
  shortCode,
  value: z.string().min(1).max(64),
  parentCode: z.string().min(1).optional(),
})
/** A part of `PATCH /lists/{listId}/bulk` (`code` is the long code). */
export const ListV4BulkUpdatePart = z.strictObject({
  code: z.string().min(1),
  value: z.string().min(1).max(64).optional(),
  deleted: z.boolean().optional(),
})
export const ListV4BulkCreate = z.strictObject({ requests: z.array(ListV4BulkCreatePart) })
export type ListV4BulkCreate = z.infer<typeof ListV4BulkCreate>
export const ListV4BulkUpdate = z.strictObject({ requests: z.array(ListV4BulkUpdatePart) })
export type ListV4BulkUpdate = z.infer<typeof ListV4BulkUpdate>

/** `BulkListItemResponse`: 201 (POST all ok), 200 (PATCH all ok), 206 (partial), 400 (all failed). */
export const ListV4BulkResponse = z.looseObject({
  status: z.enum(['SUCCESS', 'PARTIAL_SUCCESS', 'FAILURE']),
  recordsSucceeded: z.number().int().min(0),
  recordsFailed: z.number().int().min(0),
  errors: z.array(
    z.looseObject({ id: z.string(), message: z.string(), listItem: z.record(z.string(), z.unknown()) }),
  ),
})
export type ListV4BulkResponse = z.infer<typeof ListV4BulkResponse>

/**
 * The List v4 error body, e.g. `{"timestamp", "httpStatus":"400 - Bad Request", "error":{"id":"request.validation.error","message"}, "path", "validationErrors":[…]}`.
 *
 * @example
 * ListV4Error.parse(body).error.id // 'list.is.managed'
 */
export const ListV4Error = z.looseObject({
  error: z.looseObject({ id: z.string(), message: z.string() }),
  httpStatus: z
    .string()
    .regex(/^\d{3} - .+$/)
    .optional(),
  path: z.string().optional(),
  timestamp: z.string().optional(),
  validationErrors: z.array(z.looseObject({ source: z.string(), message: z.string() })).optional(),
})
export type ListV4Error = z.infer<typeof ListV4Error>

/**
 * The registry row of List v4 lists: the page envelope (`content`, fixed pages of 100, the `next`
 * link in `links`), `field=<op>:<value>` filters (the plain value is `eq`).
 */
export const listV4Lists = defineResource({
  name: 'list-v4-lists',
  title: 'Lists (List v4)',
  api: 'v4',
  path: '/list/v4/lists',
  itemPath: '/list/v4/lists/{id}',
  format: 'json',
  paging: {
    kind: 'json',
    items: 'content',
    next: { type: 'link', field: 'links', rel: 'next' },
    total: 'page.totalElements',
  },
  scope: 'spend.list.read',
  item: ListV4List,
  idField: 'id',
  filters: [
    {
      param: 'value',
      type: 'string',
      field: 'value',
      op: 'ieq',
      description: 'The list name (`eq:` by default; `sw:`, `ew:`, `cp:`, `not:` also documented).',
    },
    {
      param: 'isDeleted',
      type: 'boolean',
      field: 'isDeleted',
      op: 'eq',
      description: 'Deleted (`true`) or live (`false`) lists.',
    },
  ],
  adminOnly: false,
  writes: ['create', 'update', 'delete'],
  reference: 'v4 §5.2',
  errorBody: ListV4Error,
})
