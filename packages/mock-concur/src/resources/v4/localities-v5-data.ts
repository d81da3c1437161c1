import type {
  LocalitiesV5AdminRegion,
  LocalitiesV5Country,
  LocalitiesV5Location,
  LocalitiesV5Subdivision,
} from '@concurkit/contract'
import { locationAt } from '../../dataset/common.js'
import { type Dataset, LOCATION_COUNT } from '../../dataset/dataset.js'
import { COUNTRIES, type Country } from '../../dataset/tables.js'
import { hashHex } from '../../util/hash.js'

/** ISO 3166 numeric and alpha-3 codes of the mock's countries; miles where the country drives in miles. */
const ISO: Readonly<Record<string, { num: number; alpha3: string; unit: 'MILE' | 'KM' }>> = {
  US: { num: 840, alpha3: 'USA', unit: 'MILE' },
  CA: { num: 124, alpha3: 'CAN', unit: 'KM' },
  GB: { num: 826, alpha3: 'GBR', unit: 'MILE' },
  DE: { num: 276, alpha3: 'DEU', unit: 'KM' },
  FR: { num: 250, alpha3: 'FRA', unit: 'KM' },
  JP: { num: 392, alpha3: 'JPN', unit: 'KM' },
  AU: { num: 36, alpha3: 'AUS', unit: 'KM' },
  CH: { num: 756, alpha3: 'CHE', unit: 'KM' },
  IN: { num: 356, alpha3: 'IND', unit: 'KM' },
  MX: { num: 484, alpha3: 'MEX', unit: 'KM' },
}

const uuidFrom = (head: number, ...parts: (string | number)[]) => {
  const h = hashHex(...parts)
  return `${head.toString(16).padStart(8, '0')}-${h.slice(0, 4)}-5${h.slice(4, 7)}-a${h.slice(7, 10)}-${h.slice(10, 22)}`
}

const link = (base: string, path: string, rel = 'self') => ({ rel, href: `${base}/localities/v5/${path}` })
const en = (name: string) => [{ name, langCode: 'en' }]

/** A country of the mock (list form; `detailed` adds `numCode`, `alpha3Code`, `distanceUnitCode`). */
export function countryV5(country: Country, base: string, detailed: boolean): LocalitiesV5Country {
  const iso = ISO[country.code]
  return {
    code: country.code,
    active: true,
    ...(detailed && iso ? { numCode: iso.num, alpha3Code: iso.alpha3, distanceUnitCode: iso.unit } : {}),
    names: en(country.name.toUpperCase()),
    currencies: [{ code: country.currency }],
    links: [link(base, `countries/${country.code}`)],
  }
}

/** The subdivisions of a country: the distinct subdivisions of its cities, in table order. */
export function subdivisionsOf(country: Country, base: string): LocalitiesV5Subdivision[] {
  const seen = new Map<string, LocalitiesV5Subdivision>()
  for (const city of country.cities) {
    if (!city.subdivision || seen.has(city.subdivision)) continue
    seen.set(city.subdivision, {
      code: city.subdivision,
      active: true,
      names: en(city.region),
      countryCode: country.code,
      links: [
        link(base, `subdivisions/${city.subdivision}`),
        link(base, `countries/${country.code}`, 'country'),
      ],
    })
  }
  return [...seen.values()]
}

/** The administrative regions of a country: one per distinct region of its cities (v3.0's `AdministrativeRegion`). */
export function adminRegionsOf(ds: Dataset, country: Country, base: string): LocalitiesV5AdminRegion[] {
  const seen = new Map<string, LocalitiesV5AdminRegion>()
  for (const city of country.cities) {
    const key = `${city.subdivision ?? ''}\u001f${city.region}`
    if (seen.has(key)) continue
    const id = adminRegionId(ds, country.code, city.subdivision, city.region)
    seen.set(key, {
      id,
      active: true,
      names: en(city.region.toUpperCase()),
      country: { code: country.code, links: [link(base, `countries/${country.code}`)] },
      ...(city.subdivision
        ? { subDivision: { code: city.subdivision, links: [link(base, `subdivisions/${city.subdivision}`)] } }
        : {}),
      links: [link(base, `adminRegions/${id}`)],
    })
  }
  return [...seen.values()]
}

function adminRegionId(ds: Dataset, country: string, subdivision: string | null, region: string): string {
  return uuidFrom(0, ds.seed, ds.company.id, 'admin-region', country, subdivision ?? '', region)
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/**
 * Location *i* of a company as Localities v5 serves it: the same place as v3.0 location *i*
 * (name, country, subdivision, region, coordinates); `legacyKey` is *i* + 1, `code` a UN/LOCODE-style
 * code (country + the city's IATA code, or `Z` + two letters for generated towns).
 *
 * @example
 * locationV5(ds, 0, base).code // 'USSEA'
 */
export function locationV5(ds: Dataset, i: number, base: string): LocalitiesV5Location {
  const v3 = locationAt(ds, i) as Record<string, unknown> & {
    Name: string
    Country: string
    CountrySubdivision: string | null
    AdministrativeRegion: string
    IATACode: string | null
    Latitude: number
    Longitude: number
  }
  const country = COUNTRIES.find((c) => c.code === v3.Country)!
  const k = Math.floor(i / COUNTRIES.length)
  const code = v3.IATACode
    ? `${v3.Country}${v3.IATACode}`
    : `${v3.Country}Z${LETTERS[Math.floor(k / 26) % 26]}${LETTERS[k % 26]}`
  const id = uuidFrom(i, ds.seed, ds.company.id, 'locality', i)
  const cityName = v3.Name.split(', ')[0]!
  const regionId = adminRegionId(ds, v3.Country, v3.CountrySubdivision, v3.AdministrativeRegion)
  const subdivision = subdivisionsOf(country, base).find((s) => s.code === v3.CountrySubdivision)
  return {
    legacyKey: i + 1,
    code,
    id,
    timeZoneOffset: Math.round(v3.Longitude / 15) * 60,
    active: true,
    point: { latitude: v3.Latitude, longitude: v3.Longitude },
    names: [
      {
        id: uuidFrom(i, ds.seed, ds.company.id, 'locality-name', i),
        name: cityName,
        legacyKey: i + 1,
        active: true,
        langCode: 'en',
      },
    ],
    administrativeRegion: {
      id: regionId,
      names: en(v3.AdministrativeRegion.toUpperCase()),
      countryCode: v3.Country,
      ...(v3.CountrySubdivision ? { subDivCode: v3.CountrySubdivision } : {}),
      links: [link(base, `adminRegions/${regionId}`)],
    },
    country: { code: v3.Country, names: en(country.name), links: [link(base, `countries/${v3.Country}`)] },
    subDivision: subdivision
      ? {
          code: subdivision.code,
          names: subdivision.names,
          links: [link(base, `subdivisions/${subdivision.code}`)],
        }
      : null,
    links: [link(base, `locations/${id}`)],
  }
}

/** The index of a location id of this company, or undefined. */
export function locationV5IndexOf(ds: Dataset, id: string): number | undefined {
  if (!/^[0-9a-f]{8}-/i.test(id)) return undefined
  const i = Number.parseInt(id.slice(0, 8), 16)
  if (i >= LOCATION_COUNT) return undefined
  return uuidFrom(i, ds.seed, ds.company.id, 'locality', i) === id.toLowerCase() ? i : undefined
}

/** Every location of the company, in v3.0 order. */
export function* locationsV5(ds: Dataset, base: string): Generator<LocalitiesV5Location> {
  for (let i = 0; i < LOCATION_COUNT; i++) yield locationV5(ds, i, base)
}
