import { z } from 'zod'
import { XmlDateTime, XmlText } from './fields.js'

/** Namespace of the Trips v1.1 API. */
export const TRIP_NAMESPACE = 'http://www.concursolutions.com/api/travel/trip/2010/06'

/** `bookingType` values of `GET /api/travel/trip/v1.1/`. */
export const TRIP_BOOKING_TYPES = ['Air', 'Car', 'Dining', 'Hotel', 'Parking', 'Rail', 'Ride'] as const

/** `TripStatus` values (shown with `includeCanceledTrips=true`; the mock's set, UNVERIFIED names). */
export const TRIP_STATUSES = ['Active', 'Canceled'] as const

/**
 * One trip summary (`<ItineraryInfo>` of `ItineraryInfoList`). `UserLoginId` is present for admin
 * callers; `TripStatus` only with `includeCanceledTrips=true`.
 *
 * @example
 * ItineraryInfo.shape.TripId.parse('naIzQJ0y2DBWjCIQOb2SHTsozwBsHDkdP')
 */
export const ItineraryInfo = z.looseObject({
  TripId: XmlText,
  TripName: XmlText,
  TripStatus: z.enum(TRIP_STATUSES).optional(),
  StartDateLocal: XmlDateTime,
  EndDateLocal: XmlDateTime,
  UserLoginId: XmlText.optional(),
  DateModifiedUtc: XmlDateTime,
  id: z.string().url(),
})
export type ItineraryInfo = z.infer<typeof ItineraryInfo>

/** `<Passenger>` of a booking. */
export const TripPassenger = z.looseObject({ NameFirst: XmlText, NameLast: XmlText })

/** One segment of a booking (`<Car>`, `<Hotel>`, `<Air>` ...): common fields; the rest vary by kind. */
export const TripSegment = z.looseObject({
  Vendor: XmlText,
  Status: XmlText,
  StartDateLocal: XmlDateTime,
  EndDateLocal: XmlDateTime,
  ConfirmationNumber: XmlText,
  DateModifiedUtc: XmlDateTime,
})

/** `<Booking>` of an itinerary. */
export const TripBooking = z.looseObject({
  Segments: z.record(z.string(), z.array(TripSegment)),
  Passengers: z.looseObject({ Passenger: z.array(TripPassenger) }),
  RecordLocator: XmlText,
  BookingSource: XmlText,
  DateModifiedUtc: XmlDateTime,
  DateBookedLocal: XmlDateTime,
  ItinSourceName: XmlText,
  PassengerCount: z.string().regex(/^\d+$/),
})

/**
 * A trip's details: `GET /api/travel/trip/v1.1/{tripId}` → `<Itinerary>`.
 *
 * @example
 * Itinerary.shape.ItinLocator.parse('CNQR1234567890')
 */
export const Itinerary = z.looseObject({
  id: z.string().url(),
  ItinLocator: XmlText,
  ClientLocator: XmlText,
  ItinSourceName: XmlText,
  TripName: XmlText,
  Comments: XmlText,
  StartDateLocal: XmlDateTime,
  EndDateLocal: XmlDateTime,
  DateModifiedUtc: XmlDateTime,
  BookedVia: XmlText,
  BookedByFirstName: XmlText,
  BookedByLastName: XmlText,
  DateBookedLocal: XmlDateTime,
  Bookings: z.looseObject({ Booking: z.array(TripBooking) }),
})
export type Itinerary = z.infer<typeof Itinerary>
