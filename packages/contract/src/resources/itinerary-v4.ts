import { z } from 'zod'
import { defineResource } from '../registry.js'

/**
 * Itinerary v4 wire shapes (`/travel/v4`, concur-api-v4 §9.5; swagger Itinerary.swagger2.json):
 * the company's trip ids (`GET /travel/v4/trips`, ≤ 10 per page, `operations` next link) and one
 * trip record (`GET /travel/v4/trips/{id}`, PascalCase fields). Company JWTs only; 10 requests a
 * minute on the list, answered with 503 ("Service is unavailable or a rate limit is in effect").
 *
 * @example
 * ItineraryV4TripIdPage.parse(await res.json()).operations?.find((o) => o.rel === 'next')?.href
 */

/** Trips per page of `GET /travel/v4/trips`. */
export const ITINERARY_V4_PAGE_SIZE = 10
/** Requests a company may make to `GET /travel/v4/trips` per minute. */
export const ITINERARY_V4_RATE_LIMIT = 10
/** The rate limit's window, in seconds. */
export const ITINERARY_V4_RATE_WINDOW_SECONDS = 60
/** How far back `endDateFrom` may reach: six months. */
export const ITINERARY_V4_HISTORY_MONTHS = 6
/** The one scope of Itinerary v4. */
export const ITINERARY_V4_SCOPE = 'travel.itinerary.read'

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)

/** `model.ItineraryIdObject`: `{id, href}` (href = the trip's v4 URL). */
export const ItineraryV4TripId = z.looseObject({ id: uuid, href: z.string().url() })
export type ItineraryV4TripId = z.infer<typeof ItineraryV4TripId>

/** `model.ItineraryListOperationObject`: `{rel: 'next'|'prev', href}`. */
export const ItineraryV4Operation = z.looseObject({ rel: z.string(), href: z.string().url() })

/**
 * `model.ItineraryIdListResponse`: `{data: [{id, href}], operations: [{rel, href}]}` (no `next` on
 * the last page).
 *
 * @example
 * ItineraryV4TripIdPage.parse(body).data.length // ≤ 10
 */
export const ItineraryV4TripIdPage = z.looseObject({
  data: z.array(ItineraryV4TripId).max(ITINERARY_V4_PAGE_SIZE),
  operations: z.array(ItineraryV4Operation).optional(),
})
export type ItineraryV4TripIdPage = z.infer<typeof ItineraryV4TripIdPage>

const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/)

/** A booking segment (`Air`, `Hotel`, `Car` …): the fields every kind shares; the rest vary. */
export const ItineraryV4Segment = z.looseObject({
  Vendor: z.string().optional(),
  Status: z.string().optional(),
  StartDateLocal: dateTime.optional(),
  EndDateLocal: dateTime.optional(),
  ConfirmationNumber: z.string().optional(),
})

/** `Booking` of a v4 trip: `Segments` maps a kind to its segment array. */
export const ItineraryV4Booking = z.looseObject({
  RecordLocator: z.string().optional(),
  BookingSource: z.string().optional(),
  DateModifiedUtc: dateTime.optional(),
  Passengers: z.array(z.looseObject({ NameFirst: z.string(), NameLast: z.string() })).optional(),
  Segments: z.record(z.string(), z.array(ItineraryV4Segment)),
})

/**
 * `Itinerary`: one trip of `GET /travel/v4/trips/{id}` (PascalCase fields, `id` = the trip's URL,
 * `TripStatus` an integer).
 *
 * @example
 * ItineraryV4Trip.parse(body).Bookings.length
 */
export const ItineraryV4Trip = z.looseObject({
  id: z.string().url(),
  ItinLocator: z.string().optional(),
  TripName: z.string(),
  TripStatus: z.number().int(),
  StartDateLocal: dateTime,
  EndDateLocal: dateTime,
  StartDateUtc: dateTime.optional(),
  EndDateUtc: dateTime.optional(),
  DateCreatedUtc: dateTime.optional(),
  DateModifiedUtc: dateTime,
  UserLoginId: z.string().optional(),
  Bookings: z.array(ItineraryV4Booking),
})
export type ItineraryV4Trip = z.infer<typeof ItineraryV4Trip>

/** `model.ExternalErrorObject`: `{errorCode, errorMessage, errors?}`. */
export const ItineraryV4ErrorObject = z.looseObject({
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
})

/**
 * `model.ErrorAPIResponse`: `{errors: [{errorCode, errorMessage}]}`.
 *
 * @example
 * ItineraryV4Error.parse(body).errors[0]?.errorCode // 'rateLimitExceeded'
 */
export const ItineraryV4Error = z.looseObject({ errors: z.array(ItineraryV4ErrorObject) })
export type ItineraryV4Error = z.infer<typeof ItineraryV4Error>

/**
 * Registry row of `itineraries`: the company's trip ids (`{id, href}`), ten a page, walked by the
 * `operations` next link, company tokens only. A trip's record is read from its `href`
 * (`client.itineraryV4.trip(id)`); it is not the row's item, so the row has no `itemPath`.
 *
 * @example
 * REGISTRY.itineraries.paging // { kind: 'json', items: 'data', next: { type: 'link', … } }
 */
export const itineraries = defineResource({
  name: 'itineraries',
  title: 'Trips (Itinerary v4)',
  api: 'v4',
  path: '/travel/v4/trips',
  format: 'json',
  paging: { kind: 'json', items: 'data', next: { type: 'link', field: 'operations', rel: 'next' } },
  scope: ITINERARY_V4_SCOPE,
  item: ItineraryV4TripId,
  idField: 'id',
  // `endDateFrom`/`endDateTo` are not row filters: the records carry no date to check them on, and a
  // date older than six months is a 400. `client.itineraryV4.tripIds({ endDateFrom })` takes them.
  filters: [],
  adminOnly: true,
  writes: [],
  reference: 'v4 §9.5',
  tokenKinds: ['company'],
  errorBody: ItineraryV4Error,
})
