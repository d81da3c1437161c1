import { TRIP_BOOKING_TYPES, XSI_NAMESPACE } from '@concurkit/contract'
import type { Context } from 'hono'
import type { MockCompany } from '../../companies.js'
import { userAt } from '../../companies.js'
import type { DcContext, MockEnv } from '../../context.js'
import { DAY_MS, parseQueryDate, userIndexFromLogin } from '../../dataset/legacy/common.js'
import {
  itinerary,
  itineraryInfo,
  TRIP_KIND_BITS,
  type TripCore,
  tripCore,
  tripCount,
  tripIndexOf,
  tripsKey,
} from '../../dataset/legacy/trips.js'
import { ConcurHttpError } from '../../http/errors.js'
import type { Principal } from '../../principal.js'
import { boolParam, readQuery, xmlDocument, xmlResponse } from './http.js'
import { listParams, type XmlHandler, xmlRowOf } from './rows-kit.js'

/** The list's paging parameters (`paging.kind: 'trips'`), beyond the row's filters. */
const PAGING_PARAMS = ['includeMetadata', 'ItemsPerPage', 'Page'] as const

/** A trip selection: whose trips, which dates, which kinds; every bound optional. */
export interface TripSelection {
  /** Only this traveller's trips; `undefined` = every traveller. */
  readonly owner?: number
  readonly startMs?: number
  readonly endMs?: number
  readonly createdAfterMs?: number
  readonly createdBeforeMs?: number
  readonly modifiedAfterMs?: number
  readonly kindBit?: number
  readonly includeCanceled: boolean
  readonly includeVirtual: boolean
  readonly includeGuest: boolean
}

/** Whether a trip is in a selection (date windows as documented: trips overlapping start..end). */
export function tripMatches(t: TripCore, s: TripSelection): boolean {
  if (s.owner !== undefined && t.owner !== s.owner) return false
  if (s.startMs !== undefined && t.endMs < s.startMs) return false
  if (s.endMs !== undefined && t.startMs >= s.endMs + DAY_MS) return false
  if (s.createdAfterMs !== undefined && t.createdMs < s.createdAfterMs) return false
  if (s.createdBeforeMs !== undefined && t.createdMs >= s.createdBeforeMs + DAY_MS) return false
  if (s.modifiedAfterMs !== undefined && t.modifiedMs < s.modifiedAfterMs) return false
  if (s.kindBit !== undefined && (t.kinds & s.kindBit) === 0) return false
  if (!s.includeCanceled && t.canceled) return false
  if (!s.includeVirtual && t.virtual) return false
  if (!s.includeGuest && t.guest) return false
  return true
}

/**
 * Iterates the trips of a selection in canonical order (trip index). A traveller's trips are
 * `owner, owner + users, owner + 2·users, …`, so one traveller costs only their own trips.
 */
export function* selectTrips(seed: number, company: MockCompany, s: TripSelection): Generator<TripCore> {
  const key = tripsKey(seed, company)
  const total = tripCount(company)
  const start = s.owner ?? 0
  const step = s.owner === undefined ? 1 : company.userCount
  for (let i = start; i < total; i += step) {
    const t = tripCore(key, company, i)
    if (tripMatches(t, s)) yield t
  }
}

function dateParam(q: Map<string, string>, name: string): number | undefined {
  const v = q.get(name)
  if (v === undefined) return undefined
  const ms = parseQueryDate(v)
  if (ms === undefined) throw new ConcurHttpError(400, `Invalid date for ${name}: ${v}`)
  return ms
}

function intParam(q: Map<string, string>, name: string, min: number, max: number): number | undefined {
  const v = q.get(name)
  if (v === undefined) return undefined
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new ConcurHttpError(400, `Invalid value for ${name}: expected an integer ${min}..${max}`)
  return Number(v)
}

/** Resolves `userid_type`/`userid_value` against the caller's role. */
function ownerOf(p: Principal, q: Map<string, string>, ctx: DcContext): number | undefined {
  const type = q.get('userid_type')
  const value = q.get('userid_value')
  if (type !== undefined && type.toLowerCase() !== 'login')
    throw new ConcurHttpError(400, 'Invalid value for userid_type: expected login')
  if ((type === undefined) !== (value === undefined))
    throw new ConcurHttpError(400, 'userid_type and userid_value go together')
  if (value === undefined) {
    // The token owner's trips; a company token (no user) reads the whole company.
    return p.user?.index
  }
  if (value.toUpperCase() === 'ALL') {
    if (!p.isAdmin)
      throw new ConcurHttpError(403, 'Forbidden Request: userid_value=ALL requires an administrator')
    return undefined
  }
  const index = userIndexFromLogin(value)
  const user = index === undefined ? undefined : ctx.state.user(p.company, index)
  if (!user || user.loginId.toLowerCase() !== value.toLowerCase())
    throw new ConcurHttpError(400, `Invalid userid_value: no user ${value}`)
  if (!p.isAdmin && user.index !== p.user?.index)
    throw new ConcurHttpError(
      403,
      "Forbidden Request: reading another user's trips requires an administrator",
    )
  return user.index
}

/** Builds a selection from query parameters; `defaults` applies Concur's default date window. */
export function tripSelectionFrom(
  q: Map<string, string>,
  owner: number | undefined,
  defaults: { nowMs: number } | undefined,
): TripSelection {
  const bookingType = q.get('bookingType')
  let kindBit: number | undefined
  if (bookingType !== undefined) {
    const kind = TRIP_BOOKING_TYPES.find((k) => k.toLowerCase() === bookingType.toLowerCase())
    if (!kind) throw new ConcurHttpError(400, `Invalid bookingType: ${bookingType}`)
    kindBit = TRIP_KIND_BITS[kind]
  }
  const virtual = q.get('includeVirtualTrip')
  if (virtual !== undefined && virtual !== '0' && virtual !== '1' && !/^(true|false)$/i.test(virtual))
    throw new ConcurHttpError(400, 'Invalid value for includeVirtualTrip: expected 1 or 0')
  let startMs = dateParam(q, 'startDate')
  let endMs = dateParam(q, 'endDate')
  if (defaults) {
    const today = Math.floor(defaults.nowMs / DAY_MS) * DAY_MS
    if (startMs === undefined) startMs = today - 30 * DAY_MS
    if (endMs === undefined) {
      const d = new Date(today)
      d.setUTCMonth(d.getUTCMonth() + 12)
      endMs = d.getTime()
    }
  }
  if (startMs !== undefined && endMs !== undefined && endMs < startMs)
    throw new ConcurHttpError(400, 'endDate is before startDate')
  const sel: TripSelection = {
    ...(owner === undefined ? {} : { owner }),
    ...(startMs === undefined ? {} : { startMs }),
    ...(endMs === undefined ? {} : { endMs }),
    ...optional('createdAfterMs', dateParam(q, 'createdAfterDate')),
    ...optional('createdBeforeMs', dateParam(q, 'createdBeforeDate')),
    ...optional('modifiedAfterMs', dateParam(q, 'lastModifiedDate')),
    ...(kindBit === undefined ? {} : { kindBit }),
    includeCanceled: boolParam('includeCanceledTrips', q.get('includeCanceledTrips')) ?? !defaults,
    includeVirtual: virtual === undefined ? !defaults : virtual === '1' || virtual.toLowerCase() === 'true',
    includeGuest: boolParam('includeGuestBookings', q.get('includeGuestBookings')) ?? !defaults,
  }
  return sel
}

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number }
}

/** Trips v1.1 (C.18): the trip list with Concur's paging envelope, and a trip's details. */
/** Every `MARK_STRIDE`-th match of a selection is remembered by its trip index. */
const MARK_STRIDE = 500
/** Selections whose marks are kept (least recently used dropped first); a mark list is ≤ trips ÷ stride numbers. */
const MARKED_SELECTIONS = 256

/**
 * What a walk has learnt of a selection: the trip index of match `j · MARK_STRIDE`, the count once
 * walked to the end, and where the last walk that stopped early would have gone on (match
 * `resumeAt` is the first match at or after trip `resumeFrom`), so the next page of a client paging
 * in order starts exactly there.
 */
interface TripMarks {
  readonly marks: number[]
  total?: number
  resumeAt?: number
  resumeFrom?: number
}

const tripMarks = new Map<string, TripMarks>()

function marksOf(seed: number, company: MockCompany, s: TripSelection): TripMarks {
  const key = `${seed}|${company.id}|${company.size}|${company.userCount}|${JSON.stringify(s)}`
  let m = tripMarks.get(key)
  if (m) tripMarks.delete(key)
  else m = { marks: [] }
  tripMarks.set(key, m)
  if (tripMarks.size > MARKED_SELECTIONS) tripMarks.delete(tripMarks.keys().next().value!)
  return m
}

/**
 * Walks the matches of a selection from match position `from` on, calling `visit(position, trip)`
 * for each until it returns `false`: the same trips in the same order as `selectTrips`, but a walk
 * starts at the nearest remembered match at or before `from` instead of the first trip (trips are a
 * pure function of the seed, so what one walk learns holds for the next). Page N of a big company
 * no longer costs a scan of the N − 1 pages before it. A walk that reaches the end records the
 * selection's total (`knownTripTotal`) and returns it; one stopped by `visit` returns `undefined`.
 * A walk may start past `from`'s predecessors without visiting them (from a mark or from where the
 * last walk stopped), so a caller learns the total from the return, not by counting visits.
 */
export function walkTripsFrom(
  seed: number,
  company: MockCompany,
  s: TripSelection,
  from: number,
  visit: (position: number, trip: TripCore) => boolean,
): number | undefined {
  const key = tripsKey(seed, company)
  const count = tripCount(company)
  const step = s.owner === undefined ? 1 : company.userCount
  const m = marksOf(seed, company, s)
  const j = Math.min(Math.floor(from / MARK_STRIDE), m.marks.length - 1)
  let position = j >= 0 ? j * MARK_STRIDE : 0
  let i = j >= 0 ? m.marks[j]! : (s.owner ?? 0)
  if (m.resumeAt !== undefined && m.resumeAt <= from && m.resumeAt > position) {
    // Nearer than the mark: where the previous walk stopped (the next page of an in-order walk).
    position = m.resumeAt
    i = m.resumeFrom!
  }
  for (; i < count; i += step) {
    const t = tripCore(key, company, i)
    if (!tripMatches(t, s)) continue
    // Only a walk that passes a mark's position records it, so a walk resumed past an unrecorded
    // mark records none (the marks stay exact, just fewer).
    if (position === m.marks.length * MARK_STRIDE) m.marks.push(i)
    if (!visit(position, t)) {
      m.resumeAt = position + 1
      m.resumeFrom = i + step
      return undefined
    }
    position++
  }
  m.total = position
  return position
}

/** The number of matches of a selection, when a walk has already gone to its end. */
function knownTripTotal(seed: number, company: MockCompany, s: TripSelection): number | undefined {
  return marksOf(seed, company, s).total
}

/**
 * The hooks of the `travel-itineraries` row: the trip list (with Concur's paging envelope when
 * `includeMetadata=true`) and one trip's details, under the row's element names.
 */
export function tripHooks(ctx: DcContext): { readonly list: XmlHandler; readonly item: XmlHandler } {
  const seed = () => ctx.state.options.seed
  const { row, xml, mapping } = xmlRowOf('travel-itineraries')

  const list = (c: Context<MockEnv>) => {
    const q = readQuery(c, listParams(row, PAGING_PARAMS))
    const p = c.get('principal')
    const owner = ownerOf(p, q, ctx)
    const sel = tripSelectionFrom(q, owner, { nowMs: ctx.state.clock.now() })
    const withMetadata = boolParam('includeMetadata', q.get('includeMetadata')) ?? false
    const pageGiven = q.has('Page')
    const page = intParam(q, 'Page', 1, Number.MAX_SAFE_INTEGER) ?? 1
    const perPage = intParam(q, 'ItemsPerPage', 1, 1000) ?? (pageGiven ? 200 : 1000)
    const withStatus = sel.includeCanceled && q.has('includeCanceledTrips')
    const withLogin = p.isAdmin
    const baseUrl = ctx.state.baseUrl(ctx.datacenter)
    const from = (page - 1) * perPage
    const items: Record<string, unknown>[] = []
    const options = { baseUrl, withStatus, withLogin }
    const company = p.company
    let total = 0
    // The total an earlier walk of the selection counted (read once: this walk records its own
    // only when it reaches the end, after the last visit).
    let known: number | undefined
    let knownRead = false
    const end = walkTripsFrom(seed(), company, sel, from, (position, t) => {
      if (position >= from && position < from + perPage) {
        items.push(itineraryInfo(seed(), company, t, options))
      }
      total = position + 1
      if (total >= from + perPage) {
        // Without the paging envelope nobody needs the total: stop once the page is full; with it,
        // stop as well when an earlier walk of the selection counted its trips.
        if (!withMetadata) return false
        if (!knownRead) {
          known = knownTripTotal(seed(), company, sel)
          knownRead = true
        }
        if (known !== undefined) {
          total = known
          return false
        }
      }
      return true
    })
    // Walked to the end: every match counted (a walk started at or past the last match visits none).
    if (end !== undefined) total = end
    const list = { [xml.item]: items }
    if (!withMetadata) {
      return xmlResponse(c, xmlDocument(xml.listRoot, list, { namespace: xml.namespace, xsi: true }))
    }
    const totalPages = Math.ceil(total / perPage)
    const pageUrl = (n: number) => {
      const url = new URL(c.req.url)
      const params = new URLSearchParams()
      for (const [k, v] of url.searchParams) {
        const lk = k.toLowerCase()
        if (lk === 'page' || lk === 'itemsperpage' || lk === 'includemetadata') continue
        params.append(k, v)
      }
      params.set('ItemsPerPage', String(perPage))
      params.set('Page', String(n))
      params.set('includeMetadata', 'true')
      return `${baseUrl}${row.path}?${params.toString()}`
    }
    // `pagedListPath`: ConnectResponse > Data > listRoot > item.
    const [envelopeRoot, data] = mapping.pagedListPath as [string, string]
    const envelope = {
      Metadata: {
        Paging: {
          TotalPages: String(totalPages),
          TotalItems: String(total),
          CurrentPage: String(page),
          ItemsPerPage: String(perPage),
          PreviousPageURL: page > 1 && page - 1 <= totalPages ? pageUrl(page - 1) : '',
          NextPageURL: page < totalPages ? pageUrl(page + 1) : '',
        },
      },
      [data]: {
        [xml.listRoot]: {
          '@_xmlns': xml.namespace,
          '@_xmlns:i': XSI_NAMESPACE,
          ...list,
        },
      },
    }
    return xmlResponse(c, xmlDocument(envelopeRoot, envelope))
  }

  const item = (c: Context<MockEnv>) => {
    const q = readQuery(c, ['systemFormat', 'userid_type', 'userid_value'])
    const p = c.get('principal')
    const id = c.req.param('tripId') ?? ''
    const index = tripIndexOf(seed(), p.company, id)
    if (index === undefined) throw new ConcurHttpError(404, `Trip ${id} was not found`)
    const core = tripCore(tripsKey(seed(), p.company), p.company, index)
    const owner = ownerOf(p, q, ctx)
    if (!p.isAdmin && core.owner !== p.user?.index) throw new ConcurHttpError(404, `Trip ${id} was not found`)
    if (owner !== undefined && q.has('userid_value') && core.owner !== owner)
      throw new ConcurHttpError(404, `Trip ${id} was not found`)
    const body = itinerary(seed(), p.company, core, ctx.state.baseUrl(ctx.datacenter))
    return xmlResponse(c, xmlDocument(mapping.itemRoot!, body, { namespace: xml.namespace }))
  }

  return { list, item }
}

/** The traveller index of a login in a company (for the manifest's `userid_value` filter). */
export function travellerIndex(seed: number, company: MockCompany, login: string): number | undefined {
  const index = userIndexFromLogin(login)
  if (index === undefined || index >= company.userCount) return undefined
  return userAt(seed, company, index).loginId.toLowerCase() === login.toLowerCase() ? index : undefined
}
