import type { MockCompany } from '../../companies.js'
import { userAt } from '../../companies.js'
import {
  itinerary,
  type TripCore,
  tripCore,
  tripCount,
  tripId,
  tripsKey,
} from '../../dataset/legacy/trips.js'
import { hashHex } from '../../util/hash.js'

/**
 * The Itinerary v4 id (a UUID) of trip *i*: the index in the first group (so id order is trip
 * order, as Concur's list pages by id), a hash of (seed, company, i) in the rest.
 *
 * @example
 * tripV4Id(seed, company.id, 3) // '00000003-…'
 */
export function tripV4Id(seed: number, companyId: string, index: number): string {
  const h = hashHex(seed, companyId, 'trip-v4', index)
  const variant = '89ab'[Number.parseInt(h[15]!, 16) % 4]
  return `${index.toString(16).padStart(8, '0')}-${h.slice(0, 4)}-5${h.slice(4, 7)}-${variant}${h.slice(7, 10)}-${h.slice(10, 22)}`
}

/** The trip index of a v4 trip id of this company, or undefined when it is not one. */
export function tripV4IndexOf(
  seed: number,
  company: Pick<MockCompany, 'id' | 'size'>,
  id: string,
): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined
  const index = Number.parseInt(id.slice(0, 8), 16)
  if (index >= tripCount(company)) return undefined
  return tripV4Id(seed, company.id, index) === id.toLowerCase() ? index : undefined
}

/** The trips of a company in id order (lazy: trip *i* costs the same anywhere). */
export function* tripCores(
  seed: number,
  company: Pick<MockCompany, 'id' | 'size' | 'userCount'>,
  fromIndex = 0,
): Generator<TripCore> {
  const key = tripsKey(seed, company)
  const n = tripCount(company)
  for (let i = fromIndex; i < n; i++) yield tripCore(key, company, i)
}

const LOCAL_OR_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/
const NUMERIC_KEYS = new Set([
  'Amount',
  'DailyRate',
  'TotalRate',
  'NumUnits',
  'AllowanceNumUnits',
  'AllowanceAmount',
  'PassengerCount',
  'NumPersons',
  'NumRooms',
  'NumCars',
])
const BOOLEAN_KEYS = new Set(['IsPrimary', 'AllowanceIsUnlimited'])

/** v1.1 values in the v4 JSON types: dates with milliseconds and offset, numbers, booleans. */
function toV4(key: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => toV4(key, v))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = toV4(k, v)
    return out
  }
  if (typeof value !== 'string') return value
  if (LOCAL_OR_UTC.test(value)) return `${value}.000${key.endsWith('Utc') ? '+00:00' : '-00:00'}`
  if (NUMERIC_KEYS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value)
  if (BOOLEAN_KEYS.has(key) && (value === 'true' || value === 'false')) return value === 'true'
  return value
}

/**
 * Trip *core* as `GET /travel/v4/trips/{id}` answers: the same trip Trips v1.1 serves (its v1.1
 * trip id is the `ItinLocator`), with v4's JSON shape: `Bookings` and `Passengers` as arrays, each
 * booking's `Segments` as arrays per kind, `TripStatus` 0 (active) or 1 (cancelled), UTC twins of
 * the local dates (the mock's trips are in UTC).
 *
 * @example
 * itineraryV4(seed, company, core, 'http://127.0.0.1:4010').ItinLocator // the v1.1 TripId
 */
export function itineraryV4(
  seed: number,
  company: Pick<MockCompany, 'id' | 'domain'>,
  core: TripCore,
  origin: string,
): Record<string, unknown> {
  const v11 = itinerary(seed, company, core, origin) as Record<string, unknown> & {
    Bookings: { Booking: Record<string, unknown>[] }
  }
  const { id: _v11Url, Bookings, ...header } = v11
  const bookings = Bookings.Booking.map((b) => {
    const { Segments, Passengers, ...rest } = b as {
      Segments: Record<string, unknown>
      Passengers: { Passenger: unknown[] }
    }
    return toV4('', {
      ...rest,
      Passengers: Passengers.Passenger,
      Segments: Object.fromEntries(Object.entries(Segments).map(([k, v]) => [k, [v]])),
    })
  })
  const v4 = toV4('', header) as Record<string, unknown>
  return {
    ...v4,
    id: `${origin}/travel/v4/trips/${tripV4Id(seed, company.id, core.index)}`,
    ItinLocator: tripId(seed, company.id, core.index),
    Description: header.TripName,
    TripStatus: core.canceled ? 1 : 0,
    StartDateUtc: `${String(header.StartDateLocal)}.000+00:00`,
    EndDateUtc: `${String(header.EndDateLocal)}.000+00:00`,
    DateCreatedUtc: `${new Date(core.createdMs).toISOString().slice(0, 19)}.000+00:00`,
    IsPersonal: false,
    UserLoginId: userAt(seed, company, core.owner).loginId,
    Bookings: bookings,
  }
}
