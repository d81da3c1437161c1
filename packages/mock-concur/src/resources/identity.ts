export { ScimHttpError } from './scim-error.js'

import {
  IdentitySearchRequest,
  type IdentityUser,
  SCIM_ENTERPRISE_SCHEMA,
  SCIM_LIST_RESPONSE,
  SCIM_SAP_SCHEMA,
  SCIM_USER_SCHEMA,
} from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import type { DcContext, MockEnv } from '../context.js'
import { type Dataset, datasetOf, userIndexOfLogin } from '../dataset/dataset.js'
import { requireToken } from '../oauth/guard.js'
import { hashHex } from '../util/hash.js'
import {
  type AttrPath,
  comparisonsOf,
  type FilterNode,
  matchesFilter,
  parseFilter,
  ScimFilterError,
} from './identity-filter.js'
import {
  type IdentityVersion,
  identityIndexOf,
  identityJsonContext,
  identityReadScopes,
  identityUserAt,
  identityUserJson,
  identityUserParts,
  project,
  resolveAttributeList,
  SCOPE_GROUPS,
  withinScopes,
} from './identity-users.js'
import { ScimHttpError, scimError } from './scim-error.js'
import {
  createUser,
  deleteUser,
  directoryOf,
  indexOfId,
  readJsonBody as jsonBody,
  parsePatchBody,
  patchUser,
  replaceUser,
  type WriteScope,
  writtenIdentity,
} from './ups-directory.js'

const PREFIX = '/profile/identity'
const LIST_SCHEMAS = JSON.stringify([SCIM_LIST_RESPONSE])

/** Matches of recent filtered queries (the dataset is read-only here, so they stay valid). */
const matchCache = new Map<string, number[]>()

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i)
}

/** The only user indexes an `eq` on an identifying attribute can match, or undefined (scan). */
function candidatesOf(ds: Dataset, node: FilterNode): number[] | undefined {
  if (node.kind === 'and') return candidatesOf(ds, node.left) ?? candidatesOf(ds, node.right)
  if (node.kind !== 'cmp' || node.op !== 'eq' || node.path.segments.length !== 1) return undefined
  const v = String(node.value)
  const attr = `${node.path.part}:${node.path.segments[0]}`
  let u: number | undefined
  if (attr === 'core:username') u = userIndexOfLogin(ds, v)
  else if (attr === 'core:id') u = identityIndexOf(ds, v)
  else if (attr === 'enterprise:employeenumber') {
    const m = /^E(\d{6,})$/i.exec(v)
    u = m && Number(m[1]) >= 1 && Number(m[1]) <= ds.users ? Number(m[1]) - 1 : undefined
  } else return undefined
  return u === undefined ? [] : [u]
}
const MAX_PAGE = { v4: 100, 'v4.1': 1000 } as const
const DEFAULT_PAGE = { v4: 10, 'v4.1': 100 } as const

interface Query {
  readonly filter: FilterNode | undefined
  readonly filterText: string
  readonly attributes: readonly AttrPath[]
  readonly excluded: readonly AttrPath[]
}

function splitList(v: string | undefined): string[] {
  return v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
}

function intParam(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  if (!/^-?\d+$/.test(v.trim())) throw new ScimHttpError(400, `'${name}' must be an integer`, 'invalidValue')
  return Number(v)
}

/** Cursor: base64url JSON `{"startIndex": n, "q": fingerprint of the query}`. */
function encodeCursor(startIndex: number, q: string): string {
  return Buffer.from(JSON.stringify({ startIndex, q })).toString('base64url')
}
function decodeCursor(cursor: string, q: string): number {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      startIndex?: unknown
      q?: unknown
    }
    if (
      typeof v.startIndex === 'number' &&
      Number.isSafeInteger(v.startIndex) &&
      v.startIndex >= 1 &&
      v.q === q
    )
      return v.startIndex
  } catch {
    // falls through to the error below
  }
  throw new ScimHttpError(400, 'The cursor is invalid or belongs to another query', 'invalidValue')
}

/**
 * Identity v4 and v4.1 reads (SCIM 2.0 Users): `GET /Users` (v4 index paging, v4.1 cursor paging),
 * `POST /Users/.search` (v4.1), `GET /Users/{id}`, `/ResourceTypes`, `/ServiceProviderConfig`,
 * `/Schemas[/{id}]`. Company tokens only; the users are the mock's users (Identity `id` = token `sub`).
 *
 * @example
 * app.route('/', identityRoutes(ctx))
 */
export function identityRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  app.onError((err, c) => scimError(c, err))
  const guard = requireToken(ctx)

  /** The caller's read scopes; refuses user tokens and tokens without any Identity read scope. */
  const readScopesOf = (c: Context<MockEnv>): Set<string> => {
    const principal = c.get('principal')
    if (principal.type !== 'company')
      throw new ScimHttpError(
        403,
        'Identity v4 accepts company-level access tokens only; this is a user token',
        undefined,
        'FORBIDDEN',
      )
    const scopes = identityReadScopes(principal.scopes)
    if (scopes.size === 0)
      throw new ScimHttpError(403, 'The token lacks the identity.user.*.read scopes', undefined, 'FORBIDDEN')
    return scopes
  }

  /**
   * Refuses user tokens and tokens without a write scope. The mock's apps hold Connect scopes, so
   * `USER` stands for the Identity write scopes (and `identity.user.delete`); the documented
   * `identity.user.coreenterprise.writeonly` / `user.provision.write` / `identity.user.delete` count as they are.
   */
  const writeScopesOf = (c: Context<MockEnv>, what: 'write' | 'delete'): void => {
    const principal = c.get('principal')
    if (principal.type !== 'company')
      throw new ScimHttpError(
        403,
        'Identity v4 accepts company-level access tokens only; this is a user token',
        undefined,
        'FORBIDDEN',
      )
    const s = principal.scopes
    const ok =
      s.has('USER') ||
      (what === 'write'
        ? s.has('identity.user.coreenterprise.writeonly') || s.has('user.provision.write')
        : s.has('identity.user.delete'))
    if (!ok)
      throw new ScimHttpError(
        403,
        what === 'write'
          ? 'The token lacks the identity.user.coreenterprise.writeonly scope'
          : 'The token lacks the identity.user.delete scope',
        undefined,
        'FORBIDDEN',
      )
  }
  const writeScope = (c: Context<MockEnv>): WriteScope => ({
    state: ctx.state,
    company: c.get('principal').company,
    api: 'identity',
  })

  const datasetFor = (c: Context<MockEnv>) => datasetOf(ctx.state.options.seed, c.get('principal').company)
  const base = () => ctx.state.baseUrl(ctx.datacenter)

  /** User `u` as Identity returns it: written (Identity/UPS writes) or seeded; undefined once deleted. */
  const userAt = (ds: Dataset, u: number, version: IdentityVersion): IdentityUser | undefined => {
    const e = directoryOf(ctx.state).entry(ds.company, u)
    if (e) return e.deleted ? undefined : (writtenIdentity(e, location(e.id, version)) as IdentityUser)
    return u < ds.users ? identityUserAt(ds, u, base(), version) : undefined
  }
  const location = (id: string, version: IdentityVersion) => `${base()}${PREFIX}/${version}/Users/${id}`
  /** Every user index of a company in walk order: seeded, then provisioned (deleted ones skipped). */
  const allIndexes = (ds: Dataset): number[] => {
    const dir = directoryOf(ctx.state)
    const provisioned = dir.writtenIndexes(ds.company).filter((u) => u >= ds.users)
    return [...range(0, ds.users), ...provisioned]
  }

  const queryOf = (
    version: IdentityVersion,
    filter: string | undefined,
    attributes: readonly string[],
    excluded: readonly string[],
    c: Context<MockEnv>,
  ): Query => {
    // The attribute lists are checked against a user (user 0): built only when there are any.
    const template =
      attributes.length > 0 || excluded.length > 0
        ? identityUserAt(datasetFor(c), 0, base(), version)
        : undefined
    let node: FilterNode | undefined
    if (filter !== undefined) node = parseFilter(filter)
    return {
      filter: node,
      filterText: filter ?? '',
      attributes: template ? resolveAttributeList(attributes, template) : [],
      excluded: template ? resolveAttributeList(excluded, template) : [],
    }
  }

  /**
   * Every matching user index, in index order (the mock's stable order). `eq` on `userName`, `id`
   * or `employeeNumber` (alone or in an `and`) names its candidate directly; other filters scan the
   * company once per query and the result is kept for the cursor pages that follow.
   */
  const matching = (
    c: Context<MockEnv>,
    version: IdentityVersion,
    q: Query,
    scopes: Set<string>,
  ): { readonly length: number; slice(from: number, to: number): number[] } => {
    const ds = datasetFor(c)
    const dir = directoryOf(ctx.state)
    const written = dir.has(ds.company.id)
    if (!q.filter && written) return allIndexes(ds)
    if (!q.filter)
      return { length: ds.users, slice: (a: number, b: number) => range(a, Math.min(b, ds.users)) }
    const key = `${ds.seed}\u001f${ds.company.id}\u001f${ds.users}\u001f${dir.generation}\u001f${version}\u001f${[...scopes].join(',')}\u001f${q.filterText}`
    const cached = matchCache.get(key)
    if (cached) return cached
    const out: number[] = []
    let candidates = candidatesOf(ds, q.filter)
    // Written users can match whatever their seeded values were: they are always looked at.
    if (candidates && written)
      candidates = [...new Set([...candidates, ...dir.writtenIndexes(ds.company)])].sort((a, b) => a - b)
    for (const u of candidates ?? allIndexes(ds)) {
      // Filters see what the token may read: a filter on a hidden attribute matches nobody.
      const found = userAt(ds, u, version)
      if (!found) continue
      const user = withinScopes(found, scopes)
      if (matchesFilter(q.filter, user as Record<string, unknown>)) out.push(u)
    }
    if (matchCache.size >= 32) matchCache.delete(matchCache.keys().next().value as string)
    matchCache.set(key, out)
    return out
  }

  const render = (c: Context<MockEnv>, version: IdentityVersion, u: number, q: Query, scopes: Set<string>) =>
    project(withinScopes(userAt(datasetFor(c), u, version)!, scopes), q.attributes, q.excluded)

  /**
   * The list answer's body as JSON text: the same bytes as `c.json` of the SCIM ListResponse. A
   * seeded user the token may read whole, with no attribute list, is written straight from its
   * parts (`identityUserJson`); any other user (written by Identity/UPS, projected, narrowed by
   * scopes) is rendered as an object and stringified.
   */
  const listResponse = (
    c: Context<MockEnv>,
    version: IdentityVersion,
    q: Query,
    scopes: Set<string>,
    page: { totalResults: number; startIndex: number; slice: readonly number[]; nextCursor?: string },
  ) => {
    const ds = datasetFor(c)
    const whole =
      q.attributes.length === 0 && q.excluded.length === 0 && scopes.size === Object.keys(SCOPE_GROUPS).length
    const dir = directoryOf(ctx.state)
    const written = dir.has(ds.company.id)
    const json = whole ? identityJsonContext(ds, base(), version) : undefined
    let resources = ''
    for (let i = 0; i < page.slice.length; i++) {
      const u = page.slice[i]!
      const fast = json && u < ds.users && !(written && dir.entry(ds.company, u))
      const text = fast
        ? identityUserJson(identityUserParts(ds, u), json)
        : JSON.stringify(render(c, version, u, q, scopes))
      resources += i === 0 ? text : `,${text}`
    }
    const body =
      `{"schemas":${LIST_SCHEMAS},"totalResults":${JSON.stringify(page.totalResults)},` +
      `"startIndex":${JSON.stringify(page.startIndex)},"itemsPerPage":${JSON.stringify(page.slice.length)},` +
      `"Resources":[${resources}]` +
      `${page.nextCursor === undefined ? '' : `,"nextCursor":${JSON.stringify(page.nextCursor)}`}}`
    return c.body(body, undefined, { 'Content-Type': 'application/json' })
  }

  const cursorPage = (
    c: Context<MockEnv>,
    q: Query,
    scopes: Set<string>,
    count: number,
    cursor: string | undefined,
  ) => {
    const fingerprint = hashHex(q.filterText).slice(0, 16)
    const startIndex = cursor === undefined ? 1 : decodeCursor(cursor, fingerprint)
    const all = matching(c, 'v4.1', q, scopes)
    const slice = all.slice(startIndex - 1, startIndex - 1 + count)
    const next = startIndex - 1 + slice.length
    return listResponse(c, 'v4.1', q, scopes, {
      totalResults: all.length,
      startIndex,
      slice,
      ...(slice.length > 0 && next < all.length ? { nextCursor: encodeCursor(next + 1, fingerprint) } : {}),
    })
  }

  // v4: index paging, `filter` limited to `eq` on userName / employeeNumber / externalId.
  app.get(`${PREFIX}/v4/Users`, guard, (c) => {
    const scopes = readScopesOf(c)
    const filter = c.req.query('filter')
    const q = queryOf(
      'v4',
      filter,
      splitList(c.req.query('attributes')),
      splitList(c.req.query('excludedAttributes')),
      c,
    )
    if (q.filter) {
      for (const n of comparisonsOf(q.filter)) {
        const ok =
          n.kind === 'cmp' &&
          n.op === 'eq' &&
          n.path.segments.length === 1 &&
          ['username', 'employeenumber', 'externalid'].includes(n.path.segments[0]!)
        if (!ok)
          throw new ScimFilterError(
            'Identity v4 filters only on userName, employeeNumber or externalId with eq; use v4.1 /Users/.search',
          )
      }
    }
    const startIndex = Math.max(1, intParam('startIndex', c.req.query('startIndex')) ?? 1)
    const count = Math.min(
      MAX_PAGE.v4,
      Math.max(0, intParam('count', c.req.query('count')) ?? DEFAULT_PAGE.v4),
    )
    const all = matching(c, 'v4', q, scopes)
    const slice = all.slice(startIndex - 1, startIndex - 1 + count)
    return listResponse(c, 'v4', q, scopes, { totalResults: all.length, startIndex, slice })
  })

  // v4.1: cursor paging; `startIndex` is not supported ("Deep Pagination").
  app.get(`${PREFIX}/v4.1/Users`, guard, (c) => {
    const scopes = readScopesOf(c)
    if (c.req.query('startIndex') !== undefined)
      throw new ScimHttpError(400, "'startIndex' is not supported in v4.1; use 'cursor'", 'invalidValue')
    if (c.req.query('filter') !== undefined)
      throw new ScimHttpError(
        400,
        "v4.1 GET /Users takes no 'filter'; use POST /Users/.search",
        'invalidFilter',
      )
    const q = queryOf(
      'v4.1',
      undefined,
      splitList(c.req.query('attributes')),
      splitList(c.req.query('excludedAttributes')),
      c,
    )
    const count = Math.min(
      MAX_PAGE['v4.1'],
      Math.max(0, intParam('count', c.req.query('count')) ?? DEFAULT_PAGE['v4.1']),
    )
    return cursorPage(c, q, scopes, count, c.req.query('cursor'))
  })

  app.post(`${PREFIX}/v4.1/Users/.search`, guard, async (c) => {
    const scopes = readScopesOf(c)
    let raw: unknown
    try {
      raw = await c.req.json()
    } catch {
      throw new ScimHttpError(400, 'The request body is not JSON', 'invalidSyntax')
    }
    const parsed = IdentitySearchRequest.safeParse(raw)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
      throw new ScimHttpError(
        400,
        `Invalid SearchRequest: ${where}${issue?.message ?? 'invalid'}`,
        'invalidSyntax',
      )
    }
    const body = parsed.data
    const q = queryOf('v4.1', body.filter, body.attributes ?? [], body.excludedAttributes ?? [], c)
    return cursorPage(c, q, scopes, body.count ?? DEFAULT_PAGE['v4.1'], body.cursor ?? body.continuationToken)
  })

  for (const version of ['v4', 'v4.1'] as const) {
    app.get(`${PREFIX}/${version}/Users/:id`, guard, (c) => {
      const scopes = readScopesOf(c)
      const id = c.req.param('id')
      const u = indexOfId(writeScope(c), id)
      const q = queryOf(
        version,
        undefined,
        splitList(c.req.query('attributes')),
        splitList(c.req.query('excludedAttributes')),
        c,
      )
      return c.json(render(c, version, u, q, scopes))
    })
    app.post(`${PREFIX}/${version}/Users`, guard, async (c) => {
      writeScopesOf(c, 'write')
      const { entry } = createUser(writeScope(c), await jsonBody(c))
      return c.json(writtenIdentity(entry, location(entry.id, version)), 200)
    })
    app.put(`${PREFIX}/${version}/Users/:id`, guard, async (c) => {
      writeScopesOf(c, 'write')
      const { entry } = replaceUser(writeScope(c), c.req.param('id'), await jsonBody(c))
      return c.json(writtenIdentity(entry, location(entry.id, version)), 200)
    })
    app.patch(`${PREFIX}/${version}/Users/:id`, guard, async (c) => {
      writeScopesOf(c, 'write')
      const ops = parsePatchBody(await jsonBody(c), true)
      const { entry } = patchUser(writeScope(c), c.req.param('id'), ops)
      return c.json(writtenIdentity(entry, location(entry.id, version)), 200)
    })
    app.delete(`${PREFIX}/${version}/Users/:id`, guard, (c) => {
      writeScopesOf(c, 'delete')
      deleteUser(writeScope(c), c.req.param('id'))
      return c.body(null, 204)
    })
    app.get(`${PREFIX}/${version}/ResourceTypes`, guard, (c) => {
      readScopesOf(c)
      return c.json([resourceType(base(), version)])
    })
    app.get(`${PREFIX}/${version}/ResourceTypes/`, guard, (c) => {
      readScopesOf(c)
      return c.json([resourceType(base(), version)])
    })
    app.get(`${PREFIX}/${version}/ServiceProviderConfig`, guard, (c) => {
      readScopesOf(c)
      return c.json(serviceProviderConfig(version))
    })
    app.get(`${PREFIX}/${version}/Schemas`, guard, (c) => {
      readScopesOf(c)
      return c.json(SCHEMAS.map((s) => schemaDocument(s, version)))
    })
    app.get(`${PREFIX}/${version}/Schemas/:id`, guard, (c) => {
      readScopesOf(c)
      const id = c.req.param('id')
      const s = SCHEMAS.find((x) => x.id.toLowerCase() === id.toLowerCase())
      if (!s) throw new ScimHttpError(404, `Schema ${id} not found`, undefined, 'NOT_FOUND')
      return c.json(schemaDocument(s, version))
    })
  }
  // Anything else under the Identity base answers the SCIM body, not the legacy XML error.
  app.all(`${PREFIX}/*`, (c) => {
    throw new ScimHttpError(
      404,
      `No Identity endpoint ${c.req.method} ${new URL(c.req.url).pathname}`,
      undefined,
      'NOT_FOUND',
    )
  })
  return app
}

function resourceType(baseUrl: string, version: IdentityVersion) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'User',
    name: 'User',
    description: 'User Account',
    endpoint: '/Users',
    schema: SCIM_USER_SCHEMA,
    schemaExtensions: [
      { schema: SCIM_ENTERPRISE_SCHEMA, required: true },
      { schema: SCIM_SAP_SCHEMA, required: false },
    ],
    meta: { resourceType: 'ResourceType', location: `${baseUrl}${PREFIX}/${version}/ResourceTypes/User` },
  }
}

function serviceProviderConfig(version: IdentityVersion) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUrl: `https://developer.concur.com/api-reference/profile/${version}.identity.html`,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE[version] },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        name: 'OAuth Bearer Token',
        description:
          'Authentication scheme using the OAuth Bearer Token Standard (company-level access token)',
        specUrl: 'https://www.rfc-editor.org/info/rfc6750',
        documentationUrl: 'https://developer.concur.com/api-reference/authentication/apidoc.html',
        type: 'oauthbearertoken',
        primary: true,
      },
    ],
    ...(version === 'v4.1'
      ? {
          pagination: {
            cursor: true,
            index: false,
            defaultPageSize: DEFAULT_PAGE['v4.1'],
            maxPageSize: MAX_PAGE['v4.1'],
          },
        }
      : {}),
  }
}

interface SchemaSpec {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly attributes: readonly string[]
}

const SCHEMAS: readonly SchemaSpec[] = [
  {
    id: SCIM_USER_SCHEMA,
    name: 'User',
    description: 'A Concur user account for CTE',
    attributes: [
      'id',
      'externalId',
      'userName',
      'active',
      'displayName',
      'nickName',
      'title',
      'timezone',
      'preferredLanguage',
      'dateOfBirth',
      'name',
      'emails',
      'phoneNumbers',
      'addresses',
      'emergencyContacts',
      'entitlements',
      'localeOverrides',
      'meta',
    ],
  },
  {
    id: SCIM_ENTERPRISE_SCHEMA,
    name: 'EnterpriseUser',
    description: 'Enterprise User',
    attributes: [
      'companyId',
      'costCenter',
      'department',
      'division',
      'employeeNumber',
      'manager',
      'organization',
      'startDate',
      'terminationDate',
      'leavesOfAbsence',
    ],
  },
  { id: SCIM_SAP_SCHEMA, name: 'SapUser', description: 'SAP User', attributes: ['userUuid'] },
]

const COMPLEX = new Set([
  'name',
  'emails',
  'phoneNumbers',
  'addresses',
  'emergencyContacts',
  'localeOverrides',
  'meta',
  'manager',
  'leavesOfAbsence',
])
const MULTI = new Set([
  'emails',
  'phoneNumbers',
  'addresses',
  'emergencyContacts',
  'entitlements',
  'leavesOfAbsence',
])
const BOOLEAN = new Set(['active'])
const READ_ONLY = new Set(['id', 'localeOverrides', 'meta', 'organization'])

function schemaDocument(s: SchemaSpec, version: IdentityVersion) {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    attributes: s.attributes.map((name) => ({
      name,
      type: COMPLEX.has(name) ? 'complex' : BOOLEAN.has(name) ? 'boolean' : 'string',
      multiValued: MULTI.has(name),
      required: ['id', 'userName', 'active', 'emails', 'name', 'companyId'].includes(name),
      caseExact: false,
      mutability: READ_ONLY.has(name) ? 'readOnly' : name === 'companyId' ? 'immutable' : 'readWrite',
      returned: 'default',
      uniqueness:
        name === 'id' || name === 'userName' ? 'global' : name === 'employeeNumber' ? 'server' : 'none',
    })),
    meta: { resourceType: 'Schema', location: `/${version}/Schemas/${s.id}` },
  }
}
