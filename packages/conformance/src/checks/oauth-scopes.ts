import { expectOAuthError, expectTokenResponse, expectWebServiceError, tokenRequest } from '../oauth.js'
import { type CheckDefinition, expect, pass } from '../types.js'
import { appOf, company, userOf } from './oauth-fixtures.js'

const G = 'oauth'

/** Scopes and roles: a token never exceeds its app, and scopes are enforced. */
export function scopeChecks(): CheckDefinition[] {
  return [
    {
      id: 'oauth.scope.exceeds-app',
      title: "requesting a scope beyond the app's is refused with code 54",
      reference: 'A.5, A.7b',
      group: G,
      requires: ['fixtures'],
      unavailable: 'it needs a second app granted fewer scopes, which only the mock seeds',
      async run(t) {
        const c = company(t, 0)
        const limited = appOf(c, 1)
        const extra = ['LIST', 'USER', 'ATTEND', 'CCARD'].find((s) => !limited.scopes.includes(s)) ?? 'LIST'
        const u = userOf(c, 2)
        const res = await tokenRequest(t, c.baseUrl, {
          grant_type: 'password',
          client_id: limited.clientId,
          client_secret: limited.clientSecret,
          username: u.loginId,
          password: u.password,
          scope: `EXPRPT ${extra}`,
        })
        expectOAuthError(res, 54, `scope ${extra} on an app limited to ${limited.scopes.join(' ')}`)
        return pass(`${extra} refused for an app holding ${limited.scopes.join(' ')}`)
      },
    },
    {
      id: 'oauth.scope.enforced',
      title: "a token without a resource's scope is refused with 403",
      reference: 'A.7b, E',
      group: G,
      requires: ['fixtures'],
      unavailable: 'it needs a second app granted fewer scopes, which only the mock seeds',
      async run(t) {
        const c = company(t, 0)
        const limited = appOf(c, 1)
        const u = userOf(c, 2)
        const s = expectTokenResponse(
          await tokenRequest(t, c.baseUrl, {
            grant_type: 'password',
            client_id: limited.clientId,
            client_secret: limited.clientSecret,
            username: u.loginId,
            password: u.password,
          }),
          'password grant with the limited app',
          t,
        )
        const ok = await t.wire.request({
          url: `${s.geolocation}/api/v3.0/expense/reports?limit=1`,
          token: s.accessToken,
          accept: 'application/json',
        })
        expect(ok.status === 200, `EXPRPT read with an EXPRPT token answered ${ok.status}`)
        const res = await t.wire.request({
          url: `${s.geolocation}/api/v3.0/common/locations?limit=1`,
          token: s.accessToken,
          accept: 'application/json',
        })
        expectWebServiceError(res, 403, 'locations (LIST scope) with an EXPRPT-only token')
        return pass('EXPRPT allowed, LIST refused with 403')
      },
    },
    {
      id: 'oauth.roles.user-all',
      title: 'user=ALL is refused to ordinary users (403) and allowed to the Web Services Administrator',
      reference: 'C.0',
      group: G,
      requires: ['fixtures'],
      unavailable:
        "it needs the password of an ordinary user besides the credentials' Web Services Administrator",
      async run(t) {
        const c = company(t, 0)
        const u = userOf(c, 2)
        const plain = expectTokenResponse(
          await tokenRequest(t, c.baseUrl, {
            grant_type: 'password',
            client_id: appOf(c, 0).clientId,
            client_secret: appOf(c, 0).clientSecret,
            username: u.loginId,
            password: u.password,
          }),
          'password grant for an ordinary user',
          t,
        )
        const refused = await t.wire.request({
          url: `${plain.geolocation}/api/v3.0/expense/reports?user=ALL&limit=1`,
          token: plain.accessToken,
          accept: 'application/json',
        })
        expectWebServiceError(refused, 403, 'user=ALL as an ordinary user')
        const admin = await t.session()
        const allowed = await t.wire.request({
          url: `${admin.geolocation}/api/v3.0/expense/reports?user=ALL&limit=1`,
          token: admin.accessToken,
          accept: 'application/json',
        })
        expect(allowed.status === 200, `user=ALL as the administrator answered ${allowed.status}`)
        return pass('403 for an expense user, 200 for the Web Services Administrator')
      },
    },
  ]
}
