import { z } from 'zod'

/**
 * Localities v5 wire shapes (`/localities/v5`, concur-api-v4 §4.4): countries, subdivisions,
 * administrative regions and locations, each as a collection envelope and as one record. No paging.
 * `GET /locations` needs exactly one of `locationNameKey`, `locationNameId`, `locCode`, `searchText`.
 *
 * @example
 * LocalitiesV5Locations.parse(await res.json()).locations[0]?.code // 'DEMUC'
 */

/** The one scope of Localities v5. */
export const LOCALITIES_V5_SCOPE = 'locality.read'
/** The key parameters of `GET /locations`: exactly one is required. */
export const LOCALITIES_V5_LOCATION_KEYS = [
  'locationNameKey',
  'locationNameId',
  'locCode',
  'searchText',
] as const
/** Parameters allowed only together with `searchText`. */
export const LOCALITIES_V5_SEARCH_NARROWING = ['adminRegionId', 'countryCode', 'subdivisionCode'] as const

/** A `links` entry. */
export const LocalitiesV5Link = z.looseObject({ rel: z.string(), href: z.string().url() })
/** A localized name. */
export const LocalitiesV5Name = z.looseObject({ name: z.string(), langCode: z.string() })

const links = z.array(LocalitiesV5Link)
const names = z.array(LocalitiesV5Name)

/** A country (list entry; the by-code answer adds `numCode`, `alpha3Code`, `distanceUnitCode`). */
export const LocalitiesV5Country = z.looseObject({
  code: z.string().length(2),
  active: z.boolean(),
  names,
  currencies: z.array(z.looseObject({ code: z.string() })),
  links,
  numCode: z.number().int().optional(),
  alpha3Code: z.string().length(3).optional(),
  distanceUnitCode: z.string().optional(),
})
export type LocalitiesV5Country = z.infer<typeof LocalitiesV5Country>
export const LocalitiesV5Countries = z.looseObject({ countries: z.array(LocalitiesV5Country) })

/** A country subdivision (`AU-QLD`). */
export const LocalitiesV5Subdivision = z.looseObject({
  code: z.string(),
  active: z.boolean(),
  names,
  countryCode: z.string().length(2),
  links,
})
export type LocalitiesV5Subdivision = z.infer<typeof LocalitiesV5Subdivision>
export const LocalitiesV5Subdivisions = z.looseObject({ subdivisions: z.array(LocalitiesV5Subdivision) })

const ref = z.looseObject({ code: z.string(), names: names.optional(), links })

/** An administrative region (county, district). */
export const LocalitiesV5AdminRegion = z.looseObject({
  id: z.string(),
  active: z.boolean(),
  names,
  country: ref,
  subDivision: ref.optional(),
  links,
})
export type LocalitiesV5AdminRegion = z.infer<typeof LocalitiesV5AdminRegion>
export const LocalitiesV5AdminRegions = z.looseObject({ adminRegions: z.array(LocalitiesV5AdminRegion) })

/** A location (city, airport): `legacyKey` links it to older APIs. */
export const LocalitiesV5Location = z.looseObject({
  legacyKey: z.number().int().optional(),
  code: z.string().nullable(),
  id: z.string(),
  timeZoneOffset: z.number().int().optional(),
  active: z.boolean(),
  point: z.looseObject({ latitude: z.number(), longitude: z.number() }),
  names: z.array(LocalitiesV5Name.extend({ id: z.string().optional() })),
  administrativeRegion: z.looseObject({ id: z.string(), names, countryCode: z.string(), links }).nullish(),
  country: ref,
  subDivision: ref.nullish(),
  links,
})
export type LocalitiesV5Location = z.infer<typeof LocalitiesV5Location>
export const LocalitiesV5Locations = z.looseObject({ locations: z.array(LocalitiesV5Location) })
