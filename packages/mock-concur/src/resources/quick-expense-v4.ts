import {
  getResource,
  QUICK_EXPENSE_CONTEXTS,
  QUICK_EXPENSE_MAX_IMAGE_BYTES,
  QUICK_EXPENSE_RATE_LIMIT,
  QuickExpenseRequest,
} from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { DcContext, MockEnv } from '../context.js'
import { type Dataset, datasetOf, userIndexOfLogin, userOf } from '../dataset/dataset.js'
import { paymentTypeId } from '../dataset/expense.js'
import { providerOf } from '../dataset/providers.js'
import { EXPENSE_TYPES } from '../dataset/tables.js'
import { MockConnectionReset } from '../faults.js'
import { ConcurHttpError } from '../http/errors.js'
import { requestHeader, requestPath } from '../http/headers.js'
import { requireToken } from '../oauth/guard.js'
import type { MockState } from '../state.js'
import { hashHex } from '../util/hash.js'
import { itemKeys, overlaysOf } from './engine.js'
import { IMAGE_TYPES } from './images.js'
import { userIndexOfUuid } from './receipts-v4-data.js'
import { adjustReportTotals, buildCreated, findRecord, nextCreatedId } from './writes.js'

/** A quick expense as stored: the request, who posted it, and the v3.0 entry it became once attached. */
export interface StoredQuickExpense {
  readonly id: string
  readonly companyId: string
  readonly user: number
  readonly createdMs: number
  readonly request: QuickExpenseRequest
  readonly image?: { readonly type: string; readonly data: Uint8Array }
  entryId?: string
}

/** Quick expenses by id, and each user's admitted requests of the last five minutes (mock clock, ms). */
class QuickExpenseStore {
  readonly byId = new Map<string, StoredQuickExpense>()
  readonly windows = new Map<string, number[]>()
  seq = 0
  reset(): void {
    this.byId.clear()
    this.windows.clear()
    this.seq = 0
  }
}

const storeOf = (state: MockState) => state.store('quick-expense-v4', () => new QuickExpenseStore())

/** An error answered with the Expense v4 `ErrorMessage` body. */
class QuickExpenseError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500,
    message: string,
    readonly validationErrors?: readonly { id: string; source: string; message: string }[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

const PAYMENT_TYPE_INDEX: Readonly<Record<string, number>> = { CASHX: 0, CPAID: 1, PENDC: 2 }

/**
 * Quick Expense v4 (`/quickexpense/v4`, concur-api-v4 §9.3): `POST …/users/{userID}/context/TRAVELER/quickexpenses`
 * (JSON) and `…/quickexpenses/image` (multipart `quickExpenseRequest` + `fileContent`) → 201
 * `{"quickExpenseIdUri"}`. 120 requests per 5 minutes per user on the mock clock, shared by both
 * endpoints; the 121st answers 429 with `Retry-After` (seconds until the oldest request leaves the
 * window). A quick expense is an available expense of its user until it is attached to one of the
 * user's unsubmitted reports (`POST /_mock/quick-expenses/{id}/attach`, what the user does in Concur's
 * UI); then it is a v3.0 expense entry of that report.
 *
 * @example
 * app.route('/', quickExpenseV4Routes(ctx))
 */
export function quickExpenseV4Routes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const api = new Hono<MockEnv>()
  const guard = requireToken(ctx)

  api.onError((err, c) => {
    if (err instanceof MockConnectionReset) throw err
    let e: QuickExpenseError
    if (err instanceof QuickExpenseError) e = err
    else if (err instanceof ConcurHttpError && err.status < 500) {
      e = new QuickExpenseError(err.status as 400, err.concurMessage, undefined, err.headers ?? {})
    } else e = new QuickExpenseError(500, 'Internal Server Error')
    for (const [k, v] of Object.entries(e.headers)) c.header(k, v)
    return c.json(
      {
        errorId: (c.get('correlationId') ?? '').toUpperCase(),
        errorMessage: e.message,
        httpStatus: String(e.status),
        path: requestPath(c),
        timestamp: new Date(state.clock.now()).toISOString(),
        ...(e.validationErrors ? { validationErrors: e.validationErrors } : {}),
      },
      e.status,
    )
  })

  /** The posting user: a user token's own (else 403), or any user of a company token's company (404 unknown). */
  const postingUser = (c: Context<MockEnv>, ds: Dataset): number => {
    const p = c.get('principal')
    const s = p.scopes as ReadonlySet<string>
    if (!s.has('quickexpense.writeonly') && !s.has('EXPRPT'))
      throw new QuickExpenseError(403, 'The access token lacks the quickexpense.writeonly scope')
    const userId = c.req.param('userID') ?? ''
    if (p.type === 'user') {
      if (p.user?.id !== userId)
        throw new QuickExpenseError(403, "User doesn't have appropriate roles to create quick expense")
      return p.user.index
    }
    const u = userIndexOfUuid(ds, userId)
    if (u === undefined) throw new QuickExpenseError(404, 'No user exists with this userID')
    return u
  }

  /** Admits one request of a user into the sliding window, or answers 429 with `Retry-After`. */
  const admit = (ds: Dataset, user: number) => {
    const { requests, windowSeconds } = QUICK_EXPENSE_RATE_LIMIT
    const now = state.clock.now()
    const key = `${ds.company.id}\u001f${user}`
    const windows = storeOf(state).windows
    const recent = (windows.get(key) ?? []).filter((t) => t > now - windowSeconds * 1000)
    windows.set(key, recent)
    if (recent.length >= requests) {
      const wait = Math.max(1, Math.ceil((recent[0]! + windowSeconds * 1000 - now) / 1000))
      throw new QuickExpenseError(
        429,
        `Rate limit exceeded: ${requests} requests per ${windowSeconds / 60} minutes per user`,
        undefined,
        { 'retry-after': String(wait) },
      )
    }
    recent.push(now)
  }

  const validate = (raw: unknown): QuickExpenseRequest => {
    const r = QuickExpenseRequest.safeParse(raw)
    if (!r.success) {
      throw new QuickExpenseError(
        400,
        'Bad Request',
        r.error.issues.map((i) => ({
          id: 'validation.error',
          source: i.path.join('.') || 'body',
          message: i.message,
        })),
      )
    }
    if (!(r.data.expenseTypeId in EXPENSE_TYPES))
      throw new QuickExpenseError(400, 'Bad Request', [
        {
          id: 'invalid.expense.type',
          source: 'expenseTypeId',
          message: `unknown expense type '${r.data.expenseTypeId}'`,
        },
      ])
    return r.data
  }

  const jsonOf = (text: string): unknown => {
    try {
      return JSON.parse(text)
    } catch {
      throw new QuickExpenseError(400, 'The request body is not valid JSON')
    }
  }

  const create = (
    c: Context<MockEnv>,
    ds: Dataset,
    user: number,
    request: QuickExpenseRequest,
    image?: StoredQuickExpense['image'],
  ) => {
    const store = storeOf(state)
    store.seq += 1
    const id = hashHex(ds.seed, ds.company.id, 'quick-expense', store.seq).slice(0, 32).toUpperCase()
    store.byId.set(id, {
      id,
      companyId: ds.company.id,
      user,
      createdMs: state.clock.now(),
      request,
      ...(image ? { image } : {}),
    })
    const base = new URL(c.req.url).origin
    return c.json(
      {
        quickExpenseIdUri: `${base}/quickexpense/v4/users/${c.req.param('userID')}/context/TRAVELER/quickexpenses/${id}`,
      },
      201,
    )
  }

  const start = (c: Context<MockEnv>) => {
    const ds = datasetOf(state.options.seed, c.get('principal').company)
    const user = postingUser(c, ds)
    const context = c.req.param('contextType') ?? ''
    if (!(QUICK_EXPENSE_CONTEXTS as readonly string[]).includes(context))
      throw new QuickExpenseError(400, `Unsupported contextType '${context}': use TRAVELER`)
    admit(ds, user)
    return { ds, user }
  }
  const contentType = (c: Context<MockEnv>) =>
    (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()

  const BASE = '/quickexpense/v4/users/:userID/context/:contextType/quickexpenses'

  api.post(BASE, guard, async (c) => {
    const { ds, user } = start(c)
    if (!contentType(c).includes('json'))
      throw new QuickExpenseError(415, 'Send the quick expense as application/json')
    return create(c, ds, user, validate(jsonOf(await c.req.text())))
  })

  api.post(`${BASE}/image`, guard, async (c) => {
    const { ds, user } = start(c)
    if (contentType(c) !== 'multipart/form-data')
      throw new QuickExpenseError(415, 'Send the quick expense as multipart/form-data')
    if (Number(requestHeader(c, 'content-length') ?? '0') > QUICK_EXPENSE_MAX_IMAGE_BYTES + 65_536)
      throw new QuickExpenseError(413, 'The image is larger than 50 MB')
    let form: Record<string, string | File>
    try {
      form = (await c.req.parseBody({ all: false })) as Record<string, string | File>
    } catch {
      throw new QuickExpenseError(400, 'The multipart body could not be read')
    }
    const part = form.quickExpenseRequest
    if (part === undefined)
      throw new QuickExpenseError(400, 'Bad Request', [
        {
          id: 'validation.error',
          source: 'quickExpenseRequest',
          message: 'the quickExpenseRequest part is required',
        },
      ])
    const request = validate(jsonOf(typeof part === 'string' ? part : await part.text()))
    const file = form.fileContent
    if (!(file instanceof File))
      throw new QuickExpenseError(400, 'Bad Request', [
        { id: 'validation.error', source: 'fileContent', message: 'an image file is required' },
      ])
    const type = file.type.split(';')[0]!.trim().toLowerCase()
    if (!IMAGE_TYPES.includes(type)) throw new QuickExpenseError(415, `Unsupported image type '${type}'`)
    const data = new Uint8Array(await file.arrayBuffer())
    if (data.length === 0) throw new QuickExpenseError(400, 'The image is empty')
    if (data.length > QUICK_EXPENSE_MAX_IMAGE_BYTES)
      throw new QuickExpenseError(413, 'The image is larger than 50 MB')
    return create(c, ds, user, request, { type, data })
  })

  const app = new Hono<MockEnv>()
  app.route('/', api)
  app.route('/', quickExpenseAdminRoutes(ctx))
  return app
}

const Attach = z.strictObject({ reportId: z.string().min(1) })

/**
 * The mock's view of a user's available expenses: `GET /_mock/quick-expenses?company=&user=<login>`
 * lists the quick expenses not yet on a report; `POST /_mock/quick-expenses/{id}/attach`
 * `{"reportId"}` adds one to an unsubmitted report of its user (what the user does in Concur), after
 * which it is a v3.0 expense entry of that report.
 */
function quickExpenseAdminRoutes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()
  const wire = (q: StoredQuickExpense) => ({
    id: q.id,
    userLoginId: userOf(datasetOf(state.options.seed, state.company(q.companyId)!), q.user).loginId,
    created: new Date(q.createdMs).toISOString(),
    hasImage: q.image !== undefined,
    request: q.request,
    ...(q.entryId ? { entryId: q.entryId } : {}),
  })

  app.get('/_mock/quick-expenses', (c) => {
    const company = c.req.query('company') ? state.company(c.req.query('company')!) : state.companies[0]
    if (!company) throw new ConcurHttpError(404, `no company '${c.req.query('company')}'`)
    const ds = datasetOf(state.options.seed, company)
    const login = c.req.query('user')
    const user = login === undefined ? undefined : userIndexOfLogin(ds, login)
    if (login !== undefined && user === undefined) throw new ConcurHttpError(404, `no user '${login}'`)
    const available = [...storeOf(state).byId.values()].filter(
      (q) => q.companyId === company.id && !q.entryId && (user === undefined || q.user === user),
    )
    return c.json({ available: available.map(wire) })
  })

  app.post('/_mock/quick-expenses/:id/attach', async (c) => {
    const q = storeOf(state).byId.get(c.req.param('id'))
    if (!q) throw new ConcurHttpError(404, `no quick expense '${c.req.param('id')}'`)
    if (q.entryId) throw new ConcurHttpError(409, `quick expense ${q.id} is already entry ${q.entryId}`)
    let raw: unknown
    try {
      raw = await c.req.json()
    } catch {
      throw new ConcurHttpError(400, 'body must be JSON')
    }
    const body = Attach.safeParse(raw)
    if (!body.success) throw new ConcurHttpError(400, z.prettifyError(body.error))
    const company = state.company(q.companyId)!
    const ds = datasetOf(state.options.seed, company)
    const overlays = overlaysOf(state)
    const report = findRecord(
      ds,
      providerOf('expense-reports')!,
      overlays.peek(company.id, 'expense-reports'),
      body.data.reportId,
    )
    if (!report) throw new ConcurHttpError(404, `no report '${body.data.reportId}'`)
    if (report.owner !== q.user)
      throw new ConcurHttpError(409, 'the report belongs to another user than the quick expense')
    if (!['A_NOTF', 'A_RESU'].includes(String(report.record.ApprovalStatusCode)))
      throw new ConcurHttpError(409, 'expenses can only be added to unsubmitted or returned reports')
    const r = q.request
    const payment = r.paymentTypeId === undefined ? undefined : PAYMENT_TYPE_INDEX[r.paymentTypeId]
    const fields: Record<string, unknown> = {
      ReportID: body.data.reportId,
      ExpenseTypeCode: r.expenseTypeId,
      TransactionAmount: r.transactionAmount.value,
      TransactionCurrencyCode: r.transactionAmount.currencyCode,
      TransactionDate: `${r.transactionDate}T00:00:00`,
      ...(r.comment === undefined ? {} : { Comment: r.comment }),
      ...(r.entryDetails === undefined ? {} : { Description: r.entryDetails }),
      ...(r.vendor === undefined ? {} : { VendorDescription: r.vendor }),
      ...(payment === undefined ? {} : { PaymentTypeID: paymentTypeId(ds, payment) }),
    }
    const overlay = overlays.of(company.id, 'expense-entries')
    const id = nextCreatedId(ds, providerOf('expense-entries')!, overlay)
    const keys = itemKeys(getResource('expense-entries').item)
    const now = state.clock.now()
    const rec = buildCreated(ds, overlays, 'expense-entries', keys, fields, q.user, id, now)
    overlay.add(rec)
    adjustReportTotals(ds, overlays, body.data.reportId, Number(rec.record?.TransactionAmount ?? 0), now)
    q.entryId = id
    return c.json({ id: q.id, entryId: id })
  })
  return app
}
