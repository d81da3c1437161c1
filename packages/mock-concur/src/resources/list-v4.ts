import {
  LIST_V4_BULK_MAX,
  LIST_V4_PAGE_SIZE,
  ListV4BulkCreate,
  ListV4BulkUpdate,
  ListV4Create,
  ListV4ItemCreate,
  ListV4ItemUpdate,
  type ListV4Scope,
  ListV4Update,
} from '@concurkit/contract'
import { listV4ErrorId } from '@concurkit/contract/internal'
import { type Context, Hono } from 'hono'
import type { z } from 'zod'
import type { DcContext, MockEnv } from '../context.js'
import { type Dataset, datasetOf } from '../dataset/dataset.js'
import type { DatasetOverlay } from '../dataset/overlay.js'
import { providerOf, type WireRecord } from '../dataset/providers.js'
import { LISTS } from '../dataset/tables.js'
import { MockConnectionReset } from '../faults.js'
import { answerFamilyError, ConcurHttpError } from '../http/errors.js'
import { requestHeader } from '../http/headers.js'
import { requireToken } from '../oauth/guard.js'
import type { Principal } from '../principal.js'
import type { MockState } from '../state.js'
import { overlaysOf } from './engine.js'
import {
  buildView,
  CATEGORY_TYPES,
  categoryId,
  type ItemNode,
  itemByCode,
  itemWire,
  type ListNode,
  type ListV4View,
  listWire,
  MAX_LEVELS,
  subtree,
  type V3Ref,
} from './list-v4-view.js'
import type { RowProvider } from './row-provider.js'
import { nextCreatedId } from './writes.js'

/** An error answered with the List v4 error body (`error{id,message}`, `httpStatus`, `path`, `timestamp`, `validationErrors`). */
export class ListV4HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 415 | 429 | 500,
    readonly id: string,
    message: string,
    readonly validationErrors?: readonly { source: string; message: string }[],
  ) {
    super(message)
  }
}

const invalid = (source: string, message: string) =>
  new ListV4HttpError(400, 'request.validation.error', 'Please check your request parameter', [
    { source, message },
  ])
const listNotFound = () => new ListV4HttpError(404, 'list.not.found', 'The list was not found')
const itemNotFound = () => new ListV4HttpError(404, 'item.not.found', 'The list item was not found')
const managedError = () =>
  new ListV4HttpError(400, 'list.is.managed', 'Modify operation not permitted on this managed list')

/** Per-mock List v4 state that has no v3.0 field: which app manages a list (by company and v3.0 list ID). */
interface ListV4Store {
  readonly managed: Map<string, string>
  reset(): void
}

type Op = 'eq' | 'not' | 'sw' | 'ew' | 'cp' | 'gt' | 'gte' | 'lt' | 'lte'
const OP = /^(eq|not|sw|ew|cp|gt|gte|lt|lte):([\s\S]*)$/
const TEXT_OPS: readonly Op[] = ['eq', 'not', 'sw', 'ew', 'cp']

/** Parses `field=<op>:<value>` (`eq` when no operator is given). */
function parseFilter(field: string, raw: string, allowed: readonly Op[]): { op: Op; value: string } {
  const m = OP.exec(raw)
  const op = (m?.[1] ?? 'eq') as Op
  const value = m ? m[2]! : raw
  if (!allowed.includes(op))
    throw invalid(field, `operator '${op}' is not supported; use ${allowed.join(', ')}`)
  return { op, value }
}

function textMatch(op: Op, actual: string, wanted: string): boolean {
  const a = actual.toLowerCase()
  const w = wanted.toLowerCase()
  switch (op) {
    case 'eq':
      return a === w
    case 'not':
      return a !== w
    case 'sw':
      return a.startsWith(w)
    case 'ew':
      return a.endsWith(w)
    default:
      return a.includes(w)
  }
}

function numberMatch(op: Op, actual: number, wanted: number): boolean {
  return op === 'eq'
    ? actual === wanted
    : op === 'gt'
      ? actual > wanted
      : op === 'gte'
        ? actual >= wanted
        : op === 'lt'
          ? actual < wanted
          : actual <= wanted
}

function boolParam(field: string, raw: string): boolean {
  const { value } = parseFilter(field, raw, ['eq'])
  if (value !== 'true' && value !== 'false') throw invalid(field, 'must be true or false')
  return value === 'true'
}

/** The page of a sorted collection, in the List v4 envelope (`page` from 1, size fixed at 100). */
function paged<T>(url: URL, rows: readonly T[]): object {
  const raw = url.searchParams.get('page')
  let number = 1
  if (raw !== null) {
    if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw invalid('page', 'must be an integer of at least 1')
    number = Number(raw)
  }
  const totalPages = Math.ceil(rows.length / LIST_V4_PAGE_SIZE)
  const link = (rel: string, n: number) => {
    const u = new URL(url.toString())
    u.searchParams.set('page', String(n))
    return { rel, href: u.toString() }
  }
  const links =
    totalPages > 1
      ? [
          link('first', 1),
          ...(number > 1 ? [link('previous', Math.min(number - 1, totalPages))] : []),
          ...(number < totalPages ? [link('next', number + 1)] : []),
          link('last', totalPages),
        ]
      : []
  return {
    links,
    content: rows.slice((number - 1) * LIST_V4_PAGE_SIZE, number * LIST_V4_PAGE_SIZE),
    page: { size: LIST_V4_PAGE_SIZE, totalElements: rows.length, totalPages, number },
  }
}

function onlyParams(url: URL, allowed: readonly string[]): void {
  for (const k of url.searchParams.keys())
    if (!allowed.includes(k)) throw invalid(k, `unknown query parameter '${k}'`)
}

function sortDirection(p: URLSearchParams): 1 | -1 {
  const d = p.get('sortDirection')
  if (d === null || d.toLowerCase() === 'asc') return 1
  if (d.toLowerCase() === 'desc') return -1
  throw invalid('sortDirection', 'must be asc or desc')
}

const cmp = (a: string | number, b: string | number) =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : String(a).toLowerCase() < String(b).toLowerCase()
      ? -1
      : String(a).toLowerCase() > String(b).toLowerCase()
        ? 1
        : 0

async function readJson<T extends z.ZodType>(c: Context<MockEnv>, schema: T): Promise<z.infer<T>> {
  const type = (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!type.includes('json'))
    throw new ListV4HttpError(415, 'request.media.type.not.supported', 'Send the body as application/json')
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    throw new ListV4HttpError(400, 'request.body.not.readable', 'The request body is not valid JSON')
  }
  const r = schema.safeParse(body)
  if (!r.success) {
    throw new ListV4HttpError(
      400,
      'request.validation.error',
      'Please check your request parameter',
      r.error.issues.map((i) => ({ source: i.path.join('.') || 'body', message: i.message })),
    )
  }
  return r.data
}

/** Whether a token carries a List v4 scope (`…write` also allows reads; the Connect `LIST` scope allows everything). */
function requireScope(p: Principal, scope: ListV4Scope): void {
  const s = p.scopes as ReadonlySet<string>
  if (s.has(scope) || s.has('LIST')) return
  if (scope.endsWith('.read') && s.has(scope.replace('.read', '.write'))) return
  throw new ListV4HttpError(403, 'security.forbidden', `The access token lacks the ${scope} scope`)
}

const listV4Store = (state: MockState): ListV4Store =>
  state.store('list-v4', () => {
    const managed = new Map<string, string>()
    return { managed, reset: () => managed.clear() }
  })
const managedKeyOf = (ds: Dataset, list: ListNode) => `${ds.company.id}\u001f${String(list.ref.record.ID)}`
/** A list as List v4 shows it (its managing app, its seeded level names). */
const listOutOf = (state: MockState, ds: Dataset, list: ListNode) =>
  listWire(
    ds,
    list,
    listV4Store(state).managed.get(managedKeyOf(ds, list)) ?? null,
    list.ref.created ? undefined : LISTS[list.ref.index]?.levels,
  )

/**
 * The lists of a company as `GET /list/v4/lists` returns them across its pages: filtered by the
 * query's `value`, `isDeleted`, `levelCount` and `category.type`, sorted by `sortBy`/`sortDirection`
 * (name ascending by default), optionally only one category's.
 *
 * @example
 * listV4Lists(state, ds, new URLSearchParams('value=sw:Cost')).length
 */
export function listV4Lists(state: MockState, ds: Dataset, p: URLSearchParams, only?: string) {
  const view = buildView(ds, overlaysOf(state))
  let rows = view.lists.map((l) => listOutOf(state, ds, l))
  if (only !== undefined) rows = rows.filter((r) => r.category.id === only)
  for (const raw of p.getAll('value')) {
    const f = parseFilter('value', raw, TEXT_OPS)
    rows = rows.filter((r) => textMatch(f.op, r.value, f.value))
  }
  for (const raw of p.getAll('isDeleted')) {
    const want = boolParam('isDeleted', raw)
    rows = rows.filter((r) => r.isDeleted === want)
  }
  for (const raw of p.getAll('levelCount')) {
    const f = parseFilter('levelCount', raw, ['eq', 'gt', 'gte', 'lt', 'lte'])
    if (!/^-?\d{1,9}$/.test(f.value)) throw invalid('levelCount', 'must be an integer')
    rows = rows.filter((r) => numberMatch(f.op, r.levelCount, Number(f.value)))
  }
  for (const raw of p.getAll('category.type')) {
    const f = parseFilter('category.type', raw, ['eq', 'not'])
    rows = rows.filter((r) => textMatch(f.op, r.category.type, f.value))
  }
  const by = (p.get('sortBy') ?? 'name').toLowerCase()
  const key = { name: 'value', levelcount: 'levelCount', listcategory: 'category' }[by]
  if (!key) throw invalid('sortBy', 'must be name, levelcount or listcategory')
  const dir = sortDirection(p)
  const sortKey = (r: (typeof rows)[number]) =>
    key === 'value' ? r.value : key === 'levelCount' ? r.levelCount : r.category.type
  rows = [...rows].sort(
    (a, b) => dir * (cmp(sortKey(a), sortKey(b)) || cmp(a.value, b.value) || cmp(a.id, b.id)),
  )
  return rows
}

/** Writes need an administrator: any company token, or a user token of an administrator. */
function requireAdmin(p: Principal): void {
  if (!p.isAdmin)
    throw new ListV4HttpError(
      403,
      'security.forbidden',
      'Only a configuration administrator may change lists and list items',
    )
}

/**
 * List v4, List Item v4 and List Item Bulk v4 (`/list/v4`): a second view of the lists and items of
 * `/api/v3.0/common/lists` and `/listitems`. Writes go to the same overlays as v3.0 writes, so each
 * API reads the other's changes.
 *
 * @example
 * app.route('/', listV4Routes(ctx))
 */
export function listV4Routes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()
  const store = (): ListV4Store => listV4Store(state)

  app.onError((err, c) => {
    if (err instanceof MockConnectionReset) throw err
    let e: ListV4HttpError
    if (err instanceof ListV4HttpError) e = err
    else if (err instanceof ConcurHttpError && err.status < 500) {
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v)
      e = new ListV4HttpError(err.status as 400, listV4ErrorId(err.status), err.concurMessage)
    } else e = new ListV4HttpError(500, 'internal.server.error', 'Internal Server Error')
    return answerFamilyError(c, 'list-v4', e.status, {
      code: e.id,
      message: e.message,
      nowMs: state.clock.now(),
      ...(e.validationErrors ? { validationErrors: e.validationErrors } : {}),
    })
  })

  const guard = requireToken(ctx)
  const who = (c: Context<MockEnv>) => {
    const principal = c.get('principal')
    const ds = datasetOf(state.options.seed, principal.company)
    const overlays = overlaysOf(state)
    return { principal, ds, overlays, view: buildView(ds, overlays) }
  }
  const managedKey = managedKeyOf
  const managedBy = (ds: Dataset, list: ListNode) => store().managed.get(managedKey(ds, list)) ?? null
  const listOut = (ds: Dataset, list: ListNode) => listOutOf(state, ds, list)
  /** Only the managing app may change a managed list or its items. */
  const mayModify = (ds: Dataset, p: Principal, list: ListNode) => {
    const by = managedBy(ds, list)
    if (by !== null && by !== `appId:${p.clientId}`) throw managedError()
  }
  const findList = (view: ListV4View, id: string | undefined) => {
    const l = view.listById.get(id ?? '')
    if (!l) throw listNotFound()
    return l
  }
  const findItem = (view: ListV4View, id: string | undefined) => {
    const i = view.itemById.get(id ?? '')
    if (!i) throw itemNotFound()
    return i
  }
  const write = (
    ds: Dataset,
    overlays: DatasetOverlay,
    key: 'lists' | 'list-items',
    ref: V3Ref,
    rec: WireRecord | null,
  ) => {
    const overlay = overlays.of(ds.company.id, key)
    if (ref.created) overlay.replaceCreated(ref.created, rec)
    else overlay.patch(ref.index, rec)
  }

  // ---- List v4 ----------------------------------------------------------------------------

  const listsPage = (c: Context<MockEnv>, only?: string) => {
    const url = new URL(c.req.url)
    const { principal, ds } = who(c)
    requireScope(principal, 'spend.list.read')
    onlyParams(url, ['page', 'sortBy', 'sortDirection', 'value', 'isDeleted', 'levelCount', 'category.type'])
    return c.json(paged(url, listV4Lists(state, ds, url.searchParams, only)), 200)
  }

  app.get('/list/v4/lists', guard, (c) => listsPage(c))

  app.get('/list/v4/categories/:categoryId/lists', guard, (c) => {
    const { ds } = who(c)
    const id = c.req.param('categoryId')
    if (!CATEGORY_TYPES.some((t) => categoryId(ds, t) === id))
      throw new ListV4HttpError(404, 'category.not.found', 'The list category was not found')
    return listsPage(c, id)
  })

  app.post('/list/v4/lists', guard, async (c) => {
    const { principal, ds, overlays } = who(c)
    requireScope(principal, 'spend.list.write')
    requireAdmin(principal)
    onlyParams(new URL(c.req.url), [])
    const body = await readJson(c, ListV4Create)
    let type = 'Normal'
    if (body.categoryId !== undefined) {
      const t = CATEGORY_TYPES.find((k) => categoryId(ds, k) === body.categoryId)
      if (!t) throw invalid('categoryId', `no list category with id '${body.categoryId}'`)
      type = t
    }
    const provider = providerOf('lists')!
    const overlay = overlays.of(ds.company.id, 'lists')
    const v3Id = nextCreatedId(ds, provider, overlay)
    const record: WireRecord = {
      Name: body.value,
      ConnectorID: null,
      DisplayCodeFirst: (body.displayFormat ?? '(CODE) TEXT') === '(CODE) TEXT',
      ExternalThreshold: 0,
      IsVendorList: type === 'Vendor',
      SearchCriteriaCode: body.searchCriteria ?? 'TEXT',
      ID: v3Id,
    }
    overlay.add({ record, owner: undefined, hidden: {} })
    const list = buildView(ds, overlays).lists.find((l) => l.ref.record.ID === v3Id)!
    if (body.isManaged) store().managed.set(managedKey(ds, list), `appId:${principal.clientId}`)
    const origin = new URL(c.req.url).origin
    c.header('location', `${origin}/list/v4/lists/${list.id}`)
    return c.json(listOut(ds, list), 201)
  })

  app.get('/list/v4/lists/:listId', guard, (c) => {
    const { principal, ds, view } = who(c)
    requireScope(principal, 'spend.list.read')
    onlyParams(new URL(c.req.url), [])
    return c.json(listOut(ds, findList(view, c.req.param('listId'))), 200)
  })

  app.put('/list/v4/lists/:listId', guard, async (c) => {
    const { principal, ds, overlays, view } = who(c)
    requireScope(principal, 'spend.list.write')
    requireAdmin(principal)
    onlyParams(new URL(c.req.url), [])
    const list = findList(view, c.req.param('listId'))
    const body = await readJson(c, ListV4Update)
    mayModify(ds, principal, list)
    const rec: WireRecord = { ...list.ref.record, Name: body.value }
    if (body.searchCriteria) rec.SearchCriteriaCode = body.searchCriteria
    if (body.displayFormat) rec.DisplayCodeFirst = body.displayFormat === '(CODE) TEXT'
    write(ds, overlays, 'lists', list.ref, rec)
    if (body.isManaged === true) store().managed.set(managedKey(ds, list), `appId:${principal.clientId}`)
    if (body.isManaged === false) store().managed.delete(managedKey(ds, list))
    const after = buildView(ds, overlays).listById.get(list.id)!
    return c.json(listOut(ds, after), 200)
  })

  app.delete('/list/v4/lists/:listId', guard, (c) => {
    const { principal, ds, overlays, view } = who(c)
    requireScope(principal, 'spend.list.delete')
    requireAdmin(principal)
    onlyParams(new URL(c.req.url), [])
    const list = findList(view, c.req.param('listId'))
    mayModify(ds, principal, list)
    // Its items go with it, so the v3.0 list items API does not keep serving them.
    for (const item of [...list.items].reverse()) write(ds, overlays, 'list-items', item.ref, null)
    write(ds, overlays, 'lists', list.ref, null)
    store().managed.delete(managedKey(ds, list))
    return c.body(null, 204)
  })

  // ---- List Item v4 -----------------------------------------------------------------------

  const childrenPage = (c: Context<MockEnv>, items: readonly ItemNode[]) => {
    const url = new URL(c.req.url)
    onlyParams(url, [
      'page',
      'sortBy',
      'sortDirection',
      'hasChildren',
      'isDeleted',
      'value',
      'shortCode',
      'shortCodeOrValue',
    ])
    let rows = items.map(itemWire)
    const p = url.searchParams
    for (const raw of p.getAll('value')) {
      const f = parseFilter('value', raw, TEXT_OPS)
      rows = rows.filter((r) => textMatch(f.op, r.value, f.value))
    }
    for (const raw of p.getAll('shortCode')) {
      const f = parseFilter('shortCode', raw, TEXT_OPS)
      rows = rows.filter((r) => textMatch(f.op, r.shortCode, f.value))
    }
    for (const raw of p.getAll('shortCodeOrValue')) {
      const f = parseFilter('shortCodeOrValue', raw, TEXT_OPS)
      rows = rows.filter((r) => textMatch(f.op, r.shortCode, f.value) || textMatch(f.op, r.value, f.value))
    }
    for (const raw of p.getAll('hasChildren')) {
      const want = boolParam('hasChildren', raw)
      rows = rows.filter((r) => r.lists.some((l) => l.hasChildren) === want)
    }
    for (const raw of p.getAll('isDeleted')) {
      const want = boolParam('isDeleted', raw)
      rows = rows.filter((r) => r.isDeleted === want)
    }
    const by = (p.get('sortBy') ?? 'value').toLowerCase()
    if (by !== 'value' && by !== 'shortcode') throw invalid('sortBy', 'must be value or shortCode')
    const dir = sortDirection(url.searchParams)
    rows = [...rows].sort(
      (a, b) =>
        dir *
        ((by === 'value' ? cmp(a.value, b.value) : cmp(a.shortCode, b.shortCode)) ||
          cmp(a.code, b.code) ||
          cmp(a.id, b.id)),
    )
    return c.json(paged(url, rows), 200)
  }

  app.get('/list/v4/lists/:listId/children', guard, (c) => {
    const { principal, view } = who(c)
    requireScope(principal, 'spend.listitem.read')
    const list = findList(view, c.req.param('listId'))
    return childrenPage(
      c,
      list.items.filter((i) => i.parent === null),
    )
  })

  app.get('/list/v4/items/:itemId/children', guard, (c) => {
    const { principal, view } = who(c)
    requireScope(principal, 'spend.listitem.read')
    return childrenPage(c, findItem(view, c.req.param('itemId')).children)
  })

  app.get('/list/v4/lists/:listId/items/:itemId/children', guard, (c) => {
    const { principal, view } = who(c)
    requireScope(principal, 'spend.listitem.read')
    const list = findList(view, c.req.param('listId'))
    const item = findItem(view, c.req.param('itemId'))
    if (item.list !== list) throw itemNotFound()
    return childrenPage(c, item.children)
  })

  /** Creates one item (shared by POST /items and bulk POST); returns the new item's v3.0 ID. */
  const createItem = (
    ds: Dataset,
    overlays: DatasetOverlay,
    list: ListNode,
    parent: ItemNode | null,
    shortCode: string,
    value: string,
  ): string => {
    const codes = [...(parent?.codes ?? []), shortCode]
    if (codes.length > MAX_LEVELS)
      throw new ListV4HttpError(
        400,
        'item.max.level.exceeded',
        `A list item can have at most ${MAX_LEVELS} levels`,
      )
    if (itemByCode(list, codes.join('-')))
      throw new ListV4HttpError(
        400,
        'item.duplicate.code',
        'This item code is already used by another item in the same list',
      )
    const provider = providerOf('list-items')!
    const overlay = overlays.of(ds.company.id, 'list-items')
    const v3Id = nextCreatedId(ds, provider, overlay)
    const record: WireRecord = {
      ListID: list.ref.record.ID,
      ParentID: parent ? parent.ref.record.ID : null,
      Name: value,
    }
    for (let n = 1; n <= MAX_LEVELS; n++) record[`Level${n}Code`] = codes[n - 1] ?? null
    record.ID = v3Id
    overlay.add({ record, owner: undefined, hidden: {} })
    return v3Id
  }

  /** Deletes an item and every item below it. */
  const deleteItem = (ds: Dataset, overlays: DatasetOverlay, item: ItemNode) => {
    for (const n of subtree(item)) write(ds, overlays, 'list-items', n.ref, null)
  }

  /** Sets an item's value and short code; the items below it keep following its long code. */
  const updateItem = (
    ds: Dataset,
    overlays: DatasetOverlay,
    item: ItemNode,
    value: string | undefined,
    shortCode: string | undefined,
  ) => {
    const level = item.codes.length
    if (shortCode !== undefined && shortCode !== item.codes.at(-1)) {
      const code = [...item.codes.slice(0, -1), shortCode].join('-')
      if (itemByCode(item.list, code))
        throw new ListV4HttpError(
          400,
          'item.duplicate.code',
          'This item code is already used by another item in the same list',
        )
      for (const n of subtree(item))
        write(ds, overlays, 'list-items', n.ref, { ...n.ref.record, [`Level${level}Code`]: shortCode })
    }
    if (value !== undefined) {
      const fresh = buildView(ds, overlays).itemById.get(item.id)
      const ref = fresh?.ref ?? item.ref
      write(ds, overlays, 'list-items', ref, { ...ref.record, Name: value })
    }
  }

  app.post('/list/v4/items', guard, async (c) => {
    const { principal, ds, overlays, view } = who(c)
    requireScope(principal, 'spend.listitem.write')
    requireAdmin(principal)
    onlyParams(new URL(c.req.url), [])
    const body = await readJson(c, ListV4ItemCreate)
    if (body.parentId !== undefined && body.parentCode !== undefined)
      throw invalid('parentId', 'give parentId or parentCode, not both')
    const list = view.listById.get(body.listId)
    if (!list) throw new ListV4HttpError(400, 'list.not.found', `No list with id '${body.listId}'`)
    mayModify(ds, principal, list)
    let parent: ItemNode | null = null
    if (body.parentId !== undefined || body.parentCode !== undefined) {
      parent =
        (body.parentId !== undefined
          ? view.itemById.get(body.parentId)
          : itemByCode(list, body.parentCode!)) ?? null
      if (!parent || parent.list !== list)
        throw new ListV4HttpError(
          400,
          'item.parent.not.found',
          'The parent list item was not found in this list',
        )
    }
    const v3Id = createItem(ds, overlays, list, parent, body.shortCode, body.value)
    const item = [...buildView(ds, overlays).itemById.values()].find((i) => i.ref.record.ID === v3Id)!
    c.header('location', `${new URL(c.req.url).origin}/list/v4/items/${item.id}`)
    return c.json(itemWire(item), 201)
  })

  app.get('/list/v4/items/:itemId', guard, (c) => {
    const { principal, view } = who(c)
    requireScope(principal, 'spend.listitem.read')
    onlyParams(new URL(c.req.url), [])
    return c.json(itemWire(findItem(view, c.req.param('itemId'))), 200)
  })

  app.put('/list/v4/items/:itemId', guard, async (c) => {
    const { principal, ds, overlays, view } = who(c)
    requireScope(principal, 'spend.listitem.write')
    requireAdmin(principal)
    onlyParams(new URL(c.req.url), [])
    const item = findItem(view, c.req.param('itemId'))
    const body = await readJson(c, ListV4ItemUpdate)
    mayModify(ds, principal, item.list)
    updateItem(ds, overlays, item, body.value, body.shortCode)
    return c.json(itemWire(buildView(ds, overlays).itemById.get(item.id)!), 200)
  })

  const deleteRoute = (c: Context<MockEnv>, listId: string | undefined) => {
    const { principal, ds, overlays, view } = who(c)
    requireScope(principal, 'spend.listitem.delete')
    requireAdmin(principal)
    onlyParams(new URL(c.req.url), [])
    const list = listId === undefined ? undefined : findList(view, listId)
    const item = findItem(view, c.req.param('itemId'))
    if (list && item.list !== list) throw itemNotFound()
    mayModify(ds, principal, item.list)
    deleteItem(ds, overlays, item)
    return c.body(null, 204)
  }
  app.delete('/list/v4/items/:itemId', guard, (c) => deleteRoute(c, undefined))
  app.delete('/list/v4/lists/:listId/items/:itemId', guard, (c) => deleteRoute(c, c.req.param('listId')))

  // ---- List Item Bulk v4 ------------------------------------------------------------------

  type PartError = { id: string; message: string; listItem: Record<string, unknown> }
  const bulkAnswer = (c: Context<MockEnv>, ok: number, errors: PartError[], allOk: 200 | 201) => {
    const status = errors.length === 0 ? allOk : ok === 0 ? 400 : 206
    return c.json(
      {
        status: errors.length === 0 ? 'SUCCESS' : ok === 0 ? 'FAILURE' : 'PARTIAL_SUCCESS',
        recordsSucceeded: ok,
        recordsFailed: errors.length,
        errors,
      },
      status,
    )
  }
  const bulkSize = (n: number) => {
    if (n < 1 || n > LIST_V4_BULK_MAX)
      throw invalid('requests', `size must be between 1 and ${LIST_V4_BULK_MAX}`)
  }
  /** Runs the parts in order, each on its own: a failed part records its error and the next one runs. */
  const runParts = <P extends Record<string, unknown>>(
    parts: readonly P[],
    listId: string,
    ds: Dataset,
    overlays: DatasetOverlay,
    run: (list: ListNode, view: ListV4View, part: P) => void,
  ) => {
    let ok = 0
    const errors: PartError[] = []
    for (const part of parts) {
      const view = buildView(ds, overlays)
      try {
        const list = view.listById.get(listId)
        if (!list) throw new ListV4HttpError(400, 'list.not.found', 'The list was not found')
        run(list, view, part)
        ok++
      } catch (err) {
        if (!(err instanceof ListV4HttpError)) throw err
        errors.push({ id: err.id, message: err.message, listItem: { ...part } })
      }
    }
    return { ok, errors }
  }

  /**
   * One bulk route (POST creates, PATCH updates or deletes): the same checks, then the parts in order
   * through `run`, then the documented answer (`allOk` when every part succeeded).
   */
  const bulkRoute =
    <P extends Record<string, unknown>>(
      schema: z.ZodType<{ requests: P[] }>,
      allOk: 200 | 201,
      run: (list: ListNode, part: P, ds: Dataset, overlays: DatasetOverlay) => void,
    ) =>
    async (c: Context<MockEnv>) => {
      const { principal, ds, overlays, view } = who(c)
      requireScope(principal, 'spend.listitem.write')
      requireAdmin(principal)
      onlyParams(new URL(c.req.url), [])
      const body = await readJson(c, schema)
      bulkSize(body.requests.length)
      const target = view.listById.get(c.req.param('listId') ?? '')
      if (target) mayModify(ds, principal, target)
      const { ok, errors } = runParts(
        body.requests,
        c.req.param('listId') ?? '',
        ds,
        overlays,
        (list, _view, part) => run(list, part, ds, overlays),
      )
      return bulkAnswer(c, ok, errors, allOk)
    }

  app.post(
    '/list/v4/lists/:listId/bulk',
    guard,
    bulkRoute(ListV4BulkCreate, 201, (list, part, ds, overlays) => {
      let parent: ItemNode | null = null
      if (part.parentCode !== undefined) {
        parent = itemByCode(list, part.parentCode) ?? null
        if (!parent)
          throw new ListV4HttpError(400, 'item.parent.not.found', 'The parent list item was not found')
      }
      createItem(ds, overlays, list, parent, part.shortCode, part.value)
    }),
  )

  app.patch(
    '/list/v4/lists/:listId/bulk',
    guard,
    bulkRoute(ListV4BulkUpdate, 200, (list, part, ds, overlays) => {
      const item = itemByCode(list, part.code)
      if (!item) throw new ListV4HttpError(400, 'item.not.found', 'The list item was not found')
      if (part.deleted === true) deleteItem(ds, overlays, item)
      else if (part.value !== undefined) updateItem(ds, overlays, item, part.value, undefined)
    }),
  )

  app.all('/list/v4/*', () => {
    throw new ListV4HttpError(404, 'resource.not.found', 'Not Found')
  })
  return app
}

/** List v4, List Item v4 and List Item Bulk v4: the routes, and the `list-v4-lists` row's records. */
export const listV4Provider: RowProvider = {
  names: ['list-v4-lists'],
  routes: listV4Routes,
  records: ({ state, company, filters }) =>
    listV4Lists(state, datasetOf(state.options.seed, company), new URLSearchParams({ ...filters })),
}
