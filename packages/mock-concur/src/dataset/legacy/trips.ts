import { getResource, type ItineraryInfo } from '@concurkit/contract'
import { en, Faker } from '@faker-js/faker'
import type { MockCompany } from '../../companies.js'
import { userAt } from '../../companies.js'
import { hashHex } from '../../util/hash.js'
import { pathWithOne } from '../../util/paths.js'
import { type Dataset, datasetOf, userNameOf } from '../dataset.js'
import { DAY_MS, decimal8, isoSeconds, LEGACY_EPOCH_MS, mix32, resourceKey } from './common.js'

/** A trip's path: the `travel-itineraries` row's item path. */
const tripPath = pathWithOne(getResource('travel-itineraries').itemPath!)

const faker = new Faker({ locale: en })

/** Booking kinds the mock generates, as bits of `TripCore.kinds`. */
export const TRIP_KIND_BITS = {
  Air: 1,
  Car: 2,
  Hotel: 4,
  Rail: 8,
  Dining: 16,
  Parking: 32,
  Ride: 64,
} as const
export type TripKind = keyof typeof TRIP_KIND_BITS

const CITIES: readonly (readonly [name: string, code: string])[] = [
  ['Baltimore', 'BWI'],
  ['New York', 'JFK'],
  ['Seattle', 'SEA'],
  ['Dallas', 'DFW'],
  ['Chicago', 'ORD'],
  ['San Francisco', 'SFO'],
  ['Boston', 'BOS'],
  ['Denver', 'DEN'],
  ['Atlanta', 'ATL'],
  ['London', 'LHR'],
  ['Paris', 'CDG'],
  ['Frankfurt', 'FRA'],
  ['Amsterdam', 'AMS'],
  ['Madrid', 'MAD'],
  ['Tokyo', 'HND'],
  ['Singapore', 'SIN'],
  ['Sydney', 'SYD'],
  ['Toronto', 'YYZ'],
]

/** The cheap part of a trip (everything filters look at), computed without faker. */
export interface TripCore {
  readonly index: number
  /** Index of the traveller (the trip's owner) in the company. */
  readonly owner: number
  readonly startMs: number
  readonly endMs: number
  readonly createdMs: number
  readonly modifiedMs: number
  readonly canceled: boolean
  readonly virtual: boolean
  readonly guest: boolean
  /** Bit set of `TRIP_KIND_BITS`. */
  readonly kinds: number
  readonly from: number
  readonly to: number
}

/** Number of trips of a company: one for every two expense reports (at least one). */
export function tripCount(company: Pick<MockCompany, 'size'>): number {
  return Math.max(1, Math.ceil(company.size / 2))
}

/** Trip *i* of a company, cheap fields only. Trip *i* belongs to user `i mod userCount`. */
export function tripCore(key: number, company: Pick<MockCompany, 'userCount'>, index: number): TripCore {
  const h = mix32(key, index)
  const g = mix32(key, index, 1)
  const startMs = LEGACY_EPOCH_MS - 400 * DAY_MS + (h % 900) * DAY_MS + (7 + (g % 4)) * 3_600_000
  const nights = 1 + ((h >>> 10) % 6)
  const endMs = startMs + nights * DAY_MS + (8 + ((g >>> 4) % 10)) * 3_600_000
  const createdMs = startMs - (3 + ((g >>> 8) % 60)) * DAY_MS + ((g >>> 14) % 86_400) * 1000
  const modifiedMs = createdMs + ((h >>> 16) % 10) * DAY_MS + ((h >>> 20) % 3600) * 1000
  let kinds = [1 | 4, 1 | 2 | 4, 2 | 4, 8 | 4, 1, 1 | 4 | 16, 2 | 32, 8 | 64][(g >>> 24) % 8]!
  if (kinds === 0) kinds = 1
  const from = h % CITIES.length
  const to = (from + 1 + ((g >>> 18) % (CITIES.length - 1))) % CITIES.length
  return {
    index,
    owner: index % company.userCount,
    startMs,
    endMs,
    createdMs,
    modifiedMs,
    canceled: g % 11 === 0,
    virtual: h % 17 === 3,
    guest: g % 13 === 5,
    kinds,
    from,
    to,
  }
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** The opaque trip id (33 characters, like Concur's) of trip *i*; it encodes *i* in its last 7. */
export function tripId(seed: number, companyId: string, index: number): string {
  const hex = hashHex(seed, companyId, 'trip', index)
  let head = ''
  // Byte i of the hash (hex digits 2i, 2i+1) picks character i; read from the digits' char codes.
  for (let i = 0; i < 26; i++)
    head += B62[(HEX_VALUE[hex.charCodeAt(i * 2)]! * 16 + HEX_VALUE[hex.charCodeAt(i * 2 + 1)]!) % 62]
  return head + index.toString(36).padStart(7, '0')
}

/** The value of a hexadecimal digit by its char code (either case). */
const HEX_VALUE = (() => {
  const t = new Uint8Array(128)
  for (let d = 0; d < 16; d++) {
    t[d.toString(16).charCodeAt(0)] = d
    t[d.toString(16).toUpperCase().charCodeAt(0)] = d
  }
  return t
})()

/** The index of a trip id of this company, or `undefined` when it is not one. */
export function tripIndexOf(
  seed: number,
  company: Pick<MockCompany, 'id' | 'size'>,
  id: string,
): number | undefined {
  if (!/^[0-9A-Za-z]{33}$/.test(id)) return undefined
  const index = Number.parseInt(id.slice(26), 36)
  if (!Number.isSafeInteger(index) || index < 0 || index >= tripCount(company)) return undefined
  return tripId(seed, company.id, index) === id ? index : undefined
}

/** The trip's name as Concur shows it (`Trip from Baltimore to New York`). */
export function tripName(core: TripCore): string {
  return `Trip from ${CITIES[core.from]![0]} to ${CITIES[core.to]![0]}`
}

/** The key of the trips of a company. */
export function tripsKey(seed: number, company: Pick<MockCompany, 'id'>): number {
  return resourceKey(seed, company.id, 'travel-itineraries')
}

let lastDataset: Dataset | undefined

/** `datasetOf`, remembering the last one (a page asks for it once per trip). */
function datasetFor(seed: number, company: MockCompany): Dataset {
  const ds = lastDataset
  if (ds !== undefined && ds.seed === seed && ds.company === company && ds.reports === company.size) return ds
  lastDataset = datasetOf(seed, company)
  return lastDataset
}

/**
 * A trip summary (`ItineraryInfo`) in Concur's element order. The traveller's login comes from the
 * dataset's kept user names (`userNameOf`: one hash per user not yet seen, none after), not from a
 * whole user record.
 */
export function itineraryInfo(
  seed: number,
  company: MockCompany,
  core: TripCore,
  options: { baseUrl: string; withStatus: boolean; withLogin: boolean },
): ItineraryInfo {
  const id = tripId(seed, company.id, core.index)
  // Assigned in element order (insertion order is the XML order); optional elements in their place.
  const info: ItineraryInfo = { TripId: id, TripName: tripName(core) } as ItineraryInfo
  if (options.withStatus) info.TripStatus = core.canceled ? 'Canceled' : 'Active'
  info.StartDateLocal = isoSeconds(core.startMs)
  info.EndDateLocal = isoSeconds(core.endMs)
  if (options.withLogin) info.UserLoginId = userNameOf(datasetFor(seed, company), core.owner).loginId
  info.DateModifiedUtc = isoSeconds(core.modifiedMs)
  info.id = `${options.baseUrl}${tripPath(id)}`
  return info
}

const AIRLINES = ['AA', 'UA', 'DL', 'BA', 'LH', 'AF', 'KL', 'NH']
const RAIL = ['AMTRAK', 'EUROSTAR', 'DB', 'SNCF']
const money = (n: number) => n.toFixed(4)

/**
 * A trip's details (`<Itinerary>` of `GET /api/travel/trip/v1.1/{tripId}`), element order as in
 * Concur's sample: header, then one `Booking` per booked kind with its `Segments`.
 */
export function itinerary(
  seed: number,
  company: Pick<MockCompany, 'id' | 'domain'>,
  core: TripCore,
  baseUrl: string,
): Record<string, unknown> {
  const id = tripId(seed, company.id, core.index)
  const owner = userAt(seed, company, core.owner)
  faker.seed(mix32(tripsKey(seed, company), core.index, 7))
  const traveller = core.guest
    ? { NameFirst: faker.person.firstName(), NameLast: faker.person.lastName() }
    : { NameFirst: owner.firstName, NameLast: owner.lastName }
  const [fromName, fromCode] = CITIES[core.from]!
  const [, toCode] = CITIES[core.to]!
  const modified = isoSeconds(core.modifiedMs)
  const booked = isoSeconds(core.createdMs)
  const start = isoSeconds(core.startMs)
  const end = isoSeconds(core.endMs)
  const nights = Math.max(1, Math.round((core.endMs - core.startMs) / DAY_MS))
  const status = core.canceled ? 'XX' : 'HK'
  const bookings: Record<string, unknown>[] = []
  const booking = (
    kind: string,
    segment: Record<string, unknown>,
    source: string,
    itinSource: string,
    originalLocator?: string,
  ) => {
    bookings.push({
      Segments: { [kind]: segment },
      Passengers: { Passenger: [traveller] },
      RecordLocator: faker.string.alphanumeric({ length: 10, casing: 'upper' }),
      BookingSource: source,
      DateModifiedUtc: modified,
      DateBookedLocal: booked,
      ...(originalLocator === undefined ? {} : { OriginalItinLocator: originalLocator }),
      ItinSourceName: itinSource,
      PassengerCount: '1',
    })
  }
  const confirmation = () => faker.string.alphanumeric({ length: 10, casing: 'upper' })
  if (core.kinds & TRIP_KIND_BITS.Air) {
    const airline = AIRLINES[core.index % AIRLINES.length]!
    booking(
      'Air',
      {
        Vendor: airline,
        Status: status,
        StartDateLocal: start,
        EndDateLocal: isoSeconds(core.startMs + (2 + (core.index % 9)) * 3_600_000),
        ConfirmationNumber: confirmation(),
        DateModifiedUtc: modified,
        StartCityCode: fromCode,
        EndCityCode: toCode,
        FlightNumber: String(100 + (core.index % 9000)),
        ClassOfService: 'Y',
        Cabin: 'Economy',
      },
      'ConcurTravel',
      'ConcurTravel',
    )
  }
  if (core.kinds & TRIP_KIND_BITS.Rail) {
    booking(
      'Rail',
      {
        Vendor: RAIL[core.index % RAIL.length]!,
        Status: status,
        StartDateLocal: start,
        EndDateLocal: isoSeconds(core.startMs + (1 + (core.index % 5)) * 3_600_000),
        ConfirmationNumber: confirmation(),
        DateModifiedUtc: modified,
        StartCityCode: fromCode,
        EndCityCode: toCode,
        TrainNumber: String(1000 + (core.index % 8000)),
        Cabin: 'Standard',
      },
      'ConcurRail',
      'ConcurTravel',
    )
  }
  if (core.kinds & TRIP_KIND_BITS.Car) {
    const rate = 30 + (core.index % 70)
    booking(
      'Car',
      {
        Vendor: 'ZE',
        Status: status,
        StartDateLocal: start,
        EndDateLocal: end,
        ConfirmationNumber: confirmation(),
        DateModifiedUtc: modified,
        StartCityCode: toCode,
        EndCityCode: toCode,
        StartLocation: toCode,
        EndLocation: toCode,
        Class: 'E',
        Body: 'C',
        Transmission: 'A',
        AirCondition: 'R',
        NumCars: '1',
        DiscountCode: String(100000 + (core.index % 900000)),
        DailyRate: money(rate),
        TotalRate: money(rate * nights),
        RateType: 'D',
        Currency: 'USD',
        Charges: {
          Fixed: [
            {
              Description: 'Dropoff Fee',
              Currency: 'USD',
              Amount: money(0),
              IsPrimary: 'false',
              SemanticsCode: 'DROPOFFFEE',
              SemanticsVendorType: 'C',
            },
          ],
          RateWithAllowance: [
            {
              Currency: 'USD',
              Amount: money(rate),
              StartDateLocal: start,
              IsPrimary: 'true',
              SemanticsCode: 'DAYS',
              SemanticsVendorType: 'C',
              PerUnit: 'DAY',
              NumUnits: money(nights),
              AllowanceNumUnits: money(250),
              AllowanceAmount: money(0.24),
              AllowanceIsUnlimited: 'false',
            },
          ],
        },
      },
      'ConcurCars',
      'TravelSupplier',
    )
  }
  if (core.kinds & TRIP_KIND_BITS.Hotel) {
    const rate = 90 + (core.index % 250) + 0.35
    booking(
      'Hotel',
      {
        Vendor: 'CQ',
        Status: core.canceled ? 'XX' : 'GK',
        StartDateLocal: start,
        EndDateLocal: end,
        ConfirmationNumber: faker.string.numeric(10),
        DateModifiedUtc: modified,
        RateCode: 'LV4',
        Name: `${faker.company.name().toUpperCase()} HOTEL`,
        HotelPropertyId: faker.string.alpha({ length: 4, casing: 'upper' }),
        CheckinTime: '15:00',
        CheckoutTime: '11:00',
        NumPersons: '1',
        NumRooms: '1',
        CancellationPolicy: 'Cxl 1 day prior to Arrival',
        DailyRate: money(rate),
        Currency: 'USD',
        RoomDescription: '1 KING BED ROOM',
        Charges: {
          Rate: [
            {
              Currency: 'USD',
              Amount: money(rate),
              StartDateLocal: start,
              IsPrimary: 'false',
              SemanticsCode: 'ROOMRATE',
              SemanticsVendorType: 'H',
              PerUnit: 'DAY',
              NumUnits: money(nights),
            },
          ],
        },
      },
      'ConcurHotel',
      'ConcurTravel',
      faker.string.numeric(8),
    )
  }
  for (const kind of ['Dining', 'Parking', 'Ride'] as const) {
    if (!(core.kinds & TRIP_KIND_BITS[kind])) continue
    booking(
      kind,
      {
        Vendor: faker.company.name(),
        Status: status,
        StartDateLocal: start,
        EndDateLocal: end,
        ConfirmationNumber: confirmation(),
        DateModifiedUtc: modified,
        Currency: 'USD',
        TotalRate: decimal8(10 + (core.index % 90)).slice(0, -4),
      },
      `Concur${kind}`,
      'TravelSupplier',
    )
  }
  return {
    id: `${baseUrl}${tripPath(id)}`,
    ItinLocator: id,
    ClientLocator: `KK-CNQ-${faker.string.alphanumeric({ length: 5, casing: 'upper' })}-${faker.string.alphanumeric({ length: 3, casing: 'upper' })}`,
    ItinSourceName: core.virtual ? 'TripIt' : 'ConcurTravel',
    TripName: `Trip from ${fromName} to ${CITIES[core.to]![0]}`,
    Comments: '',
    StartDateLocal: start,
    EndDateLocal: end,
    DateModifiedUtc: modified,
    BookedVia: 'EveryGDS',
    BookedByFirstName: owner.firstName,
    BookedByLastName: owner.lastName,
    DateBookedLocal: booked,
    Bookings: { Booking: bookings },
  }
}
