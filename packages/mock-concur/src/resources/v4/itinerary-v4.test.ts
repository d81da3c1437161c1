import { CardsV4Error, ItineraryV4Error, ItineraryV4Trip, ItineraryV4TripIdPage } from '@concurkit/contract'
import { beforeEach, describe, expect, it } from 'vitest'
import { tripCore, tripCount, tripId, tripsKey } from '../../dataset/legacy/trips.js'
import { createMockConcur, type MockConcur } from '../../mock.js'
import { call, issueToken } from '../v3-testing.js'
import { tripV4Id } from './itinerary-v4-data.js'

let mock: MockConcur
let company: string

beforeEach(async () => {
  mock = createMockConcur({ seed: 11, size: 60, companies: 1, datacenters: ['us'] })
  company = await issueToken(mock, { user: 'company' })
})

const co = () => mock.state.companies[0]!
/** The dataset's day is 2025-01-01 (see dataset-today.ts): six months back is 2024-07-01. */
const SIX_MONTHS_BEFORE_DATASET_DAY = Date.UTC(2024, 6, 1)

async function json(res: Response, status = 200): Promise<unknown> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return JSON.parse(text)
}

async function walk(first: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = []
  let url: string | undefined = first
  let pages = 0
  while (url) {
    const page = ItineraryV4TripIdPage.parse(await json(await call(mock, url, company)))
    ids.push(...page.data.map((d) => d.id))
    url = page.operations?.find((o) => o.rel === 'next')?.href
    pages++
  }
  return { ids, pages }
}

describe('Itinerary v4 trips: the trips Trips v1.1 serves', () => {
  it('lists the trips that ended in the last six months or later, ten a page, with a next link until the last page', async () => {
    const { ids, pages } = await walk('/travel/v4/trips?schema=id')
    const key = tripsKey(mock.state.options.seed, co())
    const expected: number[] = []
    for (let i = 0; i < tripCount(co()); i++)
      if (tripCore(key, co(), i).endMs >= SIX_MONTHS_BEFORE_DATASET_DAY) expected.push(i)
    expect(expected.length).toBeGreaterThan(10)
    expect(ids).toHaveLength(expected.length)
    expect(pages).toBe(Math.ceil(expected.length / 10))
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(ids) // id order
  })

  it('each listed trip reads back as the v1.1 trip (ItinLocator = v1.1 TripId) in the v4 shape', async () => {
    const first = ItineraryV4TripIdPage.parse(await json(await call(mock, '/travel/v4/trips', company)))
    const entry = first.data[3]!
    expect(entry.href).toBe(`${mock.state.baseUrl('us')}/travel/v4/trips/${entry.id}`)
    const trip = ItineraryV4Trip.parse(await json(await call(mock, entry.href, company)))
    expect(trip.id).toBe(entry.href)
    const index = Number.parseInt(entry.id.slice(0, 8), 16)
    expect(trip.ItinLocator).toBe(tripId(mock.state.options.seed, co().id, index))
    const admin = await issueToken(mock, { user: 0 })
    const v11 = await (await call(mock, `/api/travel/trip/v1.1/${trip.ItinLocator}`, admin)).text()
    expect(v11).toContain(`<TripName>${trip.TripName}</TripName>`)
    expect(v11).toContain(`<StartDateLocal>${trip.StartDateLocal.slice(0, 19)}</StartDateLocal>`)
    expect(trip.Bookings.length).toBeGreaterThan(0)
    for (const b of trip.Bookings) for (const segs of Object.values(b.Segments)) expect(segs).toHaveLength(1)
  })

  it('narrows by endDateFrom/endDateTo and refuses history older than six months', async () => {
    const narrow = await walk('/travel/v4/trips?endDateFrom=2025-01-01&endDateTo=2025-06-30')
    const all = await walk('/travel/v4/trips')
    expect(narrow.ids.length).toBeGreaterThan(0)
    expect(narrow.ids.length).toBeLessThan(all.ids.length)
    for (const id of narrow.ids.slice(0, 3)) {
      const trip = ItineraryV4Trip.parse(await json(await call(mock, `/travel/v4/trips/${id}`, company)))
      expect(trip.EndDateLocal.slice(0, 10) >= '2025-01-01').toBe(true)
      expect(trip.EndDateLocal.slice(0, 10) <= '2025-06-30').toBe(true)
    }
    const old = ItineraryV4Error.parse(
      await json(await call(mock, '/travel/v4/trips?endDateFrom=2024-06-30', company), 400),
    )
    expect(old.errors[0]?.errorMessage).toMatch(/6 months/)
    await json(await call(mock, '/travel/v4/trips?endDateFrom=2024-07-01', company), 200)
    await json(await call(mock, '/travel/v4/trips?endDateFrom=01-07-2024', company), 400)
    await json(await call(mock, '/travel/v4/trips?startAfter=garbage', company), 400)
    await json(await call(mock, '/travel/v4/trips?schema=full', company), 400)
  })

  it('allows 10 list requests a minute per company on the mock clock, then answers 503 with Retry-After', async () => {
    for (let i = 0; i < 10; i++) await json(await call(mock, '/travel/v4/trips', company))
    const limited = await call(mock, '/travel/v4/trips', company)
    expect(limited.status).toBe(503)
    expect(limited.headers.get('retry-after')).toBe('60')
    const body = ItineraryV4Error.parse(await limited.json())
    expect(body.errors[0]?.errorCode).toBe('rateLimitExceeded')
    // only the list is limited: a trip's details still answer
    const key = tripsKey(mock.state.options.seed, co())
    expect(tripCore(key, co(), 0).index).toBe(0)
    const some = (
      await call(mock, `/travel/v4/trips/${tripV4Id(mock.state.options.seed, co().id, 0)}`, company)
    ).status
    expect(some).toBe(200)
    mock.state.clock.advance(59)
    const still = await call(mock, '/travel/v4/trips', company)
    expect(still.status).toBe(503)
    expect(still.headers.get('retry-after')).toBe('1')
    mock.state.clock.advance(1)
    await json(await call(mock, '/travel/v4/trips', company))
  })

  it('is for company tokens with the itinerary scope; unknown trips are 404', async () => {
    const user = await issueToken(mock, { user: 0 })
    const e = ItineraryV4Error.parse(await json(await call(mock, '/travel/v4/trips', user), 403))
    expect(e.errors[0]?.errorCode).toBe('forbidden')
    await json(
      await call(mock, '/travel/v4/trips', await issueToken(mock, { user: 'company', scopes: ['EXPRPT'] })),
      403,
    )
    await json(
      await call(
        mock,
        '/travel/v4/trips',
        await issueToken(mock, { user: 'company', scopes: ['travel.itinerary.read'] }),
      ),
      200,
    )
    await json(await call(mock, '/travel/v4/trips/00000000-0000-5000-8000-000000000000', company), 404)
    await json(await call(mock, '/travel/v4/trips/not-a-uuid', company), 404)
  })

  it('a faulted 503 on an Itinerary path, and a 429 on a Cards path, answer in the family’s error body', async () => {
    const fault = (rule: object) =>
      mock.app.request('/_mock/faults', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rule),
      })
    expect(
      (await fault({ method: 'GET', path: '/travel/v4/trips', status: 503, retryAfter: 5 })).status,
    ).toBe(201)
    const res = await call(mock, '/travel/v4/trips', company)
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
    expect(ItineraryV4Error.parse(await res.json()).errors).toHaveLength(1)
    expect((await fault({ method: 'GET', path: '/cards/v4/**', retryAfter: 0 })).status).toBe(201)
    const cards = await call(mock, `/cards/v4/users/${mock.state.user(co(), 2)!.id}/transactions`, company)
    expect(cards.status).toBe(429)
    expect(CardsV4Error.parse(await cards.json())[0]?.errorCode).toBe('tooManyRequests')
  })
})
