import {
  LOCALITIES_V5_LOCATION_KEYS,
  LOCALITIES_V5_SCOPE,
  LOCALITIES_V5_SEARCH_NARROWING,
} from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import type { DcContext, MockEnv } from '../../context.js'
import { datasetOf } from '../../dataset/dataset.js'
import { COUNTRIES } from '../../dataset/tables.js'
import { MockConnectionReset } from '../../faults.js'
import { ConcurHttpError } from '../../http/errors.js'
import { requireToken } from '../../oauth/guard.js'
import {
  adminRegionsOf,
  countryV5,
  locationsV5,
  locationV5,
  locationV5IndexOf,
  subdivisionsOf,
} from './localities-v5-data.js'

/** An error of Localities v5: the v4 error shape `{errorId, errorMessage, httpStatus, path, timestamp}`. */
class LocalitiesHttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 500,
    message: string,
  ) {
    super(message)
  }
}

const bad = (m: string) => new LocalitiesHttpError(400, m)
const notFound = (m: string) => new LocalitiesHttpError(404, m)

/**
 * Localities v5 (`/localities/v5`, concur-api-v4 §4.4): countries, subdivisions, administrative
 * regions and locations, built from the same places v3.0 `/common/locations` serves the company.
 * Company and user tokens (`locality.read`, or the Connect `LIST` scope v3.0 locations need).
 *
 * @example
 * app.route('/', localitiesV5Routes(ctx))
 */
export function localitiesV5Routes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()

  app.onError((err, c) => {
    if (err instanceof MockConnectionReset) throw err
    let status: number
    let message: string
    if (err instanceof LocalitiesHttpError) ({ status, message } = err)
    else if (err instanceof ConcurHttpError && err.status < 500) {
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v)
      status = err.status
      message = err.concurMessage
    } else {
      status = 500
      message = 'Internal Server Error'
    }
    return c.json(
      {
        errorId: c.get('correlationId') ?? '',
        errorMessage: message,
        httpStatus: String(status),
        path: new URL(c.req.url).pathname,
        timestamp: new Date(state.clock.now()).toISOString(),
      },
      status as 400,
    )
  })

  const guard = requireToken(ctx)
  const who = (c: Context<MockEnv>, allowed: readonly string[]) => {
    const p = c.get('principal')
    const s = p.scopes as ReadonlySet<string>
    if (!s.has(LOCALITIES_V5_SCOPE) && !s.has('LIST'))
      throw new LocalitiesHttpError(403, `The access token lacks the ${LOCALITIES_V5_SCOPE} scope`)
    const url = new URL(c.req.url)
    for (const k of url.searchParams.keys()) if (!allowed.includes(k)) throw bad(`Unknown parameter ${k}`)
    return { ds: datasetOf(state.options.seed, p.company), base: url.origin, q: url.searchParams }
  }
  const countryByCode = (code: string | null | undefined) => {
    const country = COUNTRIES.find((x) => x.code === code?.toUpperCase())
    if (!country) throw notFound(`Country ${code} was not found`)
    return country
  }

  app.get('/localities/v5/countries', guard, (c) => {
    const { base } = who(c, [])
    return c.json({ countries: COUNTRIES.map((x) => countryV5(x, base, false)) }, 200)
  })
  app.get('/localities/v5/countries/:code', guard, (c) => {
    const { base } = who(c, [])
    return c.json(countryV5(countryByCode(c.req.param('code')), base, true), 200)
  })

  app.get('/localities/v5/subdivisions', guard, (c) => {
    const { base, q } = who(c, ['countryCode'])
    const code = q.get('countryCode')
    if (!code) throw bad('countryCode is required')
    return c.json({ subdivisions: subdivisionsOf(countryByCode(code), base) }, 200)
  })
  app.get('/localities/v5/subdivisions/:code', guard, (c) => {
    const { base } = who(c, [])
    const code = c.req.param('code').toUpperCase()
    const found = COUNTRIES.flatMap((x) => subdivisionsOf(x, base)).find((s) => s.code === code)
    if (!found) throw notFound(`Subdivision ${code} was not found`)
    return c.json(found, 200)
  })

  app.get('/localities/v5/adminRegions', guard, (c) => {
    const { ds, base, q } = who(c, ['countryCode', 'subdivisionCode'])
    const code = q.get('countryCode')
    if (!code) throw bad('countryCode is required')
    const sub = q.get('subdivisionCode')?.toUpperCase()
    const regions = adminRegionsOf(ds, countryByCode(code), base).filter(
      (r) => sub === undefined || r.subDivision?.code === sub,
    )
    return c.json({ adminRegions: regions }, 200)
  })
  app.get('/localities/v5/adminRegions/:id', guard, (c) => {
    const { ds, base } = who(c, [])
    const id = c.req.param('id').toLowerCase()
    const found = COUNTRIES.flatMap((x) => adminRegionsOf(ds, x, base)).find((r) => r.id === id)
    if (!found) throw notFound(`Administrative region ${id} was not found`)
    return c.json(found, 200)
  })

  app.get('/localities/v5/locations', guard, (c) => {
    const { ds, base, q } = who(c, [...LOCALITIES_V5_LOCATION_KEYS, ...LOCALITIES_V5_SEARCH_NARROWING])
    const keys = LOCALITIES_V5_LOCATION_KEYS.filter((k) => q.has(k))
    if (keys.length !== 1) throw bad(`Exactly one of ${LOCALITIES_V5_LOCATION_KEYS.join(', ')} is required`)
    const key = keys[0]!
    const value = q.get(key)!
    const narrowing = LOCALITIES_V5_SEARCH_NARROWING.filter((k) => q.has(k))
    if (narrowing.length > 0 && key !== 'searchText')
      throw bad(`${narrowing.join(', ')} may only be used with searchText`)
    if (value.trim() === '') throw bad(`${key} must not be empty`)
    const text = value.toLowerCase()
    const matches = [...locationsV5(ds, base)].filter((l) => {
      if (key === 'locCode') return l.code?.toLowerCase() === text
      if (key === 'locationNameKey') return l.names.some((n) => String(n.legacyKey) === value)
      if (key === 'locationNameId') return l.names.some((n) => n.id?.toLowerCase() === text)
      if (!l.names.some((n) => n.name.toLowerCase().includes(text))) return false
      const admin = q.get('adminRegionId')
      const country = q.get('countryCode')
      const sub = q.get('subdivisionCode')
      return (
        (admin === null || l.administrativeRegion?.id === admin.toLowerCase()) &&
        (country === null || l.country.code === country.toUpperCase()) &&
        (sub === null || l.subDivision?.code === sub.toUpperCase())
      )
    })
    return c.json({ locations: matches }, 200)
  })
  app.get('/localities/v5/locations/:id', guard, (c) => {
    const { ds, base } = who(c, [])
    const i = locationV5IndexOf(ds, c.req.param('id'))
    if (i === undefined) throw notFound('Location was not found')
    return c.json(locationV5(ds, i, base), 200)
  })

  app.all('/localities/v5/*', () => {
    throw notFound('Not Found')
  })
  return app
}
