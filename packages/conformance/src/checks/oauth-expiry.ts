import { expectOAuthError, expectTokenResponse, expectWebServiceError, tokenRequest } from '../oauth.js'
import { type CheckDefinition, pass } from '../types.js'
import { signInFresh } from './oauth-fixtures.js'

const G = 'oauth'

/** Token lifetimes on the mock clock. */
export function expiryChecks(): CheckDefinition[] {
  return [
    {
      id: 'oauth.expiry.access-token',
      title: 'an access token is refused after one hour (mock clock) and the refresh token still works',
      reference: 'A.4, E',
      group: G,
      requires: ['clock', 'fixtures'],
      unavailable: "it moves the mock's clock by an hour; a real tenant's token would have to be an hour old",
      exclusive: true,
      async run(t) {
        const { form, tokens: s } = await signInFresh(t, 1)
        await t.admin('POST', '/_mock/clock', { advanceSeconds: 3601 })
        const res = await t.wire.request({
          url: `${s.geolocation}/api/v3.0/expense/reports?limit=1`,
          token: s.accessToken,
          accept: 'application/json',
        })
        expectWebServiceError(res, [401, 403], 'an access token older than one hour')
        expectTokenResponse(
          await tokenRequest(t, s.geolocation, {
            ...form,
            grant_type: 'refresh_token',
            refresh_token: s.refreshToken,
          }),
          'refresh after the access token expired',
          t,
        )
        return pass(`expired access token refused with ${res.status}; refresh succeeded`)
      },
    },
    {
      id: 'oauth.expiry.refresh-token',
      title: 'a refresh token is refused (code 108) after six months (mock clock)',
      reference: 'A.4',
      group: G,
      requires: ['clock', 'fixtures'],
      unavailable: "it moves the mock's clock by six months; a real refresh token would have to be that old",
      exclusive: true,
      async run(t) {
        const { form, tokens: s } = await signInFresh(t, 1)
        await t.admin('POST', '/_mock/clock', { advanceSeconds: 184 * 24 * 3600 })
        const res = await tokenRequest(t, s.geolocation, {
          ...form,
          grant_type: 'refresh_token',
          refresh_token: s.refreshToken,
        })
        expectOAuthError(res, 108, 'a refresh token older than six months')
        return pass('refused with 108 after 184 days')
      },
    },
  ]
}
