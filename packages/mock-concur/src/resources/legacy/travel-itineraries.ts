import { itineraryInfo } from '../../dataset/legacy/trips.js'
import type { RowProvider } from '../row-provider.js'
import { ownerFilter, xmlRowRoutes } from './rows-kit.js'
import { selectTrips, tripHooks, tripSelectionFrom } from './trips.js'

/**
 * Trips v1.1 (`travel-itineraries`): the list and item hooks in `trips.ts`, mounted at the row's paths. The manifest reads the list parameters
 * without Concur's default window, so no filter = all trips; canceled trips are included (and
 * `TripStatus` shown) unless `includeCanceledTrips=false`, as the registry's complete query reads them.
 */
export const travelItineraries: RowProvider = {
  names: ['travel-itineraries'],
  routes: (ctx) => xmlRowRoutes(ctx, { 'travel-itineraries': tripHooks(ctx) }),
  *records({ state, company, filters }) {
    const seed = state.options.seed
    const q = new Map(Object.entries(filters))
    const owner = ownerFilter(state, company, filters, 'userid_value')
    q.delete('userid_value')
    q.delete('userid_type')
    const sel = tripSelectionFrom(q, owner, undefined)
    const baseUrl = state.baseUrl(company.datacenter)
    const withStatus = filters.includeCanceledTrips?.toLowerCase() !== 'false'
    for (const t of selectTrips(seed, company, sel)) {
      yield itineraryInfo(seed, company, t, { baseUrl, withStatus, withLogin: true })
    }
  },
}
