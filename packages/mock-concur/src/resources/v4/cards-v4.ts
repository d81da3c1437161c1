import {
  CARDS_V4_BULK_MAX,
  CARDS_V4_HISTORY_MONTHS,
  CARDS_V4_MAX_PAGE_SIZE,
  CARDS_V4_ORDERS,
  CARDS_V4_SORTS,
  CARDS_V4_STATUSES,
  CardsV4AccountsBulk,
  type CardsV4Scope,
  type CardsV4Transaction,
  CardsV4TransactionsBulk,
} from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import type { z } from 'zod'
import type { DcContext, MockEnv } from '../../context.js'
import { MockConnectionReset } from '../../faults.js'
import { ConcurHttpError } from '../../http/errors.js'
import { requestHeader } from '../../http/headers.js'
import { requireToken } from '../../oauth/guard.js'
import type { Principal } from '../../principal.js'
import { hashHex } from '../../util/hash.js'
import { randomUUID } from '../../util/web-crypto.js'
import type { RowProvider } from '../row-provider.js'
import {
  acceptAccounts,
  acceptTransactions,
  bulkRequestOf,
  cardsV4TransactionsFor,
} from './cards-v4-store.js'
import { datasetToday, monthsBefore, parseDay } from './dataset-today.js'

/** One entry of the Cards v4 error array. */
interface CardsErrorEntry {
  errorCode: string
  errorMessage: string
  dataPath?: string
  errors?: { errorCode: string; errorMessage: string; dataPath?: string }[]
}

/** An error answered with the Cards v4 error body: an array of `ErrorResponseV4`. */
export class CardsV4HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 500,
    readonly entry: CardsErrorEntry,
  ) {
    super(entry.errorMessage)
  }
}

const invalidParam = (param: string, message: string) =>
  new CardsV4HttpError(400, { errorCode: 'invalidParameter', errorMessage: message, dataPath: param })

/** Connect scopes that stand for a Cards v4 scope on the mock's tokens (`CCARD` for all of them). */
function requireScope(p: Principal, scope: CardsV4Scope): void {
  const s = p.scopes as ReadonlySet<string>
  if (s.has(scope) || s.has('CCARD')) return
  throw new CardsV4HttpError(403, {
    errorCode: 'forbidden',
    errorMessage: `The access token lacks the ${scope} scope`,
  })
}

/** The page token: the offset of the next record plus a fingerprint of the query it belongs to. */
const tokenOf = (offset: number, fingerprint: string) =>
  Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url')
function offsetOf(token: string, fingerprint: string): number {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; f?: unknown }
    if (Number.isSafeInteger(t.o) && (t.o as number) > 0 && t.f === fingerprint) return t.o as number
  } catch {
    // falls through to the error below
  }
  throw invalidParam('pageToken', 'pageToken is invalid or belongs to another query')
}

const ALLOWED_PARAMS = [
  'status',
  'transactionDateFrom',
  'transactionDateTo',
  'pageSize',
  'pageToken',
  'sort',
  'order',
  'includeAddendumFor',
  'includeAddendumDetailsFor',
]

/** A zod issue as Cards v4 names it (`invalidEnum`, `missingRequiredField`, `invalidFieldSize` …). */
function detailOf(issue: z.core.$ZodIssue): { errorCode: string; errorMessage: string; dataPath: string } {
  const dataPath = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
  if (issue.code === 'invalid_value')
    return { errorCode: 'invalidEnum', errorMessage: 'Value is not one of the allowed values', dataPath }
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message))
    return { errorCode: 'missingRequiredField', errorMessage: 'Missing required field', dataPath }
  if ((issue.code === 'too_big' || issue.code === 'too_small') && issue.origin === 'string')
    return { errorCode: 'invalidFieldSize', errorMessage: 'Field size is out of bounds', dataPath }
  if ((issue.code === 'too_big' || issue.code === 'too_small') && issue.origin === 'array')
    return {
      errorCode: 'invalidFieldSize',
      errorMessage: `size must be between 1 and ${CARDS_V4_BULK_MAX}`,
      dataPath,
    }
  return { errorCode: 'invalidValue', errorMessage: issue.message, dataPath }
}

/**
 * Cards v4 (`/cards/v4`, concur-api-v4 §9.4): a user's card transactions (user JWT; token paging,
 * `sort`/`order`, `status`, the 24-month `transactionDateFrom` floor) on the same charges v1.1
 * `CardCharges` serves, and the company-JWT bulk writes (`accounts/bulk`, `transactions/bulk` →
 * 202 + a bulk request, `bulkrequests/{id}`). Every error is an array of `ErrorResponseV4`.
 *
 * @example
 * app.route('/', cardsV4Routes(ctx))
 */
export function cardsV4Routes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()
  app.onError((err, c) => {
    if (err instanceof MockConnectionReset) throw err
    let e: CardsV4HttpError
    if (err instanceof CardsV4HttpError) e = err
    else if (err instanceof ConcurHttpError && err.status < 500) {
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v)
      const status = err.status as 400 | 401 | 403 | 404
      e = new CardsV4HttpError(status, {
        errorCode: status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : 'invalidRequest',
        errorMessage: err.concurMessage,
      })
    } else
      e = new CardsV4HttpError(500, { errorCode: 'internalError', errorMessage: 'Internal server error' })
    return c.json([e.entry], e.status)
  })

  const guard = requireToken(ctx)

  app.get('/cards/v4/users/:userId/transactions', guard, (c) => {
    const p = c.get('principal')
    requireScope(p, 'cards.transaction.read')
    if (p.type !== 'user' || !p.user)
      throw new CardsV4HttpError(403, {
        errorCode: 'forbidden',
        errorMessage: 'A user access token is required to read card transactions',
      })
    if (c.req.param('userId').toLowerCase() !== p.user.id.toLowerCase())
      throw new CardsV4HttpError(403, {
        errorCode: 'forbidden',
        errorMessage: 'The userId does not match the user of the access token',
      })
    const url = new URL(c.req.url)
    const q = url.searchParams
    for (const k of q.keys()) if (!ALLOWED_PARAMS.includes(k)) throw invalidParam(k, `Unknown parameter ${k}`)
    const one = (name: string) => {
      const all = q.getAll(name)
      if (all.length > 1) throw invalidParam(name, `${name} may be given once`)
      return all[0]
    }
    const pick = <T extends string>(name: string, values: readonly T[], fallback: T | undefined) => {
      const v = one(name)
      if (v === undefined) return fallback
      const hit = values.find((x) => x.toLowerCase() === v.toLowerCase())
      if (!hit) throw invalidParam(name, `${name} must be one of ${values.join(', ')}`)
      return hit
    }
    const status = pick('status', CARDS_V4_STATUSES, undefined)
    const sort = pick<(typeof CARDS_V4_SORTS)[number]>('sort', CARDS_V4_SORTS, 'transactionDate')!
    const order = pick<(typeof CARDS_V4_ORDERS)[number]>('order', CARDS_V4_ORDERS, 'DESC')!
    const rawSize = one('pageSize')
    let pageSize = CARDS_V4_MAX_PAGE_SIZE
    if (rawSize !== undefined) {
      if (!/^\d{1,4}$/.test(rawSize) || Number(rawSize) < 1 || Number(rawSize) > CARDS_V4_MAX_PAGE_SIZE)
        throw invalidParam('pageSize', `pageSize must be between 1 and ${CARDS_V4_MAX_PAGE_SIZE}`)
      pageSize = Number(rawSize)
    }
    const floor = monthsBefore(datasetToday(state), CARDS_V4_HISTORY_MONTHS)
    const dateParam = (name: string) => {
      const v = one(name)
      if (v === undefined) return undefined
      const t = parseDay(v)
      if (t === undefined) throw invalidParam(name, `${name} must be a date (yyyy-MM-dd)`)
      return t
    }
    // Older than 24 months is read as the floor (Concur documents the floor, not an error).
    const from = Math.max(dateParam('transactionDateFrom') ?? floor, floor)
    const to = dateParam('transactionDateTo')
    if (to !== undefined && to < from)
      throw invalidParam('transactionDateTo', 'transactionDateTo must not be before transactionDateFrom')

    const key = (t: CardsV4Transaction) =>
      sort === 'lastModified' ? t.administrativeData.lastModified : t.transactionDate
    const all = cardsV4TransactionsFor(state, p.company, p.user.index)
      .filter((t) => status === undefined || t.administrativeData.status === status)
      .filter((t) => {
        const d = Date.parse(t.transactionDate)
        return d >= from && (to === undefined || d <= to)
      })
      .sort((a, b) => {
        const k = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
        return order === 'ASC' ? k : -k
      })
    const fingerprint = hashHex(p.user.id, status ?? '', sort, order, from, to ?? '', pageSize).slice(0, 16)
    const token = one('pageToken')
    const offset = token === undefined || token === '' ? 0 : offsetOf(token, fingerprint)
    const page = all.slice(offset, offset + pageSize)
    const next = offset + pageSize < all.length ? tokenOf(offset + pageSize, fingerprint) : null
    return c.json(
      {
        transactions: page,
        paging: {
          totalElements: all.length,
          nextPageToken: next,
          page: Math.floor(offset / pageSize) + 1,
          pageSize,
          totalPages: Math.ceil(all.length / pageSize),
        },
      },
      200,
    )
  })

  const companyOnly = (c: Context<MockEnv>, scope: CardsV4Scope) => {
    const p = c.get('principal')
    requireScope(p, scope)
    if (p.type !== 'company')
      throw new CardsV4HttpError(403, {
        errorCode: 'forbidden',
        errorMessage: 'A company access token is required',
      })
    if (c.req.param('companyId')?.toLowerCase() !== p.company.id.toLowerCase())
      throw new CardsV4HttpError(403, {
        errorCode: 'forbidden',
        errorMessage: 'The companyId does not match the company of the access token',
      })
    return p
  }

  const bulk =
    (
      type: 'POST_ACCOUNT' | 'POST_TRANSACTION',
      scope: CardsV4Scope,
      schema: typeof CardsV4AccountsBulk | typeof CardsV4TransactionsBulk,
      collection: 'accounts' | 'transactions',
    ) =>
    async (c: Context<MockEnv>) => {
      const p = companyOnly(c, scope)
      const path = new URL(c.req.url).pathname.replace(/^\/cards/, '')
      const ctype = (requestHeader(c, 'content-type') ?? '').toLowerCase()
      let body: unknown
      try {
        if (!ctype.includes('json')) throw new Error('not json')
        body = await c.req.json()
      } catch {
        throw new CardsV4HttpError(400, {
          errorCode: 'invalidJson',
          errorMessage: 'The request body is not a valid JSON',
          dataPath: path,
        })
      }
      const parsed = schema.safeParse(body)
      if (!parsed.success)
        throw new CardsV4HttpError(400, {
          errorCode: 'invalidRequest',
          errorMessage: 'The request contains errors',
          dataPath: path,
          errors: parsed.error.issues.map(detailOf),
        })
      const items = (parsed.data as Record<string, unknown[]>)[collection]!
      const ids = new Set<string>()
      const dupes = items.flatMap((it, i) => {
        const id = String((it as { externalId: string }).externalId)
        if (ids.has(id))
          return [
            {
              errorCode: 'duplicateExternalId',
              errorMessage: 'externalId must be unique within the request',
              dataPath: `${collection}[${i}].externalId`,
            },
          ]
        ids.add(id)
        return []
      })
      if (dupes.length > 0)
        throw new CardsV4HttpError(400, {
          errorCode: 'invalidRequest',
          errorMessage: 'The request contains errors',
          dataPath: path,
          errors: dupes,
        })
      const requestId = randomUUID()
      if (type === 'POST_ACCOUNT')
        acceptAccounts(state, p.company, requestId, (parsed.data as CardsV4AccountsBulk).accounts)
      else
        acceptTransactions(state, p.company, requestId, (parsed.data as CardsV4TransactionsBulk).transactions)
      const origin = new URL(c.req.url).origin
      return c.json(
        {
          links: [
            { href: `${origin}/cards/v4/companies/${p.company.id}/bulkrequests/${requestId}`, rel: 'self' },
          ],
          requestId,
        },
        202,
      )
    }

  app.post(
    '/cards/v4/companies/:companyId/accounts/bulk',
    guard,
    bulk('POST_ACCOUNT', 'cards.account.writeonly', CardsV4AccountsBulk, 'accounts'),
  )
  app.post(
    '/cards/v4/companies/:companyId/transactions/bulk',
    guard,
    bulk('POST_TRANSACTION', 'cards.transaction.writeonly', CardsV4TransactionsBulk, 'transactions'),
  )

  app.get('/cards/v4/companies/:companyId/bulkrequests/:requestId', guard, (c) => {
    const p = companyOnly(c, 'cards.bulkrequest.read')
    const record = bulkRequestOf(state, p.company.id, c.req.param('requestId'))
    if (!record)
      throw new CardsV4HttpError(404, { errorCode: 'notFound', errorMessage: 'Bulk request not found' })
    return c.json(record, 200)
  })

  app.all('/cards/v4/*', () => {
    throw new CardsV4HttpError(404, { errorCode: 'notFound', errorMessage: 'Not Found' })
  })
  return app
}

/**
 * Cards v4 as a row provider: the routes, and the `card-transactions` records — of the user the
 * `user` filter names (login id), else of every user in index order, each user's as their walk yields them.
 */
export const cardsV4Provider: RowProvider = {
  names: ['card-transactions'],
  routes: (ctx) => cardsV4Routes(ctx),
  *records({ state, company, filters }) {
    const who = filters.user?.toLowerCase()
    for (let u = 0; u < company.userCount; u++) {
      if (who !== undefined && who !== 'all' && state.user(company, u)?.loginId.toLowerCase() !== who)
        continue
      const all = cardsV4TransactionsFor(state, company, u)
      const status = filters.status?.toUpperCase()
      const sort = filters.sort === 'lastModified' ? 'lastModified' : 'transactionDate'
      const asc = filters.order?.toUpperCase() === 'ASC'
      const floor = monthsBefore(datasetToday(state), CARDS_V4_HISTORY_MONTHS)
      yield* all
        .filter(
          (t) =>
            (status === undefined || t.administrativeData.status === status) &&
            Date.parse(t.transactionDate) >= floor,
        )
        .sort((a, b) => {
          const ka = sort === 'lastModified' ? a.administrativeData.lastModified : a.transactionDate
          const kb = sort === 'lastModified' ? b.administrativeData.lastModified : b.transactionDate
          const k = ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
          return asc ? k : -k
        })
    }
  },
}
