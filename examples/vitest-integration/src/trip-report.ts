import type { ConcurClient } from '@concurkit/client'

/** One traveller's line in the trip report. */
export interface TravellerTrips {
  readonly traveller: string
  readonly trips: number
  readonly firstStart: string
}

/** The trips to count: those overlapping `[from, to]` (yyyy-MM-dd). */
export interface TripWindow {
  readonly from: string
  readonly to: string
}

/**
 * The integration under test: reads the itineraries of every traveller (the signed-in user is a
 * Web Services Administrator) in a date window and counts trips per traveller — the kind of summary a
 * travel-policy job sends to managers. Without dates Concur only returns trips from 30 days ago to
 * a year ahead, so the window is explicit.
 */
export async function tripReport(client: ConcurClient, window: TripWindow): Promise<TravellerTrips[]> {
  const byTraveller = new Map<string, { trips: number; firstStart: string }>()
  // `user: 'ALL'` is the connector filter for `userid_type=login&userid_value=ALL`.
  for await (const trip of client.travelItineraries.list({
    user: 'ALL',
    startDate: window.from,
    endDate: window.to,
  })) {
    const traveller = trip.UserLoginId ?? 'unknown'
    const start = trip.StartDateLocal
    const seen = byTraveller.get(traveller)
    if (!seen) byTraveller.set(traveller, { trips: 1, firstStart: start })
    else {
      seen.trips++
      if (start < seen.firstStart) seen.firstStart = start
    }
  }
  return [...byTraveller]
    .map(([traveller, v]) => ({ traveller, ...v }))
    .sort((a, b) => b.trips - a.trips || a.traveller.localeCompare(b.traveller))
}
