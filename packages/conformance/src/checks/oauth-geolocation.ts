import { expectOAuthError, expectTokenResponse, expectWebServiceError, tokenRequest } from '../oauth.js'
import { type CheckDefinition, expect, pass, skip } from '../types.js'
import { appOf, company, main, otherDatacenter, unknownDatacenters, userOf } from './oauth-fixtures.js'

const G = 'oauth'

/** Geolocation: the token names where the principal lives, other datacenters refuse it. */
export function geolocationChecks(): CheckDefinition[] {
  return [
    {
      id: 'oauth.geolocation.matches',
      title: "the token's geolocation is the company's datacenter",
      reference: 'B',
      group: G,
      async run(t) {
        const s = await t.session()
        const unknown = unknownDatacenters(t)
        if (unknown) return skip(unknown)
        if (!t.fixtures) {
          // a remote target: the geolocation must be a datacenter, and the API must answer there
          const dc = Object.entries(t.datacenters).find(([, url]) => url === s.geolocation)
          expect(
            dc,
            `geolocation ${s.geolocation} is none of the datacenters (${Object.keys(t.datacenters).join(', ')})`,
          )
          const res = await t.wire.request({
            url: `${s.geolocation}/api/v3.0/expense/reports?limit=1`,
            token: s.accessToken,
            accept: 'application/json',
          })
          expect(res.status === 200, `the API at the geolocation answered ${res.status}`)
          return pass(`geolocation ${s.geolocation} (${dc[0]}) serves the API for this token`)
        }
        const c = company(t, 0)
        expect(s.geolocation === c.baseUrl, `geolocation ${s.geolocation}, company lives at ${c.baseUrl}`)
        return pass(`geolocation ${s.geolocation} (${c.datacenter})`)
      },
    },
    {
      id: 'oauth.geolocation.wrong-datacenter',
      title: 'a user who lives elsewhere gets code 16 with the geolocation to retry at',
      reference: 'A.5, B',
      group: G,
      async run(t) {
        const unknown = unknownDatacenters(t)
        if (unknown) return skip(unknown)
        if (!t.fixtures) {
          // a remote target: the credentials' user asks another datacenter for a token
          const s = await t.session()
          const elsewhere = otherDatacenter(t, s.geolocation)
          const res = await tokenRequest(t, elsewhere[1], { ...main(t), grant_type: 'password' })
          const body = expectOAuthError(
            res,
            16,
            `password grant at ${elsewhere[0]} for a user of ${s.geolocation}`,
          )
          expect(
            body.geolocation?.replace(/\/+$/, '') === s.geolocation,
            `geolocation ${body.geolocation ?? 'missing'}, expected ${s.geolocation}`,
          )
          return pass(`code 16 at ${elsewhere[0]} names ${s.geolocation}`)
        }
        const home = company(t, 0)
        const other = company(t, 1)
        expect(other.datacenter !== home.datacenter, 'both mock companies live in the same datacenter')
        const u = userOf(other, 0)
        const res = await tokenRequest(t, home.baseUrl, {
          grant_type: 'password',
          client_id: appOf(other, 0).clientId,
          client_secret: appOf(other, 0).clientSecret,
          username: u.loginId,
          password: u.password,
        })
        const body = expectOAuthError(
          res,
          16,
          `password grant for a ${other.datacenter} user at ${home.datacenter}`,
        )
        expect(
          body.geolocation?.replace(/\/+$/, '') === other.baseUrl,
          `geolocation ${body.geolocation ?? 'missing'}, expected ${other.baseUrl}`,
        )
        const retry = await tokenRequest(t, body.geolocation!, {
          grant_type: 'password',
          client_id: appOf(other, 0).clientId,
          client_secret: appOf(other, 0).clientSecret,
          username: u.loginId,
          password: u.password,
        })
        expectTokenResponse(retry, 'retry at the named geolocation', t)
        return pass(`code 16 names ${other.datacenter}; the retry there succeeds`)
      },
    },
    {
      id: 'oauth.geolocation.resource-wrong-datacenter',
      title: "a token used at another datacenter's API is refused with Concur's 403 body",
      reference: 'B, E',
      group: G,
      async run(t) {
        const unknown = unknownDatacenters(t)
        if (unknown) return skip(unknown)
        const s = await t.session()
        const other = t.fixtures ? company(t, 1).baseUrl : otherDatacenter(t, s.geolocation)[1]
        const res = await t.wire.request({
          url: `${other}/api/v3.0/expense/reports?limit=1`,
          token: s.accessToken,
          accept: 'application/json',
        })
        expectWebServiceError(res, [401, 403], 'reports at the wrong datacenter')
        return pass(`${res.status} with the {"Error": …} body`)
      },
    },
  ]
}
