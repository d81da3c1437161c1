import { expectWebServiceError } from '../oauth.js'
import { type CheckDefinition, expect, pass } from '../types.js'

const G = 'errors'
const REPORTS = '/api/v3.0/expense/reports'

/** A check that one bad reports request is refused with `status` and the v3 error body. */
function refusedWith(c: {
  id: string
  title: string
  reference: string
  params?: string[]
  /** What follows the reports path: a query or an id. */
  query: string
  status: number
  what: string
  passed: string
}): CheckDefinition {
  return {
    id: c.id,
    title: c.title,
    reference: c.reference,
    group: G,
    ...(c.params ? { params: c.params } : {}),
    async run(t) {
      const s = await t.session()
      const res = await t.wire.request({
        url: `${s.geolocation}${REPORTS}${c.query}`,
        token: s.accessToken,
        accept: 'application/json',
      })
      expectWebServiceError(res, c.status, c.what)
      return pass(c.passed)
    },
  }
}

/** Error bodies for missing/bad tokens and bad parameters, and the correlation id header. */
export function errorChecks(): CheckDefinition[] {
  return [
    {
      id: 'errors.missing-token',
      title: "a call without Authorization is refused with 401 and Concur's error body",
      reference: 'E',
      group: G,
      async run(t) {
        const s = await t.session()
        const res = await t.wire.request({
          url: `${s.geolocation}${REPORTS}?limit=1`,
          accept: 'application/json',
        })
        expectWebServiceError(res, 401, 'no Authorization header')
        return pass('401 {"Error": {Message, Server-Time, Id}}')
      },
    },
    {
      id: 'errors.bad-token',
      title: "a malformed bearer token is refused with 403 and Concur's error body",
      reference: 'E',
      group: G,
      async run(t) {
        const s = await t.session()
        const res = await t.wire.request({
          url: `${s.geolocation}${REPORTS}?limit=1`,
          token: 'not-a-valid-token',
          accept: 'application/json',
        })
        expectWebServiceError(res, [401, 403], 'a malformed token')
        return pass(`${res.status} with the v3 error body`)
      },
    },
    {
      id: 'errors.tampered-token',
      title: 'a token with a forged signature is refused',
      reference: 'E, A.6',
      group: G,
      async run(t) {
        const s = await t.session()
        const parts = s.accessToken.split('.')
        expect(parts.length === 3, 'the access token is not a JWT (nothing to tamper with)')
        const sig = parts[2]!
        const forged = `${parts[0]}.${parts[1]}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`
        const res = await t.wire.request({
          url: `${s.geolocation}${REPORTS}?limit=1`,
          token: forged,
          accept: 'application/json',
        })
        expectWebServiceError(res, [401, 403], 'a forged signature')
        return pass(`${res.status} for a forged signature`)
      },
    },
    refusedWith({
      id: 'errors.bad-limit',
      title: "a non-numeric limit is refused with 400 and Concur's error body",
      reference: 'C.0, E',
      params: ['limit'],
      query: '?limit=abc',
      status: 400,
      what: 'limit=abc',
      passed: '400 with the v3 error body',
    }),
    refusedWith({
      id: 'errors.limit-out-of-range',
      title: "a limit above the documented maximum (101) is refused with 400 and Concur's error body",
      reference: 'C.0, E',
      params: ['limit'],
      query: '?limit=101',
      status: 400,
      what: 'limit=101',
      passed: '400 with the v3 error body',
    }),
    refusedWith({
      id: 'errors.limit-zero',
      title: 'limit=0 is refused with 400',
      reference: 'C.0, E',
      params: ['limit'],
      query: '?limit=0',
      status: 400,
      what: 'limit=0',
      passed: '400 with the v3 error body',
    }),
    refusedWith({
      id: 'errors.bad-offset',
      title: 'a garbage offset is refused with 400',
      reference: 'C.0, E',
      params: ['offset'],
      query: '?offset=error',
      status: 400,
      what: 'offset=error',
      passed: '400 with the v3 error body',
    }),
    refusedWith({
      id: 'errors.bad-filter-value',
      title: 'a malformed filter value (bad boolean) is refused with 400',
      reference: 'C.1, E',
      query: '?hasImages=perhaps',
      status: 400,
      what: 'hasImages=perhaps',
      passed: '400 with the v3 error body',
    }),
    refusedWith({
      id: 'errors.unknown-id',
      title: 'GET of an unknown id answers 404 with the v3 error body',
      reference: 'C.0, E',
      query: '/NOSUCHREPORT0000000000000000000',
      status: 404,
      what: 'an unknown report id',
      passed: '404 with the v3 error body',
    }),
    {
      id: 'errors.xml-body',
      title: 'errors come as XML when the caller accepts XML',
      reference: 'C.0, E',
      group: G,
      async run(t) {
        const s = await t.session()
        const res = await t.wire.request({
          url: `${s.geolocation}${REPORTS}?limit=abc`,
          token: s.accessToken,
          accept: 'application/xml',
        })
        expect(res.status === 400, `limit=abc with Accept XML answered ${res.status}`)
        expect(res.contentType.includes('xml'), `content type ${res.contentType}`)
        expectWebServiceError(res, 400, 'limit=abc (XML)')
        return pass('400 <Error><Message>…')
      },
    },
    {
      id: 'errors.correlation-id',
      title: 'every response carries concur-correlationid',
      reference: '0',
      group: G,
      async run(t) {
        const s = await t.session()
        const urls = [`${s.geolocation}${REPORTS}?limit=1`, `${s.geolocation}/oauth2/v0/jwks`]
        for (const url of urls) {
          const res = await t.wire.request({ url, token: s.accessToken, accept: 'application/json' })
          expect(
            res.headers.get('concur-correlationid'),
            `${new URL(url).pathname} lacks concur-correlationid`,
          )
        }
        const missing = await t.wire.request({ url: `${s.geolocation}${REPORTS}?limit=1` })
        expect(missing.headers.get('concur-correlationid'), 'the 401 answer lacks concur-correlationid')
        return pass('present on 200 and 401 answers')
      },
    },
  ]
}
