import {
  REQUEST_V4_DEFAULT_LIMIT,
  REQUEST_V4_MAX_LIMIT,
  type RequestV4,
  RequestV4Action,
  RequestV4ActionBody,
  RequestV4Create,
  type RequestV4ErrorCode,
  RequestV4ExpectedExpenseWrite,
  RequestV4SortField,
  RequestV4SortOrder,
  RequestV4Update,
  RequestV4View,
} from '@concurkit/contract'
import { requestV4ErrorCode } from '@concurkit/contract/internal'
import { type Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { z } from 'zod'
import type { MockCompany } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import { type Dataset, datasetOf, isTestUser, userOf } from '../dataset/dataset.js'
import { publishEvent } from '../events/store.js'
import { MockConnectionReset } from '../faults.js'
import { answerFamilyError, ConcurHttpError } from '../http/errors.js'
import { requestHeader } from '../http/headers.js'
import { requireToken } from '../oauth/guard.js'
import type { Principal } from '../principal.js'
import type { MockState } from '../state.js'
import { hashHex } from '../util/hash.js'
import { identityIndexOf } from './identity-users.js'
import {
  type Actor,
  addCreated,
  agencyIdOf,
  approverOf,
  availableActions,
  cachedSelection,
  cashAdvanceWire,
  childIdOf,
  commentsWire,
  currencyOf,
  editable,
  exceptionsWire,
  expenseWire,
  findCashAdvance,
  findExpense,
  findRequest,
  forEachCore,
  newRequestIds,
  policyIdOf,
  type RequestCore,
  requestAt,
  requestDetails,
  requestSummary,
  type StoredExpense,
  saveRequest,
  startKeyText,
  startText,
  storedRequests,
  type TravelRequest,
} from './request-v4-data.js'
import type { RowProvider } from './row-provider.js'

/** An error answered with the Request v4 body `{"errors":[{"errorCode","errorMessage"}]}`. */
export class RequestV4HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: RequestV4ErrorCode | 'invalidStatus',
    message: string,
  ) {
    super(message)
  }
}

const bad = (message: string) => new RequestV4HttpError(400, 'badParam', message)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const REQUEST_ID = /^[0-9A-Fa-f]{32}$/
const TOPIC = 'public.concur.request'

/** Request v4 needs `travelrequest.write` (the mock's Connect apps: `ITINER`); approve/sendback also accept the external-system scope. */
function requireScope(p: Principal, action?: string): void {
  const s = p.scopes as ReadonlySet<string>
  if (s.has('travelrequest.write') || s.has('ITINER')) return
  if ((action === 'approve' || action === 'sendback') && s.has('travelrequest.externalsystemworkflow.write'))
    return
  throw new RequestV4HttpError(
    403,
    'permissionDenied',
    'The access token lacks the travelrequest.write scope',
  )
}

/**
 * Who acts. Company tokens act as the system user unless `userId` names a user (writes need it:
 * 400 `missingRequiredParam`); user tokens act as their user (`userId` of someone else needs an
 * administrator), except that an administrator's token reads company-wide, like a company token
 * (`self` asks for the token's own user even then: `view=TOAPPROVE`).
 */
function actorOf(c: Context<MockEnv>, ds: Dataset, write: boolean, self = false): Actor {
  const p = c.get('principal')
  const raw = c.req.query('userId')
  let index: number | undefined
  if (raw !== undefined) {
    if (!UUID.test(raw))
      throw new RequestV4HttpError(400, 'invalidUuid', `userId '${raw}' is not a valid UUID`)
    index = identityIndexOf(ds, raw)
    if (index === undefined) throw bad(`userId '${raw}' is not a user of this company`)
  }
  if (p.type === 'company') {
    if (index !== undefined) return { kind: 'user', index }
    if (write)
      throw new RequestV4HttpError(400, 'missingRequiredParam', 'userId is required with a company token')
    return { kind: 'system' }
  }
  const own = p.user!.index
  if (index !== undefined && index !== own && !p.isAdmin)
    throw new RequestV4HttpError(403, 'permissionDenied', 'Only an administrator may act for another user')
  if (index === undefined && p.isAdmin && !write && !self) return { kind: 'system' }
  return { kind: 'user', index: index ?? own }
}

function mayRead(r: TravelRequest, actor: Actor): void {
  if (actor.kind === 'system' || actor.index === r.owner || actor.index === r.approver) return
  throw new RequestV4HttpError(403, 'permissionDenied', 'The user may not access this request')
}

function mustOwn(r: TravelRequest, actor: Actor): void {
  if (actor.kind === 'user' && actor.index === r.owner) return
  throw new RequestV4HttpError(403, 'permissionDenied', 'Only the request owner may do this')
}

function mustBeEditable(r: TravelRequest): void {
  if (r.status === 'NOT_SUBMITTED' || r.status === 'SENTBACK') return
  throw new RequestV4HttpError(
    409,
    'invalidStatus',
    `A request in status ${r.status} cannot be changed; recall it first`,
  )
}

/**
 * `yyyy-MM-dd'T'HH:mm:ss'Z'` or `yyyy-MM-dd` (UTC) → ms. Also taken: milliseconds and a time without
 * `Z` (read as UTC), which incremental clients send back from `lastModified`.
 */
function dateParam(name: string, raw: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z?)?$/.exec(raw)
  const ms = m
    ? Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`)
    : Number.NaN
  if (!m || !Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== m[1])
    throw bad(`${name} must be yyyy-MM-dd'T'HH:mm:ss'Z' or yyyy-MM-dd`)
  return ms
}

function intParam(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw bad(`${name} must be an integer from ${min} to ${max}`)
  return Number(raw)
}

/** Which requests a view shows (the actor's own ones, all of the company for the system user). */
function inView(r: RequestCore, view: RequestV4View, actor: Actor, todayMs: number): boolean {
  if (view === 'TOAPPROVE')
    return actor.kind === 'user' && r.approver === actor.index && r.status === 'SUBMITTED'
  if (actor.kind === 'user' && r.owner !== actor.index) return false
  switch (view) {
    case 'ALL':
      return true
    case 'ACTIVE':
      return !r.closed && r.status !== 'CANCELED'
    case 'ACTIVEAPPROVED':
      return r.status === 'APPROVED' && !r.closed
    case 'UNSUBMITTED':
      return r.status === 'NOT_SUBMITTED' || r.status === 'SENTBACK'
    case 'PENDING':
      return r.status === 'SUBMITTED'
    case 'VALIDATED':
    case 'APPROVED':
      return r.status === 'APPROVED'
    case 'CANCELED':
      return r.status === 'CANCELED'
    case 'CLOSED':
      return r.closed
    case 'SUBMITTED':
      return r.status === 'SUBMITTED' || r.status === 'APPROVED'
    case 'PENDINGEBOOKING':
      return r.status === 'APPROVED' && !r.closed && r.hasTravelAgency && r.startDayMs >= todayMs
    default:
      return false
  }
}

const STATUS_ORDER = ['APPROVED', 'CANCELED', 'NOT_SUBMITTED', 'SENTBACK', 'SUBMITTED']

/** The query of `GET /requests` after validation. */
export interface RequestListQuery {
  readonly view: RequestV4View
  readonly start: number
  readonly limit: number
  readonly sortField: RequestV4SortField
  readonly sortOrder: RequestV4SortOrder
  readonly modifiedAfter?: number
  readonly modifiedBefore?: number
  readonly approvedAfter?: number
  readonly approvedBefore?: number
}

/** Validates the list query (400 `badParam` with the offending parameter named). */
export function parseListQuery(q: (name: string) => string | undefined): RequestListQuery {
  const view = RequestV4View.safeParse(q('view') ?? 'ALL')
  if (!view.success) throw bad(`view must be one of ${RequestV4View.options.join(', ')}`)
  const sortField = RequestV4SortField.safeParse(q('sortField') ?? 'startDate')
  if (!sortField.success) throw bad('sortField must be startDate, approvalStatus or requestId')
  const sortOrder = RequestV4SortOrder.safeParse((q('sortOrder') ?? 'DESC').toUpperCase())
  if (!sortOrder.success) throw bad('sortOrder must be ASC or DESC')
  const out: Record<string, unknown> = {
    view: view.data,
    start: intParam('start', q('start'), 0, 0, 999_999_999),
    limit: intParam('limit', q('limit'), REQUEST_V4_DEFAULT_LIMIT, 1, REQUEST_V4_MAX_LIMIT),
    sortField: sortField.data,
    sortOrder: sortOrder.data,
  }
  for (const name of ['modifiedAfter', 'modifiedBefore', 'approvedAfter', 'approvedBefore'] as const) {
    const raw = q(name)
    if (raw !== undefined) out[name] = dateParam(name, raw)
  }
  return out as unknown as RequestListQuery
}

/**
 * The requests a list query selects, filtered and sorted, as request ordinals (all of them: the
 * caller pages and builds the requests of its page with `requestAt`).
 * `…After` bounds are inclusive, `…Before` bounds exclusive; `approved…` keeps approved requests only.
 */
export function selectRequests(
  state: MockState,
  company: MockCompany,
  actor: Actor,
  q: RequestListQuery,
): Int32Array {
  const today = state.clock.now() - (state.clock.now() % 86_400_000)
  const { start: _start, limit: _limit, ...shape } = q
  const key = JSON.stringify([actor, shape, q.view === 'PENDINGEBOOKING' ? today : 0])
  return cachedSelection(state, company, key, () => select(state, company, actor, q, today))
}

/**
 * Filters the cores of the company's requests and sorts them by the query's key, ties in creation
 * order (ordinal ascending) whatever the sort order. `requestId` orders like the ordinal (it is the
 * ordinal in base 36, never rewritten), so that sort is the creation order or its reverse.
 */
function select(
  state: MockState,
  company: MockCompany,
  actor: Actor,
  q: RequestListQuery,
  today: number,
): Int32Array {
  const ordinals: number[] = []
  const keys: number[] = []
  /** Start texts of the selected requests whose start has no numeric key (index in `ordinals`). */
  const texts = new Map<number, string>()
  // A user's views hold the user's own requests only (TOAPPROVE: other users', company-wide).
  const owner = actor.kind === 'user' && q.view !== 'TOAPPROVE' ? actor.index : undefined
  const visit = (r: RequestCore) => {
    if (!inView(r, q.view, actor, today)) return
    if (q.modifiedAfter !== undefined && !(r.lastModifiedMs >= q.modifiedAfter)) return
    if (q.modifiedBefore !== undefined && !(r.lastModifiedMs < q.modifiedBefore)) return
    if (
      (q.approvedAfter !== undefined || q.approvedBefore !== undefined) &&
      !(
        r.authorizedMs !== undefined &&
        (q.approvedAfter === undefined || r.authorizedMs >= q.approvedAfter) &&
        (q.approvedBefore === undefined || r.authorizedMs < q.approvedBefore)
      )
    )
      return
    if (q.sortField === 'startDate') {
      if (Number.isNaN(r.startKey)) texts.set(ordinals.length, startText(r))
      keys.push(r.startKey)
    } else if (q.sortField === 'approvalStatus') keys.push(STATUS_ORDER.indexOf(r.status))
    ordinals.push(r.ordinal)
  }
  forEachCore(state, company, visit, owner)
  const out = Int32Array.from(ordinals)
  if (q.sortField === 'requestId') return q.sortOrder === 'ASC' ? out : out.reverse()
  const dir = q.sortOrder === 'ASC' ? 1 : -1
  // Visited in ordinal order, so an index tie-break is the ordinal tie-break.
  const index = Array.from(ordinals, (_, i) => i)
  if (texts.size === 0) index.sort((a, b) => dir * (keys[a]! - keys[b]!) || a - b)
  else {
    const text = (i: number) => texts.get(i) ?? startKeyText(keys[i]!)
    index.sort((a, b) => {
      const ka = text(a)
      const kb = text(b)
      return ka < kb ? -dir : ka > kb ? dir : a - b
    })
  }
  for (let i = 0; i < index.length; i++) out[i] = ordinals[index[i]!]!
  return out
}

/**
 * The records of the `travel-requests` row as a company-token walk of the list with these query
 * values reads them: `view=ALL` (the default) of the whole company for the system user, in the
 * default order (startDate DESC); `userId`, views, date filters and sorting as the route applies them.
 *
 * @example
 * [...travelRequestRecords(state, company)].length
 */
export function travelRequestRecords(
  state: MockState,
  company: MockCompany,
  filters: Readonly<Record<string, string>> = {},
  origin = state.baseUrl(company.datacenter),
): RequestV4[] {
  const ds = datasetOf(state.options.seed, company)
  const q = parseListQuery((n) => (n === 'start' || n === 'limit' ? undefined : filters[n]))
  let actor: Actor = { kind: 'system' }
  if (filters.userId !== undefined) {
    const index = identityIndexOf(ds, filters.userId)
    if (index === undefined) return []
    actor = { kind: 'user', index }
  }
  if (q.view === 'TOAPPROVE' && actor.kind === 'system') return []
  return Array.from(selectRequests(state, company, actor, q), (o) =>
    requestSummary(ds, requestAt(state, company, o)!, origin),
  )
}

/** Facts and event type of a status change (the documented `public.concur.request` samples). */
function publishStatusChange(
  state: MockState,
  company: MockCompany,
  r: TravelRequest,
  action: RequestV4Action,
  actor: number,
  correlationId: string | undefined,
): void {
  const ds = datasetOf(state.options.seed, company)
  const step =
    action === 'submit'
      ? {
          eventType: 'statusChange.PENDING.RequestManager',
          status: 'PendingRequestManagerApproval',
          role: 'RequestManager',
          currentApprovalStatus: 'Q_PEND',
          stepCode: 'PENDMGRA',
        }
      : action === 'approve'
        ? {
            eventType: 'statusChange.APPROVED',
            status: 'APPROVED',
            role: '',
            currentApprovalStatus: '',
            stepCode: 'REQAPPR',
          }
        : action === 'sendback'
          ? {
              eventType: 'statusChange.SENTBACK',
              status: 'SENTBACK',
              role: '',
              currentApprovalStatus: '',
              stepCode: '',
            }
          : action === 'cancel'
            ? {
                eventType: 'statusChange.CANCELED',
                status: 'CANCELED',
                role: '',
                currentApprovalStatus: '',
                stepCode: '',
              }
            : undefined
  if (!step) return
  const { eventType, ...rest } = step
  publishEvent(state, {
    companyId: company.id,
    topic: TOPIC,
    eventType,
    ...(correlationId ? { correlationId } : {}),
    extra: { data: null, subtopic: null },
    facts: {
      companyId: company.id,
      isClosed: String(r.closed),
      isTest: String(isTestUser(r.owner)),
      isRecall: 'false',
      ...(action === 'submit' && r.approver !== null ? { recipientId: userOf(ds, r.approver).id } : {}),
      requestId: r.requestId,
      actingUserId: userOf(ds, actor).id,
      id: r.id,
      href: `${state.baseUrl(company.datacenter)}/travelrequest/v4/requests/${r.id}`,
      userId: userOf(ds, r.owner).id,
      entityId: `p${hashHex(ds.seed, company.id, 'entity').slice(0, 9)}`,
      policyId: r.policyId,
      ...rest,
      isPaymentCardRelated: 'false',
    },
  })
}

/**
 * Request v4 (`/travelrequest/v4`): travel requests of every user of the mock's companies, their
 * workflow, comments, cash advances, exceptions and expected expenses; status changes publish
 * `public.concur.request` events through the ESS store.
 *
 * @example
 * app.route('/', requestV4Routes(ctx))
 */
export function requestV4Routes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()
  const base = () => state.baseUrl(ctx.datacenter)

  app.onError((err, c) => {
    if (err instanceof MockConnectionReset) throw err
    let e: RequestV4HttpError
    if (err instanceof RequestV4HttpError) e = err
    else if (err instanceof ConcurHttpError && err.status < 500) {
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v)
      e = new RequestV4HttpError(
        err.status,
        requestV4ErrorCode(err.status) as RequestV4ErrorCode,
        err.concurMessage,
      )
    } else e = new RequestV4HttpError(500, 'internalServerError', 'Internal Server Error')
    return answerFamilyError(c, 'request-v4', e.status, {
      code: e.code,
      message: e.message,
      nowMs: state.clock.now(),
    })
  })

  const token = requireToken(ctx)
  app.use('/travelrequest/v4/*', async (c, next) => {
    const id = requestHeader(c, 'concur-correlationid')
    if (id !== undefined && !UUID.test(id))
      throw new RequestV4HttpError(400, 'invalidUuid', 'concur-correlationid must be a UUID')
    await next()
  })
  app.use('/travelrequest/v4/*', token)

  const who = (c: Context<MockEnv>, write: boolean, action?: string, self = false) => {
    const principal = c.get('principal')
    requireScope(principal, action)
    const ds = datasetOf(state.options.seed, principal.company)
    return { company: principal.company, ds, actor: actorOf(c, ds, write, self) }
  }
  const requestOf = (company: MockCompany, id: string) => {
    if (!REQUEST_ID.test(id)) throw new RequestV4HttpError(400, 'invalidUuid', `'${id}' is not a request id`)
    const r = findRequest(state, company, id.toUpperCase())
    if (!r) throw new RequestV4HttpError(404, 'notFound', `No request with id '${id}'`)
    return r
  }
  const readJson = async <T extends z.ZodType>(c: Context<MockEnv>, schema: T, optional = false) => {
    const text = await c.req.text()
    if (optional && text.trim() === '') return schema.parse({}) as z.infer<T>
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new RequestV4HttpError(400, 'invalidJson', 'The request body is not valid JSON')
    }
    return parseBody(schema, body)
  }
  const readCreate = async <T extends z.ZodType>(c: Context<MockEnv>, schema: T) => {
    const text = await c.req.text()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new RequestV4HttpError(400, 'invalidJson', 'The request body is not valid JSON')
    }
    if (body !== null && typeof body === 'object' && 'id' in body)
      throw new RequestV4HttpError(400, 'idNotAllowed', 'id must not be sent when creating')
    return parseBody(schema, body)
  }
  const correlation = (c: Context<MockEnv>) => requestHeader(c, 'concur-correlationid')
  const touch = (r: TravelRequest) => {
    r.lastModifiedMs = Math.max(state.clock.now(), r.lastModifiedMs + 1)
  }

  // ---- requests -----------------------------------------------------------------------------

  app.get('/travelrequest/v4/requests', (c) => {
    const { company, ds, actor } = who(c, false, undefined, c.req.query('view') === 'TOAPPROVE')
    const q = parseListQuery((n) => c.req.query(n))
    if (q.view === 'TOAPPROVE' && actor.kind === 'system')
      throw new RequestV4HttpError(
        400,
        'missingRequiredParam',
        'view=TOAPPROVE needs userId with a company token',
      )
    if (q.view.startsWith('PROPOSAL') || q.view === 'PENDINGPROPOSAL')
      throw new RequestV4HttpError(
        403,
        'permissionDenied',
        `view=${q.view} needs the userId of a travel agent (TMC)`,
      )
    const rows = selectRequests(state, company, actor, q)
    const page = Array.from(rows.subarray(q.start, q.start + q.limit), (o) =>
      requestSummary(ds, requestAt(state, company, o)!, base()),
    )
    const href = (start: number) => {
      const u = new URL(`${base()}/travelrequest/v4/requests`)
      for (const [k, v] of new URL(c.req.url).searchParams)
        if (k !== 'start' && k !== 'limit') u.searchParams.append(k, v)
      if (!u.searchParams.has('view')) u.searchParams.set('view', q.view)
      u.searchParams.set('limit', String(q.limit))
      u.searchParams.set('start', String(start))
      return u.toString()
    }
    const last = rows.length === 0 ? 0 : Math.floor((rows.length - 1) / q.limit) * q.limit
    const operations = [
      ...(q.start + q.limit < rows.length ? [{ rel: 'next', href: href(q.start + q.limit) }] : []),
      ...(q.start > 0 ? [{ rel: 'prev', href: href(Math.max(0, q.start - q.limit)) }] : []),
      { rel: 'first', href: href(0) },
      { rel: 'last', href: href(last) },
    ]
    return c.json({ data: page, operations }, 200)
  })

  app.post('/travelrequest/v4/requests', async (c) => {
    const { company, ds, actor } = who(c, true)
    const body = await readCreate(c, RequestV4Create)
    if (body.endDate < body.startDate) throw bad('endDate must not be before startDate')
    if (actor.kind !== 'user') throw new RequestV4HttpError(400, 'missingRequiredParam', 'userId is required')
    const ids = newRequestIds(state, company)
    const now = state.clock.now()
    const r: TravelRequest = {
      ...ids,
      owner: actor.index,
      approver: approverOf(ds, actor.index),
      ...writable(body),
      policyId: body.policy?.id ?? policyIdOf(ds),
      ...(body.travelAgency ? { travelAgencyId: body.travelAgency.id } : {}),
      status: 'NOT_SUBMITTED',
      closed: false,
      canceledPostApproval: false,
      everSentBack: false,
      creationMs: now,
      lastModifiedMs: now,
      currency: currencyOf(ds),
      comments: body.comment ? [{ author: actor.index, atMs: now, value: body.comment }] : [],
      expenses: [],
      nextExpense: 0,
      cashAdvances: [],
      exceptions: [],
    }
    addCreated(state, company, r)
    return c.json(requestDetails(ds, r, base(), actor), 201)
  })

  const readable = (c: Context<MockEnv>) => {
    const { company, ds, actor } = who(c, false)
    const r = requestOf(company, c.req.param('requestUuid') ?? '')
    mayRead(r, actor)
    return { company, ds, actor, r }
  }

  app.get('/travelrequest/v4/requests/:requestUuid', (c) => {
    const { ds, actor, r } = readable(c)
    return c.json(requestDetails(ds, r, base(), actor), 200)
  })

  app.put('/travelrequest/v4/requests/:requestUuid', async (c) => {
    const { company, ds, actor } = who(c, true)
    const found = requestOf(company, c.req.param('requestUuid'))
    mustOwn(found, actor)
    mustBeEditable(found)
    const body = await readJson(c, RequestV4Update)
    if (body.id !== undefined && body.id.toUpperCase() !== found.id)
      throw bad('the body id does not match the request in the path')
    if (body.endDate < body.startDate) throw bad('endDate must not be before startDate')
    const r = editable(found)
    const fields = writable(body)
    for (const k of ['businessPurpose', 'comment', 'startTime', 'endTime', 'mainDestination'] as const)
      delete r[k]
    Object.assign(r, fields)
    if (body.policy) r.policyId = body.policy.id
    if (body.travelAgency) r.travelAgencyId = body.travelAgency.id
    if (body.comment && body.comment !== found.comment)
      r.comments.push({ author: r.owner, atMs: state.clock.now(), value: body.comment })
    touch(r)
    saveRequest(state, company, r, r.id)
    return c.json(requestDetails(ds, r, base(), actor), 200)
  })

  app.delete('/travelrequest/v4/requests/:requestUuid', (c) => {
    const { company, actor } = who(c, true)
    const r = requestOf(company, c.req.param('requestUuid'))
    mustOwn(r, actor)
    if (r.status !== 'NOT_SUBMITTED')
      throw new RequestV4HttpError(
        409,
        'invalidStatus',
        `A request in status ${r.status} cannot be deleted; cancel it`,
      )
    saveRequest(state, company, null, r.id)
    return c.json(true, 200)
  })

  app.get('/travelrequest/v4/requests/:requestUuid/comments', (c) => {
    const { ds, r } = readable(c)
    return c.json(commentsWire(ds, r.comments), 200)
  })

  app.get('/travelrequest/v4/requests/:requestUuid/cashadvances', (c) => {
    const { r } = readable(c)
    return c.json(
      r.cashAdvances.map((ca) => ({
        href: `${base()}/travelrequest/v4/cashadvances/${ca.id}`,
        id: ca.id,
        template: `${base()}/travelrequest/v4/cashadvances/{id}`,
      })),
      200,
    )
  })

  app.get('/travelrequest/v4/requests/:requestUuid/exceptions', (c) => {
    const { r } = readable(c)
    return c.json(exceptionsWire(r, base()), 200)
  })

  app.get('/travelrequest/v4/requests/:requestUuid/expenses', (c) => {
    const { r } = readable(c)
    return c.json(
      r.expenses.map((e) => expenseWire(r, e, base())),
      200,
    )
  })

  app.post('/travelrequest/v4/requests/:requestUuid/expenses', async (c) => {
    const { company, actor } = who(c, true)
    const found = requestOf(company, c.req.param('requestUuid'))
    mustOwn(found, actor)
    mustBeEditable(found)
    const body = await readCreate(c, RequestV4ExpectedExpenseWrite)
    const ds = datasetOf(state.options.seed, company)
    const r = editable(found)
    const expense: StoredExpense = {
      id: childIdOf(ds, 'expense', r.ordinal, r.nextExpense),
      ...expenseFields(body, r.currency),
      comments: [],
    }
    r.nextExpense++
    r.expenses.push(expense)
    touch(r)
    saveRequest(state, company, r, r.id)
    return c.json(expenseWire(r, expense, base()), 201)
  })

  app.post('/travelrequest/v4/requests/:requestUuid/:action', async (c) => {
    const action = RequestV4Action.safeParse(c.req.param('action'))
    if (!action.success)
      throw new RequestV4HttpError(404, 'notFound', `No workflow action '${c.req.param('action')}'`)
    const { company, ds, actor } = who(c, true, action.data)
    const found = requestOf(company, c.req.param('requestUuid'))
    const { comment } = await readJson(c, RequestV4ActionBody, true)
    if (actor.kind !== 'user') throw new RequestV4HttpError(400, 'missingRequiredParam', 'userId is required')
    const approverAction = action.data === 'approve' || action.data === 'sendback'
    if (approverAction ? found.approver !== actor.index : found.owner !== actor.index)
      throw new RequestV4HttpError(
        403,
        'permissionDenied',
        approverAction ? 'Only the request approver may do this' : 'Only the request owner may do this',
      )
    if (action.data === 'submit' && found.approver === null)
      throw new RequestV4HttpError(409, 'NO_APPROVER', 'No approver is assigned to this request')
    if (!availableActions(found, actor).includes(action.data))
      throw new RequestV4HttpError(
        409,
        'invalidStatus',
        `The action '${action.data}' is not available for a request in status ${found.status}${found.closed ? ' (closed)' : ''}`,
      )
    const r = editable(found)
    const now = state.clock.now()
    switch (action.data) {
      case 'submit':
        r.status = 'SUBMITTED'
        r.submitMs = now
        break
      case 'recall':
        r.status = 'NOT_SUBMITTED'
        delete r.submitMs
        break
      case 'cancel':
        r.canceledPostApproval = r.status === 'APPROVED'
        r.status = 'CANCELED'
        break
      case 'close':
        r.closed = true
        break
      case 'reopen':
        r.closed = false
        break
      case 'approve':
        r.status = 'APPROVED'
        r.authorizedMs = now
        break
      case 'sendback':
        r.status = 'SENTBACK'
        r.everSentBack = true
        break
    }
    if (comment) r.comments.push({ author: actor.index, atMs: now, value: comment })
    touch(r)
    saveRequest(state, company, r, r.id)
    publishStatusChange(state, company, r, action.data, actor.index, correlation(c))
    return c.json(requestDetails(ds, r, base(), actor), 200)
  })

  // ---- expected expenses, cash advances -----------------------------------------------------

  const expenseOf = (company: MockCompany, id: string) => {
    if (!REQUEST_ID.test(id)) throw new RequestV4HttpError(400, 'invalidUuid', `'${id}' is not an expense id`)
    const found = findExpense(state, company, id.toUpperCase())
    if (!found) throw new RequestV4HttpError(404, 'notFound', `No expected expense with id '${id}'`)
    return found
  }

  app.get('/travelrequest/v4/expenses/:expenseUuid', (c) => {
    const { company, actor } = who(c, false)
    const { request, expense } = expenseOf(company, c.req.param('expenseUuid'))
    mayRead(request, actor)
    return c.json(expenseWire(request, expense, base()), 200)
  })

  app.get('/travelrequest/v4/expenses/:expenseUuid/comments', (c) => {
    const { company, ds, actor } = who(c, false)
    const { request, expense } = expenseOf(company, c.req.param('expenseUuid'))
    mayRead(request, actor)
    return c.json(commentsWire(ds, expense.comments), 200)
  })

  app.put('/travelrequest/v4/expenses/:expenseUuid', async (c) => {
    const { company, actor } = who(c, true)
    const { request, expense } = expenseOf(company, c.req.param('expenseUuid'))
    mustOwn(request, actor)
    mustBeEditable(request)
    const body = await readJson(c, RequestV4ExpectedExpenseWrite)
    if (body.id !== undefined && body.id.toUpperCase() !== expense.id)
      throw bad('the body id does not match the expense in the path')
    const r = editable(request)
    const i = r.expenses.findIndex((e) => e.id === expense.id)
    const updated: StoredExpense = {
      id: expense.id,
      ...expenseFields(body, r.currency),
      comments: expense.comments,
    }
    r.expenses[i] = updated
    touch(r)
    saveRequest(state, company, r, r.id)
    return c.json(expenseWire(r, updated, base()), 200)
  })

  app.delete('/travelrequest/v4/expenses/:expenseUuid', (c) => {
    const { company, actor } = who(c, true)
    const { request, expense } = expenseOf(company, c.req.param('expenseUuid'))
    mustOwn(request, actor)
    mustBeEditable(request)
    const r = editable(request)
    r.expenses = r.expenses.filter((e) => e.id !== expense.id)
    touch(r)
    saveRequest(state, company, r, r.id)
    return c.json(true, 200)
  })

  app.get('/travelrequest/v4/cashadvances/:cashAdvanceUuid', (c) => {
    const { company, actor } = who(c, false)
    const id = c.req.param('cashAdvanceUuid')
    if (!REQUEST_ID.test(id))
      throw new RequestV4HttpError(400, 'invalidUuid', `'${id}' is not a cash advance id`)
    const found = findCashAdvance(state, company, id.toUpperCase())
    if (!found) throw new RequestV4HttpError(404, 'notFound', `No cash advance with id '${id}'`)
    mayRead(found.request, actor)
    return c.json(cashAdvanceWire(found.request, found.cashAdvance), 200)
  })

  app.get('/travelrequest/v4/userpolicies', (c) => {
    const { ds } = who(c, false)
    return c.json([{ id: policyIdOf(ds), name: 'Travel Request Policy', allowParticipants: false }], 200)
  })

  app.get('/travelrequest/v4/travelagencies/:agencyUuid', (c) => {
    const { company, ds } = who(c, false)
    const id = c.req.param('agencyUuid').toUpperCase()
    if (!REQUEST_ID.test(id)) throw new RequestV4HttpError(400, 'invalidUuid', `'${id}' is not an agency id`)
    // Seeded requests name the company's agency; only stored (changed, created) ones may name another.
    const known = id === agencyIdOf(ds) || storedRequests(state, company).some((r) => r.travelAgencyId === id)
    if (!known) throw new RequestV4HttpError(404, 'notFound', `No travel agency with id '${id}'`)
    return c.json(
      { id, name: `${company.name} Travel Office`, emailAddress: `travel@${company.domain}` },
      200,
    )
  })

  app.all('/travelrequest/v4/*', () => {
    throw new RequestV4HttpError(404, 'notFound', 'Not Found')
  })
  return app
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body)
  if (r.success) return r.data
  const first = r.error.issues[0]!
  const where = first.path.join('.') || 'body'
  throw new RequestV4HttpError(400, 'badParam', `${where}: ${first.message}`)
}

/** The request fields a create or update sets. */
function writable(body: RequestV4Create) {
  const custom: TravelRequest['custom'] = {}
  for (let i = 1; i <= 20; i++) {
    const f = (body as unknown as Record<string, { value: string; code?: string } | undefined>)[`custom${i}`]
    if (f) custom[`custom${i}`] = { ...(f.code === undefined ? {} : { code: f.code }), value: f.value }
  }
  return {
    name: body.name,
    ...(body.businessPurpose === undefined ? {} : { businessPurpose: body.businessPurpose }),
    ...(body.comment === undefined ? {} : { comment: body.comment }),
    startDate: body.startDate,
    endDate: body.endDate,
    ...(body.startTime === undefined ? {} : { startTime: body.startTime }),
    ...(body.endTime === undefined ? {} : { endTime: body.endTime }),
    custom,
    ...(body.mainDestination === undefined ? {} : { mainDestination: { ...body.mainDestination } }),
  }
}

/** The stored fields of an expected expense from a POST/PUT body (other documented fields kept as sent). */
function expenseFields(body: z.infer<typeof RequestV4ExpectedExpenseWrite>, currency: string) {
  const {
    id: _id,
    expenseType,
    transactionDate,
    transactionAmount,
    businessPurpose,
    location,
    href: _href,
    parentRequest: _parent,
    allocations: _allocations,
    approvedAmount: _approved,
    postedAmount: _posted,
    remainingAmount: _remaining,
    exchangeRate: _rate,
    ...extra
  } = body as Record<string, unknown> & z.infer<typeof RequestV4ExpectedExpenseWrite>
  if (transactionAmount.currency !== currency)
    throw bad(`transactionAmount.currency must be the request currency ${currency}`)
  return {
    typeId: expenseType.id,
    typeName: expenseType.name ?? expenseType.id,
    date: transactionDate.slice(0, 10),
    amount: transactionAmount.value,
    currency,
    ...(businessPurpose === undefined ? {} : { businessPurpose }),
    ...(location === undefined ? {} : { location: { ...location } }),
    extra,
  }
}

/**
 * Request v4 as a registry row provider: every `/travelrequest/v4` route, and the `travel-requests`
 * records (the manifest's count and checksum).
 */
export const requestV4Provider: RowProvider = {
  names: ['travel-requests'],
  routes: requestV4Routes,
  records: ({ state, company, filters, origin }) => travelRequestRecords(state, company, filters, origin),
}
