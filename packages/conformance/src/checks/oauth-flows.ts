import { expectOAuthError, expectTokenResponse, tokenRequest } from '../oauth.js'
import { type CheckDefinition, expect, pass } from '../types.js'
import { appOf, company, signInFresh, userOf } from './oauth-fixtures.js'

const G = 'oauth'

/** The company request token, 3-legged, revocation and OTP flows. */
export function flowChecks(): CheckDefinition[] {
  return [
    {
      id: 'oauth.company.request-token',
      title: 'a company request token (credtype=authtoken) yields a company token, reusable within 24 h',
      reference: 'A.7',
      group: G,
      requires: ['admin', 'fixtures'],
      unavailable:
        "a company request token is issued by an administrator in Concur's App Center, not through the API",
      async run(t) {
        const c = company(t, 0)
        const issued = (await t.admin('POST', `/_mock/companies/${c.id}/request-token`, {
          clientId: appOf(c, 0).clientId,
        })) as { token?: string; requestToken?: string }
        const requestToken = issued.requestToken ?? issued.token
        expect(typeof requestToken === 'string', 'the admin API returned no request token')
        t.io.redactor.add(requestToken)
        const form = {
          grant_type: 'password',
          credtype: 'authtoken',
          client_id: appOf(c, 0).clientId,
          client_secret: appOf(c, 0).clientSecret,
          username: c.id,
          password: requestToken,
        }
        const s = expectTokenResponse(
          await tokenRequest(t, c.baseUrl, form),
          'company request token grant',
          t,
        )
        expect(s.refreshToken, 'the company grant returned no refresh token')
        expectTokenResponse(
          await tokenRequest(t, c.baseUrl, form),
          'second exchange of the same request token',
          t,
        )
        const all = await t.wire.request({
          url: `${s.geolocation}/api/v3.0/expense/reports?user=ALL&limit=1`,
          token: s.accessToken,
          accept: 'application/json',
        })
        expect(all.status === 200, `a company token reading user=ALL answered ${all.status}`)
        return pass('company token issued twice from one request token; reads company-wide data')
      },
    },
    {
      id: 'oauth.authorization-code.grant',
      title: 'authorize redirects with code, state and geolocation; the code is exchanged once',
      reference: 'A.2',
      group: G,
      requires: ['fixtures'],
      unavailable: 'Concur asks a person to sign in and approve in a browser (the mock approves by itself)',
      async run(t) {
        const c = company(t, 0)
        const app = appOf(c, 0)
        const redirectUri = 'http://127.0.0.1:9/callback'
        const q = new URLSearchParams({
          client_id: app.clientId,
          redirect_uri: redirectUri,
          scope: 'EXPRPT openid',
          response_type: 'code',
          state: 'conformance-state-1',
        })
        const res = await t.wire.request({ url: `${c.baseUrl}/oauth2/v0/authorize?${q}` })
        expect(
          res.status >= 300 && res.status < 400,
          `authorize answered ${res.status} (auto-approve expected)`,
        )
        const location = res.headers.get('location')
        expect(location, 'authorize redirect without Location')
        const back = new URL(location, c.baseUrl)
        expect(back.origin + back.pathname === redirectUri, `redirected to ${back.origin}${back.pathname}`)
        expect(back.searchParams.get('state') === 'conformance-state-1', 'state was not echoed')
        expect(back.searchParams.get('geolocation'), 'no geolocation on the redirect')
        const code = back.searchParams.get('code')
        expect(code, 'no code on the redirect')
        t.io.redactor.add(code)
        const form = {
          grant_type: 'authorization_code',
          client_id: app.clientId,
          client_secret: app.clientSecret,
          code,
          redirect_uri: redirectUri,
        }
        const s = expectTokenResponse(await tokenRequest(t, c.baseUrl, form), 'authorization_code grant', t)
        expect(s.refreshToken, 'the authorization_code grant returned no refresh token')
        expectOAuthError(await tokenRequest(t, c.baseUrl, form), 103, 'reusing the authorization code')
        return pass('code exchanged once; the second exchange is refused with 103')
      },
    },
    {
      id: 'oauth.revoke',
      title: "DELETE /app-mgmt/v0/connections revokes the user's refresh tokens",
      reference: 'A.1',
      group: G,
      requires: ['fixtures', 'writes'],
      unavailable:
        "revoking removes every refresh token of the user for this app, the integration's own included",
      async run(t) {
        const { form, tokens: s } = await signInFresh(t, 3)
        const del = await t.wire.request({
          method: 'DELETE',
          url: `${s.geolocation}/app-mgmt/v0/connections`,
          token: s.accessToken,
        })
        expect(del.status === 200, `revoke answered ${del.status}`)
        const again = await tokenRequest(t, s.geolocation, {
          ...form,
          grant_type: 'refresh_token',
          refresh_token: s.refreshToken,
        })
        expectOAuthError(again, 108, 'refreshing after revocation')
        return pass('revoked: the refresh token is refused with 108')
      },
    },
    {
      id: 'oauth.otp.grant',
      title: 'a one-time password sent to the user is exchanged once for tokens (grant_type=otp)',
      reference: 'A.2',
      group: G,
      requires: ['admin', 'fixtures'],
      unavailable: "the one-time password is e-mailed to the user; only the mock's mailbox can be read",
      async run(t) {
        const c = company(t, 0)
        const app = appOf(c, 0)
        const u = userOf(c, 1)
        const client = { client_id: app.clientId, client_secret: app.clientSecret }
        const sent = await t.wire.request({
          url: `${c.baseUrl}/oauth2/v0/otp`,
          form: { ...client, channel_handle: u.email, channel_type: 'email' },
        })
        expect(sent.status === 200, `POST /oauth2/v0/otp answered ${sent.status}`)
        expect(
          (sent.json() as { message?: unknown }).message === 'otp sent',
          'the otp answer is not {"message": "otp sent"}',
        )
        const mailed = (await t.admin('GET', `/_mock/otp?email=${encodeURIComponent(u.email)}`)) as {
          otp?: string
        }
        expect(typeof mailed.otp === 'string', 'the mock recorded no one-time password')
        t.io.redactor.add(mailed.otp)
        const form = {
          ...client,
          grant_type: 'otp',
          channel_handle: u.email,
          channel_type: 'email',
          otp: mailed.otp,
        }
        const s = expectTokenResponse(await tokenRequest(t, c.baseUrl, form), 'otp grant', t)
        expect(s.refreshToken, 'the otp grant returned no refresh token')
        const again = await tokenRequest(t, c.baseUrl, form)
        expect(again.status >= 400 && again.status < 500, `a used one-time password answered ${again.status}`)
        const missing = await tokenRequest(t, c.baseUrl, { ...form, otp: undefined })
        expectOAuthError(missing, 56, 'an otp grant without otp')
        return pass(`tokens for ${u.email.replace(/^[^@]*/, '…')}; a used otp refused; no otp → 56`)
      },
    },
  ]
}
