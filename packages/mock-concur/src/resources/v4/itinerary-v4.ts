import {
  ITINERARY_V4_HISTORY_MONTHS,
  ITINERARY_V4_PAGE_SIZE,
  ITINERARY_V4_RATE_LIMIT,
  ITINERARY_V4_RATE_WINDOW_SECONDS,
  ITINERARY_V4_SCOPE,
} from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import type { MockCompany } from '../../companies.js'
import type { DcContext, MockEnv } from '../../context.js'
import { DAY_MS } from '../../dataset/legacy/common.js'
import { tripCore, tripsKey } from '../../dataset/legacy/trips.js'
import { MockConnectionReset } from '../../faults.js'
import { ConcurHttpError } from '../../http/errors.js'
import { requireToken } from '../../oauth/guard.js'
import type { Principal } from '../../principal.js'
import type { MockState } from '../../state.js'
import type { RowProvider } from '../row-provider.js'
import { datasetToday, monthsBefore, parseDay } from './dataset-today.js'
import { itineraryV4, tripCores, tripV4Id, tripV4IndexOf } from './itinerary-v4-data.js'

/** An error answered with Itinerary v4's `ErrorAPIResponse` `{errors:[{errorCode, errorMessage}]}`. */
export class ItineraryV4HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 500 | 503,
    readonly errorCode: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

const bad = (message: string) => new ItineraryV4HttpError(400, 'invalidRequest', message)

/** Requests counted against a company's limit (mock-clock ms), by company id; cleared by reset. */
interface RateStore {
  readonly calls: Map<string, number[]>
  reset(): void
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * The end-date window of a trip list: `endDateFrom` (default and floor: six months before the
 * dataset's day) to `endDateTo` (inclusive), both `yyyy-MM-dd`. Throws the 400 Concur answers.
 */
export function windowOf(state: MockState, q: URLSearchParams): { from: number; to: number | undefined } {
  const today = Math.floor(datasetToday(state) / DAY_MS) * DAY_MS
  const oldest = monthsBefore(today, ITINERARY_V4_HISTORY_MONTHS)
  const date = (name: string) => {
    const v = q.get(name)
    if (v === null) return undefined
    const t = parseDay(v)
    if (t === undefined) throw bad(`${name} must be a date in the format 2023-01-02`)
    return t
  }
  const from = date('endDateFrom') ?? oldest
  if (from < oldest)
    throw bad(`endDateFrom cannot be older than ${ITINERARY_V4_HISTORY_MONTHS} months (${day(oldest)})`)
  const to = date('endDateTo')
  if (to !== undefined && to < from) throw bad('endDateTo must not be before endDateFrom')
  return { from, to }
}

/**
 * The `{id, href}` of every trip of the company in the window, in id order — what a walk of
 * `GET /travel/v4/trips` yields (the `itineraries` row's records).
 *
 * @example
 * [...itineraryV4TripIds(state, company, 'http://127.0.0.1:4010', new URLSearchParams())].length
 */
export function* itineraryV4TripIds(
  state: MockState,
  company: MockCompany,
  origin: string,
  q: URLSearchParams,
): Generator<{ id: string; href: string }> {
  const { from, to } = windowOf(state, q)
  for (const core of tripCores(state.options.seed, company)) {
    if (core.endMs < from || (to !== undefined && core.endMs >= to + DAY_MS)) continue
    const id = tripV4Id(state.options.seed, company.id, core.index)
    yield { id, href: `${origin}/travel/v4/trips/${id}` }
  }
}

/** Itinerary v4 as a row provider: the routes and the `itineraries` row's records. */
export const itineraryV4Provider: RowProvider = {
  names: ['itineraries'],
  routes: (ctx) => itineraryV4Routes(ctx),
  records: ({ state, company, origin, filters }) =>
    itineraryV4TripIds(state, company, origin, new URLSearchParams({ ...filters })),
}

/**
 * Itinerary v4 (`/travel/v4`, concur-api-v4 §9.5): the company's trip ids, ten a page with an
 * `operations` next link, six months of history, 10 list requests a minute per company on the
 * mock's clock (503 + `Retry-After` beyond), and one trip by id — the same trips Trips v1.1 serves.
 * Company tokens only.
 *
 * @example
 * app.route('/', itineraryV4Routes(ctx))
 */
export function itineraryV4Routes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()
  const seed = () => state.options.seed
  const rates = (): RateStore =>
    state.store('itinerary-v4-rate', () => {
      const calls = new Map<string, number[]>()
      return { calls, reset: () => calls.clear() }
    })

  app.onError((err, c) => {
    if (err instanceof MockConnectionReset) throw err
    let e: ItineraryV4HttpError
    if (err instanceof ItineraryV4HttpError) e = err
    else if (err instanceof ConcurHttpError && err.status < 500) {
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v)
      const status = err.status as 400 | 401 | 403 | 404
      e = new ItineraryV4HttpError(
        status,
        status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : 'invalidRequest',
        err.concurMessage,
      )
    } else e = new ItineraryV4HttpError(500, 'internalServerError', 'Internal Server Error')
    for (const [k, v] of Object.entries(e.headers)) c.header(k, v)
    return c.json({ errors: [{ errorCode: e.errorCode, errorMessage: e.message }] }, e.status)
  })

  const guard = requireToken(ctx)
  const companyOnly = (c: Context<MockEnv>): Principal => {
    const p = c.get('principal')
    const s = p.scopes as ReadonlySet<string>
    if (!s.has(ITINERARY_V4_SCOPE) && !s.has('ITINER'))
      throw new ItineraryV4HttpError(
        403,
        'forbidden',
        `The access token lacks the ${ITINERARY_V4_SCOPE} scope`,
      )
    if (p.type !== 'company')
      throw new ItineraryV4HttpError(403, 'forbidden', 'Itinerary v4 requires a company access token')
    return p
  }

  /** The sliding one-minute window: at most 10 counted requests; a refused request is not counted. */
  const takeToken = (companyId: string) => {
    const now = state.clock.now()
    const windowMs = ITINERARY_V4_RATE_WINDOW_SECONDS * 1000
    const calls = (rates().calls.get(companyId) ?? []).filter((t) => t > now - windowMs)
    if (calls.length >= ITINERARY_V4_RATE_LIMIT) {
      const wait = Math.max(1, Math.ceil((calls[0]! + windowMs - now) / 1000))
      rates().calls.set(companyId, calls)
      throw new ItineraryV4HttpError(
        503,
        'rateLimitExceeded',
        `Rate limit of ${ITINERARY_V4_RATE_LIMIT} requests per minute exceeded; retry after ${wait} seconds`,
        { 'retry-after': String(wait) },
      )
    }
    calls.push(now)
    rates().calls.set(companyId, calls)
  }

  app.get('/travel/v4/trips', guard, (c) => {
    const p = companyOnly(c)
    const url = new URL(c.req.url)
    const q = url.searchParams
    for (const k of q.keys())
      if (!['schema', 'endDateFrom', 'endDateTo', 'startAfter'].includes(k))
        throw bad(`Unknown parameter ${k}`)
    takeToken(p.company.id)
    const schema = q.get('schema')
    if (schema !== null && schema !== 'id') throw bad('schema: the supported value is id')
    const { from, to } = windowOf(state, q)
    let startIndex = 0
    const after = q.get('startAfter')
    if (after !== null) {
      const m = /^\d+-([0-9a-f]{32})$/i.exec(after)
      const hex = m?.[1]
      const id = hex
        ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
        : ''
      const index = tripV4IndexOf(seed(), p.company, id)
      if (index === undefined) throw bad('startAfter is not a valid position')
      startIndex = index + 1
    }
    const origin = url.origin
    const data: { id: string; href: string }[] = []
    let last: { id: string; endMs: number } | undefined
    let more = false
    for (const core of tripCores(seed(), p.company, startIndex)) {
      if (core.endMs < from || (to !== undefined && core.endMs >= to + DAY_MS)) continue
      if (data.length === ITINERARY_V4_PAGE_SIZE) {
        more = true
        break
      }
      const id = tripV4Id(seed(), p.company.id, core.index)
      data.push({ id, href: `${origin}/travel/v4/trips/${id}` })
      last = { id, endMs: core.endMs }
    }
    const operations: { rel: string; href: string }[] = []
    if (more && last) {
      const next = new URL('/travel/v4/trips', origin)
      next.searchParams.set('schema', 'id')
      next.searchParams.set('endDateFrom', day(from))
      if (to !== undefined) next.searchParams.set('endDateTo', day(to))
      next.searchParams.set('startAfter', `${Math.floor(last.endMs / 1000)}-${last.id.replace(/-/g, '')}`)
      operations.push({ rel: 'next', href: next.toString() })
    }
    return c.json({ data, operations }, 200)
  })

  app.get('/travel/v4/trips/:tripId', guard, (c) => {
    const p = companyOnly(c)
    const index = tripV4IndexOf(seed(), p.company, c.req.param('tripId'))
    if (index === undefined) throw new ItineraryV4HttpError(404, 'notFound', 'Trip ID Not Found')
    const core = tripCore(tripsKey(seed(), p.company), p.company, index)
    return c.json(itineraryV4(seed(), p.company, core, new URL(c.req.url).origin), 200)
  })

  app.all('/travel/v4/*', () => {
    throw new ItineraryV4HttpError(404, 'notFound', 'Not Found')
  })
  return app
}
