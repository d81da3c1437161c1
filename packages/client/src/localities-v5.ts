import {
  LocalitiesV5AdminRegion,
  LocalitiesV5AdminRegions,
  LocalitiesV5Countries,
  LocalitiesV5Country,
  LocalitiesV5Location,
  LocalitiesV5Locations,
  LocalitiesV5Subdivision,
  LocalitiesV5Subdivisions,
} from '@concurkit/contract'
import type { z } from 'zod'
import { invalidArgument } from './errors.js'
import type { RawResponse, Transport } from './http.js'
import { parseJson, validateItem } from './parse.js'

/** How `locations()` finds places: exactly one key; the narrowing fields only with `searchText`. */
export type LocalitiesV5LocationQuery =
  | { readonly locCode: string }
  | { readonly locationNameKey: string | number }
  | { readonly locationNameId: string }
  | {
      readonly searchText: string
      readonly adminRegionId?: string
      readonly countryCode?: string
      readonly subdivisionCode?: string
    }

/**
 * Localities v5 (`/localities/v5`, no paging): countries, subdivisions, administrative regions and
 * locations (found by exactly one key).
 *
 * @example
 * const [munich] = await client.localitiesV5.locations({ locCode: 'DEMUC' })
 * const regions = await client.localitiesV5.adminRegions('US', 'US-TX')
 */
export interface LocalitiesV5Client {
  countries(options?: { signal?: AbortSignal }): Promise<LocalitiesV5Country[]>
  country(code: string, options?: { signal?: AbortSignal }): Promise<LocalitiesV5Country>
  subdivisions(countryCode: string, options?: { signal?: AbortSignal }): Promise<LocalitiesV5Subdivision[]>
  subdivision(code: string, options?: { signal?: AbortSignal }): Promise<LocalitiesV5Subdivision>
  adminRegions(
    countryCode: string,
    subdivisionCode?: string,
    options?: { signal?: AbortSignal },
  ): Promise<LocalitiesV5AdminRegion[]>
  adminRegion(id: string, options?: { signal?: AbortSignal }): Promise<LocalitiesV5AdminRegion>
  locations(
    query: LocalitiesV5LocationQuery,
    options?: { signal?: AbortSignal },
  ): Promise<LocalitiesV5Location[]>
  location(id: string, options?: { signal?: AbortSignal }): Promise<LocalitiesV5Location>
}

const KEYS = ['locCode', 'locationNameKey', 'locationNameId', 'searchText'] as const

/** The Localities v5 accessor over a client's transport. */
export function localitiesV5Client(transport: Transport): LocalitiesV5Client {
  const get = <T>(
    path: string,
    schema: z.ZodType<T>,
    where: string,
    signal: AbortSignal | undefined,
    query?: Record<string, string | undefined>,
  ) =>
    transport.send(
      {
        url: `/localities/v5/${path}`,
        ...(query ? { query } : {}),
        accept: 'application/json',
        ...(signal ? { signal } : {}),
      },
      (res: RawResponse) => validateItem(schema, parseJson(res.body), where),
    )
  const nonEmpty = (s: string, what: string) => {
    if (typeof s !== 'string' || s === '') invalidArgument(`${what} must be a non-empty string`)
    return s
  }
  const seg = (s: string, what: string) => encodeURIComponent(nonEmpty(s, what))
  return {
    countries: async (o = {}) =>
      (await get('countries', LocalitiesV5Countries, 'countries', o.signal)).countries,
    country: (code, o = {}) =>
      get(`countries/${seg(code, 'code')}`, LocalitiesV5Country, 'country', o.signal),
    subdivisions: async (countryCode, o = {}) =>
      (
        await get('subdivisions', LocalitiesV5Subdivisions, 'subdivisions', o.signal, {
          countryCode: nonEmpty(countryCode, 'countryCode'),
        })
      ).subdivisions,
    subdivision: (code, o = {}) =>
      get(`subdivisions/${seg(code, 'code')}`, LocalitiesV5Subdivision, 'subdivision', o.signal),
    adminRegions: async (countryCode, subdivisionCode, o = {}) =>
      (
        await get('adminRegions', LocalitiesV5AdminRegions, 'admin regions', o.signal, {
          countryCode: nonEmpty(countryCode, 'countryCode'),
          subdivisionCode,
        })
      ).adminRegions,
    adminRegion: (id, o = {}) =>
      get(`adminRegions/${seg(id, 'id')}`, LocalitiesV5AdminRegion, 'admin region', o.signal),
    locations: async (query, o = {}) => {
      const given = KEYS.filter((k) => (query as Record<string, unknown>)[k] !== undefined)
      if (given.length !== 1) invalidArgument(`locations() takes exactly one of ${KEYS.join(', ')}`)
      const params = Object.fromEntries(
        Object.entries(query).map(([k, v]) => [k, v === undefined ? undefined : String(v)]),
      )
      return (await get('locations', LocalitiesV5Locations, 'locations', o.signal, params)).locations
    },
    location: (id, o = {}) => get(`locations/${seg(id, 'id')}`, LocalitiesV5Location, 'location', o.signal),
  }
}
