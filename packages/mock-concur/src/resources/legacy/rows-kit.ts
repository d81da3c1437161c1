import {
  getResource,
  LEGACY_XML_MAPPINGS,
  type LegacyXmlMapping,
  type ResourceDefinition,
  type ResourceName,
  type Scope,
} from '@concurkit/contract'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import type { MockCompany } from '../../companies.js'
import type { DcContext, MockEnv } from '../../context.js'
import { ConcurHttpError } from '../../http/errors.js'
import { requireToken } from '../../oauth/guard.js'
import type { Principal } from '../../principal.js'
import type { MockState } from '../../state.js'
import { routePath } from '../../util/paths.js'
import type { RowProvider } from '../row-provider.js'
import { readQuery, requireUser, xmlDocument, xmlResponse } from './http.js'
import { travellerIndex } from './trips.js'

export { fillPath, routePath } from '../../util/paths.js'

/*
 * What the providers of the XML-only rows (v1.x, v2.0, extract, trips) share: the routes generated
 * from a row (path, scope, XML mapping) around the row's named hooks, reading parsed records back,
 * the manifest's `user` filter, and the provider generated for a per-user list.
 */

/** A handler answering one endpoint of an XML-only row; the token guard and the row's `check` have run. */
export type XmlHandler = (c: Context<MockEnv>) => Response | Promise<Response>

/**
 * The named hooks of one XML-only row: one handler per endpoint the contract gives the row. Which
 * hooks a row needs follows from its registry row and XML mapping (see `xmlEndpointsOf`); a missing
 * or a superfluous hook is an error when the routes are built.
 */
export interface XmlRowHooks {
  /** `GET path`: the list. */
  readonly list?: XmlHandler
  /** `GET itemPath`: one record. */
  readonly item?: XmlHandler
  /** `POST path`, when the row `writes` `create`. */
  readonly create?: XmlHandler
  /** One per step of the mapping's `walk`, in order (its aliases answer the same). */
  readonly walk?: readonly XmlHandler[]
  /** One per named endpoint of the mapping's `endpoints`. */
  readonly endpoints?: Readonly<Record<string, XmlHandler>>
}

/** Which hook answers an endpoint. */
export type XmlHookKey = 'list' | 'item' | 'create' | `walk.${number}` | `endpoints.${string}`

/** One endpoint of an XML-only row, as the contract gives it. */
export interface XmlEndpoint {
  readonly method: 'GET' | 'POST'
  /** Contract path (`{Name}` placeholders). */
  readonly path: string
  readonly hook: XmlHookKey
  readonly scope: Scope | (string & {})
}

/** The registry row of an XML-only resource and its XML mapping. */
export function xmlRowOf(name: ResourceName): {
  readonly row: ResourceDefinition
  readonly xml: NonNullable<ResourceDefinition['xml']>
  readonly mapping: LegacyXmlMapping
} {
  const row = getResource(name)
  const mapping = LEGACY_XML_MAPPINGS[name]
  if (!row.xml || !mapping) throw new RangeError(`${name} is not an XML-only row`)
  return { row, xml: row.xml, mapping }
}

/**
 * Every endpoint of an XML-only row, from its registry row and XML mapping: the walk steps (and
 * their aliases), `GET itemPath`, `GET path`, `POST path` when the row creates, then the mapping's
 * named endpoints (and their aliases). A path another of them already serves is listed once (the
 * forms' last walk step is the row's path; a fan-out row's path is its item path).
 */
export function xmlEndpointsOf(name: ResourceName): readonly XmlEndpoint[] {
  const { row, mapping } = xmlRowOf(name)
  const out: XmlEndpoint[] = []
  const add = (method: 'GET' | 'POST', path: string | undefined, hook: XmlHookKey, scope = row.scope) => {
    if (path === undefined) return
    if (out.some((e) => e.method === method && routePath(e.path) === routePath(path))) return
    out.push({ method, path, hook, scope })
  }
  for (const [i, step] of (mapping.walk ?? []).entries()) {
    for (const path of [step.path, ...(step.aliases ?? [])]) add('GET', path, `walk.${i}`)
  }
  add('GET', row.itemPath, 'item')
  add('GET', row.path, 'list')
  if (row.writes.includes('create')) add('POST', row.path, 'create')
  for (const [key, e] of Object.entries(mapping.endpoints ?? {})) {
    for (const path of [e.path, ...(e.aliases ?? [])]) add(e.method, path, `endpoints.${key}`, e.scope)
  }
  return out
}

function hookOf(hooks: XmlRowHooks, key: XmlHookKey): XmlHandler | undefined {
  if (key === 'list' || key === 'item' || key === 'create') return hooks[key]
  const [group, at] = key.split('.') as ['walk' | 'endpoints', string]
  return group === 'walk' ? hooks.walk?.[Number(at)] : hooks.endpoints?.[at]
}

function hookKeys(hooks: XmlRowHooks): XmlHookKey[] {
  const keys: XmlHookKey[] = []
  for (const key of ['list', 'item', 'create'] as const) if (hooks[key]) keys.push(key)
  for (const i of (hooks.walk ?? []).keys()) keys.push(`walk.${i}`)
  for (const key of Object.keys(hooks.endpoints ?? {})) keys.push(`endpoints.${key}`)
  return keys
}

/** Options of {@link xmlRowRoutes}. */
export interface XmlRoutesOptions {
  /** Runs after the token guard on every route of the rows (e.g. administrators only). */
  readonly check?: (p: Principal) => void
  /**
   * Guard every path under the first row's list path, known or not (Extract answers 401/403 before
   * 404); otherwise each route is guarded.
   */
  readonly guardPrefix?: boolean
}

/**
 * The routes of XML-only rows, generated from the rows: each endpoint `xmlEndpointsOf` lists is
 * mounted at its contract path behind the token guard of its scope, answered by the row's hook of
 * that name. Throws when a row lacks a hook an endpoint needs or has one no endpoint uses, so a
 * row is never silently unserved and no route is added by hand.
 *
 * @example
 * xmlRowRoutes(ctx, { 'travel-itineraries': { list: tripList, item: tripItem } })
 */
export function xmlRowRoutes(
  ctx: DcContext,
  rows: Readonly<Partial<Record<ResourceName, XmlRowHooks>>>,
  options: XmlRoutesOptions = {},
): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const { check } = options
  const checked: MiddlewareHandler<MockEnv> = async (c, next) => {
    check?.(c.get('principal'))
    await next()
  }
  const names = Object.keys(rows) as ResourceName[]
  if (options.guardPrefix) {
    const base = routePath(xmlRowOf(names[0]!).row.path)
    const guard = requireToken(ctx, xmlRowOf(names[0]!).row.scope)
    app.use(`${base}/*`, guard, checked)
    app.use(base, guard, checked)
  }
  for (const name of names) {
    const hooks = rows[name]!
    const used = new Set<XmlHookKey>()
    for (const e of xmlEndpointsOf(name)) {
      const handler = hookOf(hooks, e.hook)
      if (!handler) throw new TypeError(`${name}: no \`${e.hook}\` hook for ${e.method} ${e.path}`)
      used.add(e.hook)
      const route = routePath(e.path)
      if (options.guardPrefix) app.on(e.method, route, handler)
      else if (check) app.on(e.method, route, requireToken(ctx, e.scope), checked, handler)
      else app.on(e.method, route, requireToken(ctx, e.scope), handler)
    }
    for (const key of hookKeys(hooks))
      if (!used.has(key)) throw new TypeError(`${name}: the \`${key}\` hook serves no endpoint of the row`)
  }
  return app
}

/** The query parameters a list accepts: the row's filters and `extra` (paging). */
export function listParams(row: ResourceDefinition, extra: readonly string[] = []): readonly string[] {
  return [...row.filters.map((f) => f.param), ...extra]
}

/** A built record as the client reads it back: `i:nil` elements become `null`. */
export function asParsed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asParsed)
  if (value === null || typeof value !== 'object') return value
  const obj = value as Record<string, unknown>
  if (obj['@_i:nil'] === 'true') return null
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) if (!k.startsWith('@_')) out[k] = asParsed(v)
  return out
}

/** The user index a manifest filter (`param`, a login; `ALL` or absent = everyone) narrows to. */
export function ownerFilter(
  state: MockState,
  company: MockCompany,
  filters: Readonly<Record<string, string>>,
  param: string,
) {
  const login = filters[param]
  if (login === undefined || login.toUpperCase() === 'ALL') return undefined
  const index = travellerIndex(state.options.seed, company, login)
  if (index === undefined) throw new ConcurHttpError(400, `no user ${login} in company ${company.id}`)
  return index
}

/** Every user's records in user order, or one user's (`only`). */
export function* perUser<T>(
  company: MockCompany,
  only: number | undefined,
  records: (userIndex: number) => readonly T[],
): Generator<T> {
  if (only !== undefined) {
    yield* records(only)
    return
  }
  for (let u = 0; u < company.userCount; u++) yield* records(u)
}

/**
 * The provider of an XML-only row that lists the caller's own records (no paging, no parameters,
 * user tokens only), generated from the registry row: `GET path` with the row's scope answers
 * `<listRoot xmlns=namespace><item>…</item>…</listRoot>`. The manifest counts the whole company
 * (the union over users); its `user` filter (a login) narrows to one user.
 *
 * @example
 * export const expenseDelegators = perUserXmlRow('expense-delegators', delegatorsOf, { xsi: true })
 */
export function perUserXmlRow<T>(
  name: ResourceName,
  recordsOf: (seed: number, company: MockCompany, userIndex: number) => readonly T[],
  options: { readonly xsi?: boolean } = {},
): RowProvider {
  return {
    names: [name],
    routes(ctx) {
      const { row, xml } = xmlRowOf(name)
      const list: XmlHandler = (c) => {
        readQuery(c, listParams(row))
        const p = c.get('principal')
        const user = requireUser(p)
        const records = recordsOf(ctx.state.options.seed, p.company, user.index)
        return xmlResponse(
          c,
          xmlDocument(
            xml.listRoot,
            { [xml.item]: records },
            { namespace: xml.namespace, ...(options.xsi ? { xsi: true } : {}) },
          ),
        )
      }
      return xmlRowRoutes(ctx, { [name]: { list } })
    },
    records: ({ state, company, filters }) =>
      perUser(company, ownerFilter(state, company, filters, 'user'), (u) =>
        recordsOf(state.options.seed, company, u),
      ),
  }
}
