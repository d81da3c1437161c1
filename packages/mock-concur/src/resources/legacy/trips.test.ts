import { getResource, Itinerary, LEGACY_XML_MAPPINGS } from '@concurkit/contract'
import { beforeAll, describe, expect, it } from 'vitest'
import { companyAt } from '../../companies.js'
import { TRIP_KIND_BITS, tripCore, tripIndexOf, tripsKey } from '../../dataset/legacy/trips.js'
import { createMockConcur, type MockConcur } from '../../mock.js'
import { digestRecords, legacyManifestEntry } from './manifest.js'
import { exampleXml, get, parseRecords, shapeDifferences, tokenFor } from './testing.js'
import { selectTrips, type TripSelection, tripSelectionFrom, walkTripsFrom } from './trips.js'

const TRIPS = '/api/travel/trip/v1.1'
const EVERYTHING =
  'startDate=2000-01-01&endDate=2100-12-31&includeCanceledTrips=true&includeVirtualTrip=1&includeGuestBookings=true'

let mock: MockConcur
let admin: string
let user2: string

beforeAll(async () => {
  mock = createMockConcur({ seed: 4, size: 240, now: () => Date.UTC(2025, 5, 1, 9) })
  admin = await tokenFor(mock, { user: 0 })
  user2 = await tokenFor(mock, { user: 2 })
})

const company = () => mock.state.companies[0]!
const coreOf = (id: unknown) => {
  const c = company()
  const i = tripIndexOf(mock.state.options.seed, c, String(id))
  expect(i).toBeDefined()
  return tripCore(tripsKey(mock.state.options.seed, c), c, i!)
}

async function walk(query: string, token = admin, perPage = 25) {
  const records: Record<string, unknown>[] = []
  let url: string | undefined = `${TRIPS}/?${query}&includeMetadata=true&ItemsPerPage=${perPage}&Page=1`
  let pages = 0
  while (url) {
    const res = await get(mock, url, token)
    expect(res.status, await res.clone().text()).toBe(200)
    const xml = await res.text()
    const doc = parseRecords('travel-itineraries', xml, ['ConnectResponse', 'Metadata', 'Paging'])[0]!
    const items = parseRecords(
      'travel-itineraries',
      xml,
      getResource('travel-itineraries') && ['ConnectResponse', 'Data', 'ItineraryInfoList', 'ItineraryInfo'],
    )
    expect(items.length).toBeLessThanOrEqual(perPage)
    records.push(...items)
    pages++
    expect(Number(doc.CurrentPage)).toBe(pages)
    const next = String(doc.NextPageURL ?? '')
    if (next) expect(next.startsWith(mock.state.baseUrl(company().datacenter))).toBe(true)
    url = next ? new URL(next).pathname + new URL(next).search : undefined
    if (!url) expect(Number(doc.TotalPages)).toBe(pages)
  }
  return records
}

describe('trips v1.1 list (Travel Itineraries)', () => {
  it('pages through every trip of the company (admin, userid_value=ALL) and matches the manifest', async () => {
    const complete = LEGACY_XML_MAPPINGS['travel-itineraries']?.completeQueries?.[0]
    const records = await walk(new URLSearchParams(complete).toString())
    const m = legacyManifestEntry(mock.state, company(), 'travel-itineraries')
    expect(records.length).toBe(Math.ceil(company().size / 2))
    expect(digestRecords(records)).toEqual(m)
    for (const r of records) expect(getResource('travel-itineraries').item.safeParse(r).success).toBe(true)
    expect(new Set(records.map((r) => r.TripId)).size).toBe(records.length)
  })

  it('by default returns the token owner’s active trips in today −30 d … +12 months, without TripStatus or login', async () => {
    const res = await get(mock, `${TRIPS}/`, user2)
    const items = parseRecords('travel-itineraries', await res.text())
    const now = Date.UTC(2025, 5, 1)
    expect(items.length).toBeGreaterThan(0)
    for (const it of items) {
      const t = coreOf(it.TripId)
      expect(t.owner).toBe(2)
      expect(t.canceled || t.virtual || t.guest).toBe(false)
      expect(t.endMs).toBeGreaterThanOrEqual(now - 30 * 86_400_000)
      expect(it.TripStatus).toBeUndefined()
      expect(it.UserLoginId).toBeUndefined()
    }
  })

  it('each filter returns only matching trips, and the manifest narrows the same way', async () => {
    const all = `userid_type=login&userid_value=ALL&${EVERYTHING}`
    type Case = [
      string,
      Record<string, string>,
      (t: ReturnType<typeof tripCore>, r: Record<string, unknown>) => boolean,
    ]
    const cases: Case[] = [
      ['startDate=2025-06-01', { startDate: '2025-06-01' }, (t) => t.endMs >= Date.UTC(2025, 5, 1)],
      ['endDate=2024%2F03%2F01', { endDate: '2024/03/01' }, (t) => t.startMs < Date.UTC(2024, 2, 2)],
      [
        'createdAfterDate=2025-01-01',
        { createdAfterDate: '2025-01-01' },
        (t) => t.createdMs >= Date.UTC(2025, 0, 1),
      ],
      [
        'createdBeforeDate=2024-12-31',
        { createdBeforeDate: '2024-12-31' },
        (t) => t.createdMs < Date.UTC(2025, 0, 1),
      ],
      [
        'lastModifiedDate=2025-03-01T12:00:00',
        { lastModifiedDate: '2025-03-01T12:00:00' },
        (_t, r) => String(r.DateModifiedUtc) >= '2025-03-01T12:00:00',
      ],
      ...(['Air', 'Car', 'Hotel', 'Rail', 'Dining', 'Parking', 'Ride'] as const).map(
        (k): Case => [`bookingType=${k}`, { bookingType: k }, (t) => (t.kinds & TRIP_KIND_BITS[k]) !== 0],
      ),
      [
        `userid_type=login&userid_value=${company().users[3]!.loginId}`,
        { userid_value: company().users[3]!.loginId },
        (t, r) => t.owner === 3 && r.UserLoginId === company().users[3]!.loginId,
      ],
    ]
    for (const [query, filters, ok] of cases) {
      const params = new URLSearchParams(query.startsWith('userid_type') ? EVERYTHING : all)
      for (const [k, v] of new URLSearchParams(query)) params.set(k, v)
      const items = await walk(params.toString(), admin, 100)
      if (!query.includes('Dining') && !query.includes('Parking') && !query.includes('Ride'))
        expect(items.length, query).toBeGreaterThan(0)
      for (const it of items) expect(ok(coreOf(it.TripId), it), `${query} ${String(it.TripId)}`).toBe(true)
      expect(items.length, query).toBe(
        legacyManifestEntry(mock.state, company(), 'travel-itineraries', {
          ...filters,
          includeCanceledTrips: 'true',
        }).count,
      )
    }
    // the include* switches
    const active = await walk(
      'userid_type=login&userid_value=ALL&startDate=2000-01-01&endDate=2100-12-31',
      admin,
      100,
    )
    for (const it of active) {
      const t = coreOf(it.TripId)
      expect(t.canceled || t.virtual || t.guest).toBe(false)
    }
    const canceled = await walk(
      'userid_type=login&userid_value=ALL&startDate=2000-01-01&endDate=2100-12-31&includeCanceledTrips=true',
      admin,
      100,
    )
    expect(canceled.some((r) => r.TripStatus === 'Canceled')).toBe(true)
    for (const r of canceled) expect(r.TripStatus).toBe(coreOf(r.TripId).canceled ? 'Canceled' : 'Active')
  })

  it('keeps users to their own trips; userid_value=ALL and other logins need an administrator', async () => {
    expect((await get(mock, `${TRIPS}/?userid_type=login&userid_value=ALL`, user2)).status).toBe(403)
    expect(
      (await get(mock, `${TRIPS}/?userid_type=login&userid_value=${company().users[3]!.loginId}`, user2))
        .status,
    ).toBe(403)
    expect(
      (await get(mock, `${TRIPS}/?userid_type=login&userid_value=${company().users[2]!.loginId}`, user2))
        .status,
    ).toBe(200)
    const mine = await walk(EVERYTHING, user2)
    for (const r of mine) expect(coreOf(r.TripId).owner).toBe(2)
    expect(mine.length).toBe(
      legacyManifestEntry(mock.state, company(), 'travel-itineraries', {
        userid_value: company().users[2]!.loginId,
      }).count,
    )
    const noScope = await tokenFor(mock, { user: 2, scopes: ['EXPRPT'] })
    expect((await get(mock, `${TRIPS}/`, noScope)).status).toBe(403)
  })

  it('answers 400 to bad parameters', async () => {
    for (const q of [
      'startDate=tomorrow',
      'endDate=2025-02-30',
      'bookingType=Boat',
      'ItemsPerPage=0&Page=1&includeMetadata=true',
      'ItemsPerPage=5000',
      'Page=x',
      'includeCanceledTrips=yes',
      'userid_type=email&userid_value=a',
      'userid_value=ALL',
      'color=blue',
      'startDate=2025-02-01&endDate=2025-01-01',
    ]) {
      const res = await get(mock, `${TRIPS}/?${q}`, admin)
      expect(res.status, q).toBe(400)
      expect(await res.text()).toContain('<Error><Message>')
    }
  })

  it('has the element set and value types of Concur’s samples (plain and paged)', async () => {
    const plain = await get(mock, `${TRIPS}/?userid_type=login&userid_value=ALL&startDate=2000-01-01`, admin)
    expect(shapeDifferences(await plain.text(), exampleXml('travel-v1.1-trips-list-response.xml'))).toEqual(
      [],
    )
    const paged = await get(
      mock,
      `${TRIPS}/?userid_type=login&userid_value=ALL&startDate=2000-01-01&includeMetadata=true&ItemsPerPage=2&Page=2`,
      admin,
    )
    expect(
      shapeDifferences(await paged.text(), exampleXml('travel-v1.1-trips-list-paged-response.xml')),
    ).toEqual([])
  })
})

describe('trips v1.1 details', () => {
  it('serves <Itinerary> like Concur’s sample for a car + hotel trip, and valid details for every trip', async () => {
    const items = await walk(`userid_type=login&userid_value=ALL&${EVERYTHING}`, admin, 200)
    let compared = false
    for (const it of items.slice(0, 60)) {
      const res = await get(mock, `${TRIPS}/${String(it.TripId)}`, admin)
      expect(res.status).toBe(200)
      const xml = await res.text()
      const [doc] = parseRecords('travel-itineraries', xml, ['Itinerary'])
      const parsed = Itinerary.safeParse(doc)
      expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 2))).toBe(true)
      expect(doc!.id).toBe(it.id)
      const t = coreOf(it.TripId)
      if (t.kinds === (TRIP_KIND_BITS.Car | TRIP_KIND_BITS.Hotel) && !compared) {
        expect(shapeDifferences(xml, exampleXml('travel-v1.1-trip-details-response.xml'))).toEqual([])
        compared = true
      }
    }
    expect(compared).toBe(true)
  })

  it('answers 404 to unknown trips and to other users’ trips', async () => {
    expect((await get(mock, `${TRIPS}/CNQR1234567890`, admin)).status).toBe(404)
    const others = await walk(
      `userid_type=login&userid_value=${company().users[3]!.loginId}&${EVERYTHING}`,
      admin,
    )
    const res = await get(mock, `${TRIPS}/${String(others[0]!.TripId)}`, user2)
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('was not found')
  })
})

describe('trip pages of a bigger company (the walk starts from remembered matches)', () => {
  it('answers every page the same whatever order the pages are read in, with or without the envelope', async () => {
    const options = { seed: 9, size: 4_000, now: () => Date.UTC(2025, 5, 1, 9) }
    const inOrder = createMockConcur(options)
    const scrambled = createMockConcur(options)
    const [a, b] = await Promise.all([tokenFor(inOrder, { user: 0 }), tokenFor(scrambled, { user: 0 })])
    const page = async (m: MockConcur, token: string, n: number, metadata: boolean) => {
      const res = await get(
        m,
        `${TRIPS}/?userid_type=login&userid_value=ALL&${EVERYTHING}&ItemsPerPage=100&Page=${n}${metadata ? '&includeMetadata=true' : ''}`,
        token,
      )
      expect(res.status).toBe(200)
      return res.text()
    }
    // 2,000 trips: pages 1–20 hold them all, 21 is past the end.
    const pages = Array.from({ length: 21 }, (_, i) => i + 1)
    const expected = new Map<string, string>()
    for (const n of pages)
      for (const metadata of [false, true])
        expected.set(`${n}/${metadata}`, await page(inOrder, a, n, metadata))
    expect(expected.get('20/true')).toContain('<TotalItems>2000</TotalItems>')
    expect(expected.get('21/false')).not.toContain('<ItineraryInfo>')
    const order = [17, 3, 21, 9, 20, 1, 12, 2, 19, 5, 14, 4, 18, 6, 16, 7, 15, 8, 13, 10, 11]
    for (const metadata of [true, false])
      for (const n of order)
        expect(await page(scrambled, b, n, metadata)).toBe(expected.get(`${n}/${metadata}`))
  })
})

describe('walkTripsFrom (remembered marks and the point where the last walk stopped)', () => {
  it('visits the same trips at the same positions as a full scan, whatever pages were read before', () => {
    // A seed no other test uses: the marks of these selections start empty.
    const seed = 1_234_567
    const company = companyAt(seed, 0, 6_000, ['us'])
    const everything = tripSelectionFrom(new Map(), undefined, undefined)
    const selections = [
      everything,
      tripSelectionFrom(new Map([['bookingType', 'Air']]), undefined, undefined),
      tripSelectionFrom(new Map(), 7, undefined),
      tripSelectionFrom(new Map([['startDate', '2024-06-01']]), undefined, undefined),
    ]
    const page = (sel: TripSelection, from: number, size: number) => {
      const seen: [number, number][] = []
      const end = walkTripsFrom(seed, company, sel, from, (position, t) => {
        if (position >= from) seen.push([position, t.index])
        return position < from + size - 1
      })
      // A page that reaches past the last match learns the total from the walk, visits or not.
      totals.push([from + size, end])
      return seen
    }
    const totals: [number, number | undefined][] = []
    let x = 5
    const next = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0
      return x / 2 ** 32
    }
    for (const sel of selections) {
      const all = [...selectTrips(seed, company, sel)].map((t) => t.index)
      expect(all.length).toBeGreaterThan(0)
      const expected = (from: number, size: number) =>
        all.slice(from, from + size).map((index, k) => [from + k, index] as [number, number])
      // In order (each page resumes where the last stopped), backwards, then at random, in sizes
      // that cross the marks' stride.
      for (const size of [37, 100, 611]) {
        for (let from = 0; from < all.length + size; from += size)
          expect(page(sel, from, size)).toEqual(expected(from, size))
        for (let from = Math.floor(all.length / size) * size; from >= 0; from -= size)
          expect(page(sel, from, size)).toEqual(expected(from, size))
      }
      for (let k = 0; k < 60; k++) {
        const from = Math.floor(next() * (all.length + 50))
        const size = 1 + Math.floor(next() * 300)
        expect(page(sel, from, size)).toEqual(expected(from, size))
      }
      for (const [until, end] of totals.splice(0))
        expect(end).toBe(until > all.length ? all.length : undefined)
    }
  })
})
