import { ItineraryV4Trip, type ItineraryV4TripId, ItineraryV4TripIdPage } from '@concurkit/contract'
import { CLIENT_ERROR_CODES, ConcurClientError, invalidArgument } from './errors.js'
import type { RawResponse, Transport } from './http.js'
import { parseJson, validateItem } from './parse.js'

/** Query of `GET /travel/v4/trips` (`yyyy-MM-dd`; `endDateFrom` no older than six months). */
export interface ItineraryV4TripQuery {
  readonly endDateFrom?: string
  readonly endDateTo?: string
}

/**
 * Itinerary v4 (`/travel/v4`, company tokens): the company's trip ids (ten a page, following the
 * `operations` next link) and one trip's record. Concur allows 10 list requests a minute and answers
 * more with 503; the client's retry layer waits as `Retry-After` says (capped by `retry.maxTimeout`).
 * Details are read one by one from each id's `href` — `trips()` then `trip(id)`.
 *
 * @example
 * for await (const { id } of client.itineraryV4.tripIds({ endDateFrom: '2025-01-01' })) {
 *   const trip = await client.itineraryV4.trip(id)
 *   console.log(trip.TripName, trip.Bookings.length)
 * }
 */
export interface ItineraryV4Client {
  /** Every `{id, href}` of the company's trips in the window (all pages). */
  tripIds(query?: ItineraryV4TripQuery, options?: { signal?: AbortSignal }): AsyncIterable<ItineraryV4TripId>
  /** One trip (`GET /travel/v4/trips/{id}`). */
  trip(id: string, options?: { signal?: AbortSignal }): Promise<ItineraryV4Trip>
}

/** The Itinerary v4 accessor over a client's transport. */
export function itineraryV4Client(transport: Transport): ItineraryV4Client {
  const sig = (s?: AbortSignal) => (s ? { signal: s } : {})
  return {
    async *tripIds(query = {}, o = {}) {
      let url: string | undefined = '/travel/v4/trips'
      let params: Record<string, string | undefined> | undefined = { schema: 'id', ...query }
      const seen = new Set<string>()
      while (url) {
        const page: ItineraryV4TripIdPage = await transport.send(
          { url, ...(params ? { query: params } : {}), accept: 'application/json', ...sig(o.signal) },
          (res: RawResponse) => validateItem(ItineraryV4TripIdPage, parseJson(res.body), 'trip id page'),
        )
        yield* page.data
        const next = page.operations?.find((op) => op.rel.toLowerCase() === 'next')?.href
        if (next !== undefined && seen.has(next))
          throw new ConcurClientError(
            CLIENT_ERROR_CODES.INVALID_RESPONSE,
            `Itinerary v4 paging repeated ${next}`,
          )
        if (next !== undefined) seen.add(next)
        url = next
        params = undefined
      }
    },
    trip: (id, o = {}) => {
      if (typeof id !== 'string' || id === '') invalidArgument('a trip id must be a non-empty string')
      return transport.send(
        { url: `/travel/v4/trips/${encodeURIComponent(id)}`, accept: 'application/json', ...sig(o.signal) },
        (res: RawResponse) => validateItem(ItineraryV4Trip, parseJson(res.body), 'trip'),
      )
    },
  }
}
