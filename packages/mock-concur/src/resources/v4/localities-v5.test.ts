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
import { beforeEach, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../../mock.js'
import { call, issueToken, walk } from '../v3-testing.js'

let mock: MockConcur
let company: string
let user: string

beforeEach(async () => {
  mock = createMockConcur({ seed: 5, size: 20, companies: 1, datacenters: ['us'] })
  company = await issueToken(mock, { user: 'company' })
  user = await issueToken(mock, { user: 2 })
})

async function json(res: Response, status = 200): Promise<unknown> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return JSON.parse(text)
}
const get = (path: string, token = company, status = 200) =>
  call(mock, path, token).then((r) => json(r, status))

describe('Localities v5 on the places v3.0 locations serve', () => {
  it('every v3.0 location is found by its code and by id with the same name, country, subdivision and coordinates', async () => {
    const v3 = (await walk(mock, '/api/v3.0/common/locations?limit=100', company)).items
    expect(v3.length).toBe(240)
    for (const [i, loc] of v3.entries()) {
      if (i % 7 !== 0) continue // a spread sample keeps this fast
      const search = LocalitiesV5Locations.parse(
        await get(
          `/localities/v5/locations?searchText=${encodeURIComponent(String(loc.Name).split(', ')[0]!)}`,
        ),
      )
      const hit = search.locations.find((l) => l.legacyKey === i + 1)
      expect(hit, String(loc.Name)).toBeDefined()
      expect(hit!.country.code).toBe(loc.Country)
      expect(hit!.subDivision?.code ?? null).toBe(loc.CountrySubdivision)
      expect(hit!.point).toEqual({ latitude: loc.Latitude, longitude: loc.Longitude })
      const byCode = LocalitiesV5Locations.parse(await get(`/localities/v5/locations?locCode=${hit!.code}`))
      expect(byCode.locations.map((l) => l.id)).toEqual([hit!.id])
      const byId = LocalitiesV5Location.parse(await get(`/localities/v5/locations/${hit!.id}`, user))
      expect(byId).toEqual(hit)
      const byNameKey = LocalitiesV5Locations.parse(
        await get(`/localities/v5/locations?locationNameKey=${hit!.names[0]!.legacyKey}`),
      )
      expect(byNameKey.locations.map((l) => l.id)).toEqual([hit!.id])
    }
  })

  it('countries, subdivisions and administrative regions link to each other', async () => {
    const countries = LocalitiesV5Countries.parse(await get('/localities/v5/countries')).countries
    expect(countries.map((c) => c.code)).toContain('US')
    const us = LocalitiesV5Country.parse(await get('/localities/v5/countries/us'))
    expect(us).toMatchObject({ code: 'US', numCode: 840, alpha3Code: 'USA', distanceUnitCode: 'MILE' })
    const subs = LocalitiesV5Subdivisions.parse(
      await get('/localities/v5/subdivisions?countryCode=US'),
    ).subdivisions
    expect(subs.map((s) => s.code)).toContain('US-WA')
    const wa = LocalitiesV5Subdivision.parse(await get('/localities/v5/subdivisions/US-WA'))
    expect(wa.links.find((l) => l.rel === 'country')?.href).toMatch(/\/localities\/v5\/countries\/US$/)
    const regions = LocalitiesV5AdminRegions.parse(
      await get('/localities/v5/adminRegions?countryCode=US&subdivisionCode=US-WA'),
    ).adminRegions
    expect(regions.length).toBeGreaterThan(0)
    expect(regions.every((r) => r.subDivision?.code === 'US-WA')).toBe(true)
    const one = LocalitiesV5AdminRegion.parse(await get(`/localities/v5/adminRegions/${regions[0]!.id}`))
    expect(one).toEqual(regions[0])
    const narrowed = LocalitiesV5Locations.parse(
      await get(`/localities/v5/locations?searchText=e&adminRegionId=${one.id}`),
    ).locations
    expect(narrowed.length).toBeGreaterThan(0)
    expect(narrowed.every((l) => l.administrativeRegion?.id === one.id)).toBe(true)
  })

  it('is where the deprecated v3.0 locations point (x-api-warn names /localities/v5/locations)', async () => {
    const v3 = await call(mock, '/api/v3.0/common/locations?limit=1', company)
    expect(v3.headers.get('x-api-warn')).toContain("use '/localities/v5/locations'")
    const hit = LocalitiesV5Locations.parse(
      await get('/localities/v5/locations?searchText=Seattle'),
    ).locations
    expect(hit.map((l) => l.code)).toContain('USSEA')
  })

  it('requires exactly one key of /locations and keeps the narrowing parameters to searchText', async () => {
    await get('/localities/v5/locations', company, 400)
    await get('/localities/v5/locations?locCode=USSEA&searchText=Sea', company, 400)
    await get('/localities/v5/locations?locCode=USSEA&countryCode=US', company, 400)
    await get('/localities/v5/locations?searchText=', company, 400)
    await get('/localities/v5/subdivisions', company, 400)
    await get('/localities/v5/countries/XX', company, 404)
    await get('/localities/v5/locations/nope', company, 404)
    const body = (await get('/localities/v5/locations?zip=1', company, 400)) as Record<string, unknown>
    expect(body).toMatchObject({ httpStatus: '400', path: '/localities/v5/locations' })
    await get('/localities/v5/countries', await issueToken(mock, { user: 2, scopes: ['EXPRPT'] }), 403)
  })
})
