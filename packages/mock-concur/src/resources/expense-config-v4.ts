import {
  ATTENDEE_TYPES_V4_PATH,
  ATTENDEE_TYPES_V4_SCOPE,
  ATTENDEE_V4_UNCREATABLE_TYPES,
  ATTENDEES_V4_BASE,
  ATTENDEES_V4_MAX_EXTERNAL_IDS,
  ATTENDEES_V4_PAGE,
  type AttendeeTypeV4,
  type AttendeeV4,
  AttendeeV4Create,
  AttendeeV4Update,
  EXPENSE_CONFIG_V4_BASE,
  EXPENSE_CONFIG_V4_SCOPES,
  type ExpenseConfigV4AttendeeType,
  type ExpenseConfigV4PaymentType,
  type ExpenseConfigV4Policy,
  getResource,
} from '@concurkit/contract'
import {
  attendeeTypeV4FromV3,
  attendeeV3WriteOfV4,
  attendeeV4FromV3,
  expenseTypesV4FromV3,
  groupConfigV4FromV3,
  groupV4FromV3,
  paymentTypesV4FromV3,
  policiesV4FromV3,
} from '@concurkit/contract/internal'
import { type Context, Hono } from 'hono'
import type { z } from 'zod'
import type { MockCompany, MockUser } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import { type Dataset, datasetOf, userIdOf, userIndexOfLogin } from '../dataset/dataset.js'
import { attendeeExternalId } from '../dataset/expense.js'
import { encodeId } from '../dataset/ids.js'
import { type Provider, providerOf, type WireRecord } from '../dataset/providers.js'
import { ATTENDEE_TYPES } from '../dataset/tables.js'
import { ConcurHttpError } from '../http/errors.js'
import { requestPath } from '../http/headers.js'
import { requireToken } from '../oauth/guard.js'
import type { Principal } from '../principal.js'
import type { MockState } from '../state.js'
import { hashHex, uuidFrom } from '../util/hash.js'
import { itemKeys, overlaysOf } from './engine.js'
import { liveRecords, type V3Ref } from './list-v4-view.js'
import { userIndexOfUuid } from './receipts-v4-data.js'
import type { RowProvider } from './row-provider.js'
import { buildCreated, findRecord, mergeFields, nextCreatedId } from './writes.js'

/**
 * Expense Configuration v4 (`/expenseconfig/v4`), Attendees v4 (`/v4/attendees`) and Attendee Types
 * v4 (`/v4/attendeetypes`), reference v4 §4.1–4.3. They hold no data of their own: every answer is
 * a view of the records the v3.0 APIs serve (`expense-group-configurations`, `expense-attendees`,
 * `expense-attendee-types`, seeded plus the v3.0 write overlays), translated by the contract's
 * mapping functions; an Attendees v4 POST or PUT writes the v3.0 attendee through the same overlay,
 * so the v3.0 view shows it on the next read and the other way round.
 *
 * Ids: an attendee's v4 `id` is a UUID whose first 20 hex digits come from (seed, company) and whose
 * last 12 are its v3.0 record index, so it turns back into the v3.0 record without a table; an
 * attendee type's v4 `id` is `uuidFrom(seed, company, 'attendee-type-v4', <v3.0 ID>)`; a group's
 * `hierarchyNodeId` is 32 upper-case hex digits of `hash(seed, company, <v3.0 ID>)`; policy and
 * payment type ids are the v3.0 ids (Expense v4 reports name policies by the same ids).
 *
 * @example
 * app.route('/', expenseConfigV4Routes(ctx)) // GET /v4/attendees
 */

// ---------------------------------------------------------------- ids

const attendeePrefix = (ds: Dataset) => hashHex(ds.seed, ds.company.id, 'attendee-v4').slice(0, 20)

/** The Attendees v4 id of attendee record *index* (seeded or created). */
export function attendeeV4Id(ds: Dataset, index: number): string {
  const h = attendeePrefix(ds)
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${index.toString(16).padStart(12, '0')}`
}

/** The v3.0 record index an Attendees v4 id names, or undefined when it is no attendee id of this company. */
export function attendeeIndexOfV4Id(ds: Dataset, id: string): number | undefined {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})-([0-9a-f]{12})$/.exec(id.toLowerCase())
  if (!m) return undefined
  const index = Number.parseInt(m[2]!, 16)
  return attendeeV4Id(ds, index) === id.toLowerCase() ? index : undefined
}

const attendeeTypeV4Id = (ds: Dataset, v3Id: string) =>
  uuidFrom(ds.seed, ds.company.id, 'attendee-type-v4', v3Id)
const formV4Id = (ds: Dataset, v3Id: string) => uuidFrom(ds.seed, ds.company.id, 'attendee-form-v4', v3Id)
/** The `hierarchyNodeId` of a v3.0 group configuration. */
export const hierarchyNodeId = (ds: Dataset, v3Id: string) =>
  hashHex(ds.seed, ds.company.id, 'hierarchy-node', v3Id).slice(0, 32).toUpperCase()

// ---------------------------------------------------------------- views

const attendeesProvider = (): Provider => providerOf('expense-attendees')!
const typesProvider = (): Provider => providerOf('expense-attendee-types')!
const groupsProvider = (): Provider => providerOf('expense-group-configurations')!

/** The v4 view of one v3.0 attendee record. */
function attendeeView(ds: Dataset, origin: string, index: number, record: WireRecord): AttendeeV4 {
  const id = attendeeV4Id(ds, index)
  const owner = userIndexOfLogin(ds, String(record.OwnerLoginID ?? ''))
  return attendeeV4FromV3(record, {
    id,
    uri: `${origin}${ATTENDEES_V4_BASE}/${id}`,
    ownerUserId: owner === undefined ? null : userIdOf(ds, owner),
  })
}

/** Every live v3.0 attendee type, in v3.0 order, as Attendee Types v4 answers them. */
function attendeeTypesV4(state: MockState, ds: Dataset): AttendeeTypeV4[] {
  return liveRecords(
    ds,
    typesProvider(),
    overlaysOf(state).peek(ds.company.id, 'expense-attendee-types'),
  ).map((ref) =>
    attendeeTypeV4FromV3(ref.record, {
      id: attendeeTypeV4Id(ds, String(ref.record.ID)),
      formId: formV4Id(ds, String(ref.record.AttendeeFormID ?? ref.record.ID)),
      formName: `${String(ref.record.Name ?? ref.record.Code)} Attendee Form`,
    }),
  )
}

/** The company's v3.0 group configurations (read-only in v3.0 too: no overlay). */
function groups(ds: Dataset): V3Ref[] {
  return liveRecords(ds, groupsProvider(), undefined)
}

/**
 * A user's configuration. The v3.0 view gives every user every group configuration; v4 answers one
 * Group Config per user: the first (the company's default group) with its payment types and
 * attendee types, and the policies of every group the v3.0 view gives the user (Expense v4 reports
 * accept each of them), `isDefault` only on the first group's.
 */
function userConfig(ds: Dataset) {
  const all = groups(ds)
  const first = all[0]!.record
  const policies: ExpenseConfigV4Policy[] = []
  const seen = new Set<string>()
  all.forEach((g, k) => {
    for (const p of policiesV4FromV3(g.record)) {
      if (seen.has(p.policyId)) continue
      seen.add(p.policyId)
      policies.push(k === 0 ? p : { ...p, isDefault: false })
    }
  })
  const config = groupConfigV4FromV3(first, hierarchyNodeId(ds, String(first.ID)))
  return {
    config: { ...config, policies },
    policies,
    paymentTypes: paymentTypesV4FromV3(first) as ExpenseConfigV4PaymentType[],
    attendeeTypes: config.attendeeTypes as ExpenseConfigV4AttendeeType[],
    groups: all,
  }
}

const titleCase = (code: string | null) =>
  code === null
    ? null
    : code
        .toLowerCase()
        .replace(/_/g, ' ')
        .replace(/\b\w/g, (ch) => ch.toUpperCase())

// ---------------------------------------------------------------- attendee walk

/** What a list of attendees is narrowed to. */
interface AttendeeQuery {
  /** Owner user index, or undefined for every attendee of the company. */
  readonly owner: number | undefined
  readonly typeCode: string | undefined
  readonly externalIds: ReadonlySet<string> | undefined
}

/**
 * The attendees of a query from record index `from` on, in index order (seeded, then created):
 * `[index, record]`. Seeded records nobody wrote are checked on their type and external id
 * before they are generated, and an owner's are visited by stride.
 */
function* attendeesFrom(
  state: MockState,
  ds: Dataset,
  q: AttendeeQuery,
  from: number,
): Generator<readonly [number, WireRecord]> {
  const provider = attendeesProvider()
  const overlay = overlaysOf(state).peek(ds.company.id, 'expense-attendees')
  const base = provider.size(ds)
  const match = (rec: WireRecord, owner: number | undefined) =>
    (q.owner === undefined || owner === q.owner) &&
    (q.typeCode === undefined || rec.AttendeeTypeCode === q.typeCode) &&
    (q.externalIds === undefined || q.externalIds.has(String(rec.ExternalID)))
  let i = Math.max(0, from)
  if (q.owner !== undefined && i < base) {
    const r = ((q.owner % ds.users) + ds.users) % ds.users
    i = i <= r ? r : i + ((r - (i % ds.users) + ds.users) % ds.users)
  }
  while (i < base) {
    const step = q.owner !== undefined ? ds.users : 1
    if (overlay?.patches.has(i)) {
      const rec = overlay.patches.get(i)
      if (rec && match(rec, provider.owner?.(ds, i))) yield [i, rec]
    } else {
      const type = ATTENDEE_TYPES[i % ATTENDEE_TYPES.length]!.code
      const ext = attendeeExternalId(i)
      if (
        (q.typeCode === undefined || type === q.typeCode) &&
        (q.externalIds === undefined || (ext !== null && q.externalIds.has(ext)))
      )
        yield [i, provider.generate(ds, i)]
    }
    i += step
  }
  const created = overlay?.created ?? []
  // (by stride, `i` may have stepped past `base`: the created records start at `from`)
  for (let k = Math.max(0, from - base); k < created.length; k++) {
    const c = created[k]!
    if (c.record && match(c.record, c.owner)) yield [base + k, c.record]
  }
}

// ---------------------------------------------------------------- access

const hasAny = (p: Principal, scopes: readonly string[]) =>
  scopes.some((s) => (p.scopes as ReadonlySet<string>).has(s))

function requireScope(p: Principal, scopes: readonly string[], name: string): void {
  if (!hasAny(p, scopes))
    throw new ConcurHttpError(403, `Forbidden: the access token lacks the ${name} scope`)
}

/** The attendee scopes a request needs: `attendee.read`/`write` read, `write`/`writeonly` write; `ATTEND` stands for all. */
const ATTENDEE_READ = ['attendee.read', 'attendee.write', 'ATTEND']
const ATTENDEE_WRITE = ['attendee.write', 'attendee.writeonly', 'ATTEND']

/** A 400 with Attendees v4 `validationErrors`. */
class AttendeesV4Invalid extends Error {
  constructor(
    message: string,
    readonly validationErrors: readonly { id: string; message: string; source: string }[],
  ) {
    super(message)
  }
}

function parseBody<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const r = schema.safeParse(raw)
  if (r.success) return r.data
  throw new AttendeesV4Invalid(
    'Invalid request body',
    r.error.issues.slice(0, 10).map((i) => ({
      id: i.code,
      message: i.message,
      source: i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : '(body)'),
    })),
  )
}

async function readJson(c: Context<MockEnv>): Promise<unknown> {
  const text = await c.req.text()
  try {
    return JSON.parse(text)
  } catch {
    throw new AttendeesV4Invalid('The request body is not valid JSON', [
      { id: 'json', message: 'Malformed JSON', source: '(body)' },
    ])
  }
}

/**
 * The routes of the three APIs for one datacenter's app.
 *
 * @example
 * new Hono().route('/', expenseConfigV4Routes(ctx))
 */
export function expenseConfigV4Routes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()
  const guard = requireToken(ctx)

  app.onError((err, c) => {
    if (!(err instanceof AttendeesV4Invalid)) throw err
    return c.json(
      {
        errorId: uuidFrom('attendees-v4-error', state.clock.now(), requestPath(c)),
        errorMessage: err.message,
        httpStatus: '400',
        path: requestPath(c),
        timestamp: new Date(state.clock.now()).toISOString(),
        validationErrors: err.validationErrors,
      },
      400,
    )
  })

  const origin = (c: Context<MockEnv>) => new URL(c.req.url).origin
  const dsOf = (c: Context<MockEnv>) => datasetOf(state.options.seed, c.get('principal').company)

  /** The user a `{userID}` names: the token's own (a user token naming another: 403), or any of a company token's. */
  const pathUser = (c: Context<MockEnv>, ds: Dataset): number => {
    const p = c.get('principal')
    const userId = c.req.param('userId') ?? ''
    const u = userIndexOfUuid(ds, userId.toLowerCase())
    if (p.type === 'user') {
      if (p.user?.id.toLowerCase() !== userId.toLowerCase())
        throw new ConcurHttpError(403, 'Forbidden: a user access token can only read its own configuration')
      return p.user.index
    }
    if (u === undefined) throw new ConcurHttpError(404, `User ${userId} was not found`)
    return u
  }

  const configScope =
    (scope: string, ...more: string[]) =>
    (c: Context<MockEnv>) =>
      requireScope(c.get('principal'), [scope, ...more, 'EXPRPT'], scope)

  // ------------------------------------------------ Expense Configuration v4
  const U = `${EXPENSE_CONFIG_V4_BASE}/users/:userId`

  app.get(`${U}/policies`, guard, (c) => {
    configScope(EXPENSE_CONFIG_V4_SCOPES.policies)(c)
    const ds = dsOf(c)
    pathUser(c, ds)
    return c.json(userConfig(ds).policies)
  })
  app.get(`${U}/policies/:policyId/expensetypes`, guard, (c) => {
    const p = c.get('principal')
    requireScope(p, [EXPENSE_CONFIG_V4_SCOPES.expenseTypes, 'EXPRPT'], EXPENSE_CONFIG_V4_SCOPES.expenseTypes)
    requireScope(p, [EXPENSE_CONFIG_V4_SCOPES.policies, 'EXPRPT'], EXPENSE_CONFIG_V4_SCOPES.policies)
    const ds = dsOf(c)
    pathUser(c, ds)
    const policyId = c.req.param('policyId')
    for (const g of groups(ds)) {
      const types = expenseTypesV4FromV3(g.record, policyId, titleCase)
      if (types) return c.json(types)
    }
    throw new ConcurHttpError(404, `Policy ${policyId} was not found`)
  })
  app.get(`${U}/paymenttypes`, guard, (c) => {
    configScope(EXPENSE_CONFIG_V4_SCOPES.paymentTypes)(c)
    const ds = dsOf(c)
    pathUser(c, ds)
    return c.json(userConfig(ds).paymentTypes)
  })
  app.get(`${U}/attendeetypes`, guard, (c) => {
    configScope(EXPENSE_CONFIG_V4_SCOPES.attendeeTypes)(c)
    const ds = dsOf(c)
    pathUser(c, ds)
    return c.json(userConfig(ds).attendeeTypes)
  })
  app.get(`${U}/groupconfigs`, guard, (c) => {
    configScope(EXPENSE_CONFIG_V4_SCOPES.groups)(c)
    const ds = dsOf(c)
    pathUser(c, ds)
    return c.json(userConfig(ds).config)
  })

  /** The company a `{companyId}` names: the token's own (another: 403). */
  const pathCompany = (c: Context<MockEnv>): MockCompany => {
    const company = c.get('principal').company
    const id = c.req.param('companyId') ?? ''
    if (id.toLowerCase() !== company.id.toLowerCase())
      throw new ConcurHttpError(403, 'Forbidden: the access token belongs to another company')
    return company
  }
  // The reference's table says `/companies/`, its curl sample `/company/`: both are served.
  for (const companies of ['companies', 'company']) {
    const C = `${EXPENSE_CONFIG_V4_BASE}/${companies}/:companyId/groupconfigs`
    app.get(C, guard, (c) => {
      configScope(EXPENSE_CONFIG_V4_SCOPES.groups)(c)
      pathCompany(c)
      const ds = dsOf(c)
      return c.json(groups(ds).map((g) => groupV4FromV3(g.record, hierarchyNodeId(ds, String(g.record.ID)))))
    })
    app.get(`${C}/:hierarchyNodeId`, guard, (c) => {
      configScope(EXPENSE_CONFIG_V4_SCOPES.groups)(c)
      pathCompany(c)
      const ds = dsOf(c)
      const node = (c.req.param('hierarchyNodeId') ?? '').toUpperCase()
      const g = groups(ds).find((x) => hierarchyNodeId(ds, String(x.record.ID)) === node)
      if (!g) throw new ConcurHttpError(404, `Group ${c.req.param('hierarchyNodeId')} was not found`)
      return c.json(groupConfigV4FromV3(g.record, node))
    })
  }

  // ------------------------------------------------ Attendee Types v4

  app.get(ATTENDEE_TYPES_V4_PATH, guard, (c) => {
    const p = c.get('principal')
    if (p.type !== 'company')
      throw new ConcurHttpError(403, 'Forbidden: Attendee Types v4 accepts company access tokens only')
    requireScope(p, [ATTENDEE_TYPES_V4_SCOPE, 'ATTEND'], ATTENDEE_TYPES_V4_SCOPE)
    return c.json(attendeeTypesV4(state, dsOf(c)))
  })

  // ------------------------------------------------ Attendees v4

  /**
   * The owner a request reads or writes for: `userId` (a company token or an administrator: any
   * user; another user: only itself, else 403), else the token's user (undefined for a company token).
   */
  const ownerParam = (c: Context<MockEnv>, ds: Dataset): number | undefined => {
    const p = c.get('principal')
    const userId = c.req.query('userId')
    if (userId === undefined || userId === '') return p.type === 'user' ? p.user!.index : undefined
    const u = p.user?.id.toLowerCase() === userId.toLowerCase() ? p.user.index : userIndexOfUuid(ds, userId)
    if (u === undefined) throw new ConcurHttpError(404, `User ${userId} was not found`)
    if (p.type === 'user' && !p.isAdmin && u !== p.user!.index)
      throw new ConcurHttpError(403, 'Forbidden: userId names another user; that needs an administrator role')
    return u
  }

  /** Whether the caller may see attendees of `owner`. */
  const mayRead = (p: Principal, owner: number | undefined) =>
    p.type === 'company' || p.isAdmin || owner === p.user?.index

  const findAttendee = (c: Context<MockEnv>, ds: Dataset) => {
    const id = c.req.param('id') ?? ''
    const index = attendeeIndexOfV4Id(ds, id)
    const found =
      index === undefined
        ? undefined
        : findRecord(
            ds,
            attendeesProvider(),
            overlaysOf(state).peek(ds.company.id, 'expense-attendees'),
            encodeId('expense-attendees', ds.tag, index),
          )
    if (!found || !mayRead(c.get('principal'), found.owner))
      throw new ConcurHttpError(404, `Attendee ${id} was not found`)
    return found
  }

  app.get(ATTENDEES_V4_BASE, guard, (c) => {
    const p = c.get('principal')
    requireScope(p, ATTENDEE_READ, 'attendee.read')
    const ds = dsOf(c)
    const url = new URL(c.req.url)
    const limitRaw = c.req.query('limit')
    const limit = limitRaw === undefined || limitRaw === '' ? ATTENDEES_V4_PAGE.default : Number(limitRaw)
    if (!Number.isInteger(limit) || limit < 1 || limit > ATTENDEES_V4_PAGE.max)
      throw new ConcurHttpError(400, `Invalid value for parameter 'limit': 1..${ATTENDEES_V4_PAGE.max}`)
    const offsetRaw = c.req.query('offset') ?? '0'
    if (!/^\d{1,12}$/.test(offsetRaw))
      throw new ConcurHttpError(400, "Invalid value for parameter 'offset': a page offset from nextPage")
    const csv = (name: string) => {
      const v = c.req.query(name)
      return v === undefined || v === ''
        ? undefined
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
    }
    const external = csv('externalId')
    if (external && external.length > ATTENDEES_V4_MAX_EXTERNAL_IDS)
      throw new ConcurHttpError(
        400,
        `Invalid value for parameter 'externalId': at most ${ATTENDEES_V4_MAX_EXTERNAL_IDS} values`,
      )
    let owner = ownerParam(c, ds)
    // company tokens and administrators read the company's attendees unless `userId` narrows them
    if (c.req.query('userId') === undefined && (p.type === 'company' || p.isAdmin)) owner = undefined
    const ids = csv('id')
    if (ids) {
      // `?id=a,b`: those attendees (unknown or unreadable ones left out), no paging
      const items = ids.flatMap((id) => {
        const index = attendeeIndexOfV4Id(ds, id)
        if (index === undefined) return []
        const f = findRecord(
          ds,
          attendeesProvider(),
          overlaysOf(state).peek(ds.company.id, 'expense-attendees'),
          encodeId('expense-attendees', ds.tag, index),
        )
        return f && mayRead(p, f.owner) && (owner === undefined || f.owner === owner)
          ? [attendeeView(ds, origin(c), index, f.record)]
          : []
      })
      return c.json({ items })
    }
    const q: AttendeeQuery = {
      owner,
      typeCode: c.req.query('attendeeTypeCode') || undefined,
      externalIds: external ? new Set(external) : undefined,
    }
    const items: AttendeeV4[] = []
    let next: number | undefined
    for (const [i, rec] of attendeesFrom(state, ds, q, Number(offsetRaw))) {
      if (items.length === limit) {
        next = i
        break
      }
      items.push(attendeeView(ds, origin(c), i, rec))
    }
    const body: { items: AttendeeV4[]; nextPage?: string } = { items }
    if (next !== undefined) {
      const n = new URL(url.pathname + url.search, origin(c))
      n.searchParams.set('offset', String(next))
      n.searchParams.set('limit', String(limit))
      body.nextPage = n.href
    }
    return c.json(body)
  })

  app.get(`${ATTENDEES_V4_BASE}/:id`, guard, (c) => {
    requireScope(c.get('principal'), ATTENDEE_READ, 'attendee.read')
    const ds = dsOf(c)
    ownerParam(c, ds)
    const found = findAttendee(c, ds)
    return c.json({ items: [attendeeView(ds, origin(c), found.index, found.record)] })
  })

  /** The live v3.0 attendee type of a code, or a 400. */
  const typeOf = (ds: Dataset, code: string): V3Ref => {
    const t = liveRecords(
      ds,
      typesProvider(),
      overlaysOf(state).peek(ds.company.id, 'expense-attendee-types'),
    ).find((r) => r.record.Code === code)
    if (!t)
      throw new AttendeesV4Invalid(`The attendee type '${code}' does not exist`, [
        { id: 'attendeeTypeCode', message: 'Unknown attendee type', source: 'attendeeTypeCode' },
      ])
    return t
  }

  /** A duplicate by the type's duplicate-search fields among the company's attendees of that type (400). */
  const checkDuplicate = (ds: Dataset, type: V3Ref, rec: WireRecord, owner: number, skip?: number) => {
    const fields = ((type.record.DuplicateSearchFields as string[] | null) ?? []).map((f) =>
      f === 'ExternalId' ? 'ExternalID' : f,
    )
    if (fields.length === 0) return
    const q: AttendeeQuery = { owner: undefined, typeCode: String(type.record.Code), externalIds: undefined }
    for (const [i, other] of attendeesFrom(state, ds, q, 0)) {
      if (i === skip) continue
      const same = fields.every((f) =>
        f === 'OwnerEmpName'
          ? userIndexOfLogin(ds, String(other.OwnerLoginID ?? '')) === owner
          : JSON.stringify(other[f] ?? null) === JSON.stringify(rec[f] ?? null),
      )
      if (same)
        throw new AttendeesV4Invalid('Duplicate attendee', [
          {
            id: 'duplicate',
            message: `An attendee of type ${String(type.record.Code)} with the same ${fields.join(', ')} exists: ${attendeeV4Id(ds, i)}`,
            source: 'attendee',
          },
        ])
    }
  }

  app.post(ATTENDEES_V4_BASE, guard, async (c) => {
    const p = c.get('principal')
    requireScope(p, ATTENDEE_WRITE, 'attendee.write')
    const ds = dsOf(c)
    const owner = ownerParam(c, ds)
    if (owner === undefined)
      throw new ConcurHttpError(
        400,
        "Invalid request: a company access token must name the owner in 'userId'",
      )
    const body = parseBody(AttendeeV4Create, await readJson(c))
    if ((ATTENDEE_V4_UNCREATABLE_TYPES as readonly string[]).includes(body.attendeeTypeCode))
      throw new AttendeesV4Invalid(`Attendees of type ${body.attendeeTypeCode} cannot be created`, [
        {
          id: 'attendeeTypeCode',
          message: 'This attendee type cannot be created',
          source: 'attendeeTypeCode',
        },
      ])
    const type = typeOf(ds, body.attendeeTypeCode)
    const overlay = overlaysOf(state).of(ds.company.id, 'expense-attendees')
    const provider = attendeesProvider()
    const ownerUser: MockUser | undefined = p.user?.index === owner ? p.user : undefined
    const created = buildCreated(
      ds,
      overlaysOf(state),
      'expense-attendees',
      itemKeys(getResource('expense-attendees').item),
      { ...attendeeV3WriteOfV4(body), AttendeeTypeID: type.record.ID },
      owner,
      nextCreatedId(ds, provider, overlay),
      state.clock.now(),
      ownerUser,
    )
    checkDuplicate(ds, type, created.record!, owner)
    const index = provider.size(ds) + overlay.created.length
    overlay.add(created)
    const id = attendeeV4Id(ds, index)
    return c.json({ id, uri: `${origin(c)}${ATTENDEES_V4_BASE}/${id}` }, 200)
  })

  app.put(`${ATTENDEES_V4_BASE}/:id`, guard, async (c) => {
    requireScope(c.get('principal'), ATTENDEE_WRITE, 'attendee.write')
    const ds = dsOf(c)
    ownerParam(c, ds)
    const found = findAttendee(c, ds)
    const body = parseBody(AttendeeV4Update, await readJson(c))
    const rec = mergeFields('expense-attendees', found.record, attendeeV3WriteOfV4(body))
    let type = typeOf(ds, String(found.record.AttendeeTypeCode))
    if (body.attendeeTypeCode !== undefined && body.attendeeTypeCode !== found.record.AttendeeTypeCode) {
      type = typeOf(ds, body.attendeeTypeCode)
      rec.AttendeeTypeCode = type.record.Code
      rec.AttendeeTypeID = type.record.ID
    }
    rec.VersionNumber = (typeof found.record.VersionNumber === 'number' ? found.record.VersionNumber : 1) + 1
    checkDuplicate(ds, type, rec, found.owner ?? -1, found.index)
    const overlay = overlaysOf(state).of(ds.company.id, 'expense-attendees')
    if (found.created) overlay.replaceCreated(found.created, rec)
    else overlay.patch(found.index, rec)
    return c.body(null, 204)
  })

  return app
}

/**
 * The family's provider: its routes, and the records of its rows as a walk reads them —
 * `attendees-v4`: every attendee of the company (or of the owner a `userId`/`user` filter names),
 * narrowed by `attendeeTypeCode` / `externalId`; `attendee-types-v4`: every attendee type; the
 * `expense-config-v4-*` rows: the configuration of the user a `userId` (UUID) or `user` (login id)
 * filter names, without either every user's in user order.
 */
export const expenseConfigV4Provider: RowProvider = {
  names: [
    'attendees-v4',
    'attendee-types-v4',
    'expense-config-v4-policies',
    'expense-config-v4-payment-types',
    'expense-config-v4-attendee-types',
  ],
  routes: expenseConfigV4Routes,
  *records({ state, company, name, filters, origin }) {
    const ds = datasetOf(state.options.seed, company)
    const owner =
      filters.userId !== undefined
        ? userIndexOfUuid(ds, filters.userId.toLowerCase())
        : filters.user !== undefined && filters.user !== 'ALL'
          ? userIndexOfLogin(ds, filters.user)
          : null
    if (owner === undefined) return
    switch (name) {
      case 'attendees-v4': {
        const external = filters.externalId?.split(',').filter(Boolean)
        const q: AttendeeQuery = {
          owner: owner ?? undefined,
          typeCode: filters.attendeeTypeCode || undefined,
          externalIds: external ? new Set(external) : undefined,
        }
        for (const [i, rec] of attendeesFrom(state, ds, q, 0)) yield attendeeView(ds, origin, i, rec)
        return
      }
      case 'attendee-types-v4':
        yield* attendeeTypesV4(state, ds)
        return
      default: {
        const cfg = userConfig(ds)
        const list =
          name === 'expense-config-v4-policies'
            ? cfg.policies
            : name === 'expense-config-v4-payment-types'
              ? cfg.paymentTypes
              : cfg.attendeeTypes
        const users = owner === null ? ds.users : 1
        for (let u = 0; u < users; u++) yield* list
      }
    }
  },
}
