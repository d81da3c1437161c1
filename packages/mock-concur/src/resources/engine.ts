import { type FilterDefinition, type PagingModel, RESOURCES, type XmlNaming } from '@concurkit/contract'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import type { DcContext, MockEnv } from '../context.js'
import { type Dataset, datasetOf } from '../dataset/dataset.js'
import type { ResourceOverlay } from '../dataset/overlay.js'
import { type Provider, providerOf, type WireRecord } from '../dataset/providers.js'
import { hasMore, type ScanQuery, scanPage } from '../dataset/scan.js'
import { ConcurHttpError, wantsXml } from '../http/errors.js'
import { requestHeader } from '../http/headers.js'
import { requireToken } from '../oauth/guard.js'
import type { Principal } from '../principal.js'
import type { MockState } from '../state.js'
import { decodeOffset, encodeOffset } from './offset.js'
import { type CachedPage, createPageCache, type PageCache } from './page-cache.js'
import { overlaysOf } from './v3/records.js'
import { badParam, itemKeys, parseFilters, readBody, resolveOwner, validate } from './v3/request.js'
import type { V3Row } from './v3/row.js'
import { buildCreated, buildUpdated, findRecord, nextCreatedId } from './writes.js'
import { toXmlContent, xmlDocumentV3, xmlListV3 } from './xml.js'

export { receiptImageUrl } from './v3/receipt-images.js'
export { itemKeys, parseFilters, resolveOwner } from './v3/request.js'
export { overlaysOf }

/** One served v3.0 endpoint: a registry row or a related endpoint of one. */
export interface V3Endpoint {
  readonly key: string
  readonly path: string
  readonly itemPath?: string
  readonly paging: PagingModel
  readonly scope: string
  readonly item: z.ZodType
  readonly filters: readonly FilterDefinition[]
  readonly writes: readonly ('create' | 'update' | 'delete')[]
  readonly xml?: XmlNaming
  readonly userParam?: string
}

/** Every v3.0 endpoint the mock serves, from the registry (rows and their related endpoints). */
export function v3Endpoints(): V3Endpoint[] {
  return RESOURCES.filter((r) => r.api === 'v3.0').flatMap((r) => [
    {
      key: r.name,
      path: r.path,
      ...(r.itemPath ? { itemPath: r.itemPath } : {}),
      paging: r.paging,
      scope: r.scope,
      item: r.item,
      filters: r.filters,
      writes: r.writes,
      ...(r.xml ? { xml: r.xml } : {}),
      ...(r.userParam ? { userParam: r.userParam } : {}),
    },
    ...(r.related ?? []).map((e) => ({
      key: e.key,
      path: e.path,
      ...(e.itemPath ? { itemPath: e.itemPath } : {}),
      paging: e.paging,
      scope: e.scope,
      item: e.item,
      filters: e.filters,
      writes: e.writes,
      ...(e.xml ? { xml: e.xml } : {}),
    })),
  ])
}

/** The cache of rendered v3.0 list pages of a mock (cleared by reset; keyed on the overlay generation). */
export function pageCacheOf(state: MockState): PageCache {
  return state.store('v3-page-cache', () => createPageCache())
}

const encoder = new TextEncoder()
const JSON_TYPE = 'application/json'
const XML_TYPE = 'application/xml; charset=utf-8'

function withUri(record: WireRecord, origin: string, itemPath: string | undefined, id: string): WireRecord {
  return { ...record, URI: `${origin}${(itemPath ?? '').replace('{id}', id)}` }
}

/**
 * `JSON.stringify(withUri(record, …))` without the copy: a generated record has no `URI` of its
 * own, so `URI` is its last key and is spliced into the record's own text (a ~90-field copy per
 * record cost more than the stringification). A record that has a `URI` key takes the copy, so
 * the key keeps its place.
 */
function jsonWithUri(record: WireRecord, origin: string, itemPath: string | undefined, id: string): string {
  if (Object.hasOwn(record, 'URI')) return JSON.stringify(withUri(record, origin, itemPath, id))
  const text = JSON.stringify(record)
  const uri = JSON.stringify(`${origin}${(itemPath ?? '').replace('{id}', id)}`)
  return text.length === 2 ? `{"URI":${uri}}` : `${text.slice(0, -1)},"URI":${uri}}`
}

function render(
  c: Context<MockEnv>,
  ep: V3Endpoint,
  root: string,
  content: () => Record<string, unknown>,
  json: unknown,
) {
  if (wantsXml(requestHeader(c, 'accept')) && ep.xml) {
    return c.body(xmlDocumentV3(root, ep.xml.namespace, content()), 200, {
      'content-type': 'application/xml; charset=utf-8',
    })
  }
  return c.json(json as object, 200)
}

/**
 * The answer to an accepted v3.0 `PUT` or `DELETE`: 200 with no body ("no content", as Concur
 * documents), typed as the representation `Accept` negotiated — the specs produce only JSON and XML,
 * and a body-less answer with no type would be labelled `text/plain` by the Node server.
 */
function emptyOk(c: Context<MockEnv>) {
  const type = wantsXml(requestHeader(c, 'accept')) ? XML_TYPE : JSON_TYPE
  return c.body(null, 200, { 'content-type': type, 'content-length': '0' })
}

function principalOf(c: Context<MockEnv>): Principal {
  return c.get('principal')
}

/**
 * The bytes of one v3.0 list page: the scan from `from`, `NextPage` when another match follows, the
 * records with their `URI`s, as JSON or XML. A pure function of its arguments (the list route calls
 * it, and so does a render worker with the seeded data).
 */
export function renderV3Page(
  ds: Dataset,
  ep: V3Endpoint,
  provider: Provider,
  overlay: ResourceOverlay | undefined,
  query: ScanQuery,
  from: number,
  limit: number,
  url: URL,
  xml: boolean,
): CachedPage {
  const page = scanPage(ds, provider, overlay, query, from, limit)
  const more = page.next !== null && hasMore(ds, provider, overlay, query, page.next)
  let nextPage: string | null = null
  if (more && page.next !== null) {
    const next = new URL(url.toString())
    next.searchParams.set('offset', encodeOffset(ds.seed, ds.company.id, ep.key, page.next))
    nextPage = next.toString()
  }
  if (xml)
    return {
      body: encoder.encode(
        xmlListV3(
          ep.xml?.listRoot ?? 'Items',
          ep.xml!.namespace,
          ep.xml?.item ?? 'Item',
          page.records.map((r) => ({
            record: r.record,
            uri: `${url.origin}${(ep.itemPath ?? '').replace('{id}', String(r.record.ID))}`,
          })),
          nextPage,
        ),
      ),
      contentType: XML_TYPE,
    }
  return {
    // The text of `JSON.stringify({ Items, NextPage })`, assembled from each record's own text.
    body: encoder.encode(
      `{"Items":[${page.records
        .map((r) => jsonWithUri(r.record, url.origin, ep.itemPath, String(r.record.ID)))
        .join(',')}],"NextPage":${JSON.stringify(nextPage)}}`,
    ),
    contentType: JSON_TYPE,
  }
}

/**
 * Routes of every v3.0 resource for one datacenter's app, generated from the registry rows:
 * list (paging, filters, roles), get by id, and the writes each row declares.
 *
 * @example
 * app.route('/', v3Routes(ctx))
 */
export function v3Routes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const endpoints = v3Endpoints()
  for (const ep of endpoints) {
    const provider = providerOf(ep.key)
    if (!provider) continue
    register(app, ctx, ep, provider)
  }
  for (const ep of endpoints) {
    const routes = providerOf(ep.key)?.hooks?.routes
    if (routes) app.route('/', routes(ctx))
  }
  return app
}

function register(app: Hono<MockEnv>, ctx: DcContext, ep: V3Endpoint, provider: V3Row): void {
  const { state } = ctx
  const hooks = provider.hooks ?? {}
  const guard: MiddlewareHandler<MockEnv> = hooks.tokenGuard?.(ctx) ?? requireToken(ctx, ep.scope)
  const maxLimit = ep.paging.kind === 'v3' ? ep.paging.maxLimit : 100
  const defaultLimit = ep.paging.kind === 'v3' ? ep.paging.defaultLimit : 25
  const ownerScoped = provider.owner !== undefined
  const root = ep.xml?.item ?? 'Item'

  const pages = pageCacheOf(state)

  const context = (c: Context<MockEnv>) => {
    const principal = principalOf(c)
    const ds = datasetOf(state.options.seed, principal.company)
    const overlay = overlaysOf(state).of(principal.company.id, ep.key)
    return { principal, ds, overlay }
  }

  /** Who the request may see, for owner-scoped endpoints (and the users list). */
  const ownerFor = (ds: Dataset, principal: Principal, user: string | undefined) => {
    if (hooks.listOwner) return hooks.listOwner(principal)
    if (!ep.userParam) return undefined
    const owner = resolveOwner(ds, principal, user, state.userSource)
    return ownerScoped ? owner : undefined
  }

  app.get(ep.path, guard, async (c) => {
    // Everything the answer depends on: the overlay generation (writes, reset), the dataset (seed,
    // company, size), who asks (type, user, administrator: what they may see and which parameters
    // they may use), the representation and the request URL (origin, path, query in its order). A
    // hit was a valid 200 for exactly these inputs, so it is served without re-parsing them.
    const who = principalOf(c)
    const xml = ep.xml !== undefined && wantsXml(requestHeader(c, 'accept'))
    const key = `${overlaysOf(state).generation}\u001f${state.options.seed}\u001f${who.company.id}\u001f${who.company.size}\u001f${ep.key}\u001f${who.type}\u001f${who.user?.index ?? '-'}\u001f${who.isAdmin ? 'a' : 'u'}\u001f${xml ? 'x' : 'j'}\u001f${c.req.url}`
    const hit = pages.get(key)
    if (hit) return c.body(hit.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': hit.contentType })
    const url = new URL(c.req.url)
    const params = url.searchParams
    const { principal, ds, overlay } = context(c)
    let limit = defaultLimit
    const rawLimit = params.get('limit')
    if (rawLimit !== null) {
      if (!/^\d{1,9}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > maxLimit)
        throw badParam('limit', `expected an integer from 1 to ${maxLimit}`)
      limit = Number(rawLimit)
    }
    let from = 0
    const rawOffset = params.get('offset')
    if (rawOffset !== null) {
      const pos = decodeOffset(state.options.seed, principal.company.id, ep.key, rawOffset)
      if (pos === undefined) throw badParam('offset', 'not an offset this API returned')
      from = pos
    }
    const reserved = ['limit', 'offset', ...(ep.userParam ? [ep.userParam] : [])]
    const filters = parseFilters(ep.filters, params, reserved)
    // On the users list `user` filters by login; `user=ALL` means every user, as on the other v3.0
    // lists (administrators only).
    if (hooks.userFilterAll && String(filters.get('user') ?? '').toUpperCase() === 'ALL') {
      if (!principal.isAdmin)
        throw new ConcurHttpError(
          403,
          'Forbidden Request: user=ALL requires the Web Services Administrator role',
        )
      filters.delete('user')
    }
    const owner = ownerFor(ds, principal, ep.userParam ? (params.get(ep.userParam) ?? undefined) : undefined)
    const query = { filters, owner }
    // While nothing has been written, the page is the seeded data's alone: a mock listening with
    // `workers` renders it on a worker thread (the same function, the same bytes), so this thread
    // goes on answering other requests. A failed worker falls back to rendering here.
    let rendered: CachedPage | undefined
    const renderer = state.pageRenderer
    if (renderer && overlaysOf(state).generation === 0) {
      rendered = await renderer
        .render({
          key: ep.key,
          seed: state.options.seed,
          size: principal.company.size,
          datacenters: state.options.datacenters,
          companyIndex: principal.company.index,
          companyId: principal.company.id,
          filters,
          owner,
          from,
          limit,
          url: c.req.url,
          xml,
        })
        .catch(() => undefined)
    }
    rendered ??= renderV3Page(ds, ep, provider, overlay, query, from, limit, url, xml)
    pages.set(key, rendered)
    return c.body(rendered.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': rendered.contentType })
  })

  if (!ep.itemPath) return
  const itemRoute = ep.itemPath.replace('{id}', ':id')

  const load = (c: Context<MockEnv>, allowed: readonly string[]) => {
    const url = new URL(c.req.url)
    for (const k of url.searchParams.keys()) {
      if (!allowed.includes(k)) throw new ConcurHttpError(400, `Unknown parameter '${k}'`)
    }
    const user = ep.userParam ? (url.searchParams.get(ep.userParam) ?? undefined) : undefined
    if (user?.toUpperCase() === 'ALL')
      throw badParam('user', 'ALL is not allowed when reading one record by ID')
    const { principal, ds, overlay } = context(c)
    if (user !== undefined) resolveOwner(ds, principal, user, state.userSource)
    const found = findRecord(ds, provider, overlay, c.req.param('id') ?? '')
    if (!found) throw new ConcurHttpError(404, 'The requested resource was not found')
    if (ownerScoped && !principal.isAdmin && found.owner !== principal.user?.index)
      throw new ConcurHttpError(403, 'Forbidden Request: the record belongs to another user')
    if (hooks.canRead && !hooks.canRead(principal, found))
      throw new ConcurHttpError(403, "Forbidden Request: only administrators may read other users' data")
    return { url, principal, ds, overlay, found }
  }
  const itemParams = [...(ep.userParam ? [ep.userParam] : []), ...(hooks.itemParams ?? [])]

  app.get(itemRoute, guard, (c) => {
    const { url, found } = load(c, itemParams)
    if (hooks.readItem) return hooks.readItem(c, state, found, url.origin)
    const id = String(found.record.ID)
    const item = withUri(found.record, url.origin, ep.itemPath, id)
    return render(c, ep, root, () => toXmlContent(item) as Record<string, unknown>, item)
  })

  const keys = itemKeys(ep.item)
  /** Tells the row's write rules about an accepted write (e.g. an entry's report totals). */
  const onWrite = (ds: Dataset, before: WireRecord | null, after: WireRecord | null) =>
    provider.writeRules?.onWrite?.({
      ds,
      overlays: overlaysOf(state),
      before,
      after,
      nowMs: state.clock.now(),
    })
  const created = (c: Context<MockEnv>, id: string) => {
    const body = { ID: id, URI: `${new URL(c.req.url).origin}${ep.itemPath!.replace('{id}', id)}` }
    if (wantsXml(requestHeader(c, 'accept')) && ep.xml)
      return c.body(xmlDocumentV3('CreateResponse', ep.xml.namespace, body), 200, {
        'content-type': 'application/xml; charset=utf-8',
      })
    return c.json(body, 200)
  }

  if (ep.writes.includes('create')) {
    app.post(ep.path, guard, async (c) => {
      const url = new URL(c.req.url)
      for (const k of url.searchParams.keys()) {
        if (k !== ep.userParam) throw new ConcurHttpError(400, `Unknown parameter '${k}'`)
      }
      const { principal, ds, overlay } = context(c)
      const user = ep.userParam ? (url.searchParams.get(ep.userParam) ?? undefined) : undefined
      if (user?.toUpperCase() === 'ALL') throw badParam('user', 'ALL is not allowed when creating a record')
      const owner = ep.userParam
        ? (resolveOwner(ds, principal, user, state.userSource) ?? principal.user?.index ?? 0)
        : undefined
      const id = nextCreatedId(ds, provider, overlay)
      const upload = hooks.readUpload ? await hooks.readUpload(c, 'create') : undefined
      const body = upload ? {} : validate(ep.key, await readBody(c, ep.key))
      const ownerUser = owner === undefined ? undefined : state.user(principal.company, owner)
      const rec = buildCreated(
        ds,
        overlaysOf(state),
        ep.key,
        keys,
        body,
        owner,
        id,
        state.clock.now(),
        ownerUser,
      )
      overlay.add(upload ? { ...rec, bytes: upload } : rec)
      onWrite(ds, null, rec.record)
      return created(c, id)
    })
  }

  if (ep.writes.includes('update')) {
    app.put(itemRoute, guard, async (c) => {
      const { ds, overlay, found } = load(c, itemParams)
      if (hooks.readUpload) {
        overlay.setBytes(found, await hooks.readUpload(c, 'update'))
        return emptyOk(c)
      }
      const body = validate(ep.key, await readBody(c, ep.key))
      const rec = buildUpdated(ds, ep.key, found.record, body, state.clock.now())
      if (found.created) overlay.replaceCreated(found.created, rec)
      else overlay.patch(found.index, rec)
      onWrite(ds, found.record, rec)
      return emptyOk(c)
    })
  }

  if (ep.writes.includes('delete')) {
    app.delete(itemRoute, guard, (c) => {
      hooks.beforeDelete?.(c)
      const { ds, overlay, found } = load(c, itemParams)
      onWrite(ds, found.record, null)
      hooks.checkDelete?.(c, found)
      if (found.created) overlay.replaceCreated(found.created, null)
      else overlay.patch(found.index, null)
      return emptyOk(c)
    })
  }
}
