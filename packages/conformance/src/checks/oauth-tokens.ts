import { expectOAuthError, expectTokenResponse, tokenRequest } from '../oauth.js'
import { type CheckDefinition, expect, pass } from '../types.js'
import { main, signInFresh, signInMain } from './oauth-fixtures.js'

const G = 'oauth'

/** The token grants and what they return: wire format, rotation, JWKS, id_token. */
export function tokenChecks(): CheckDefinition[] {
  return [
    {
      id: 'oauth.password.grant',
      title: 'the password grant returns a Bearer token set with refresh token and geolocation',
      reference: 'A.2, A.3',
      group: G,
      async run(t) {
        const s = await t.session()
        expect(s.refreshToken, 'no refresh_token in the password grant response')
        expect(s.expiresIn === 3600, `expires_in is ${s.expiresIn}, Concur issues 1-hour access tokens`)
        return pass(
          `token for ${t.credentials.username.replace(/@.*/, '@…')} at ${s.geolocation}, scopes ${s.scope.length}`,
        )
      },
    },
    {
      id: 'oauth.token.wire-format',
      title: 'the token response has token_type Bearer, expires_in as Concur sends it, and scope as a string',
      reference: 'A.3',
      group: G,
      async run(t) {
        const res = await tokenRequest(t, t.baseUrl, { ...main(t), grant_type: 'password' })
        expectTokenResponse(res, 'password grant', t)
        const body = res.json() as Record<string, unknown>
        expect(body.token_type === 'Bearer', `token_type is ${String(body.token_type)}`)
        expect(
          typeof body.expires_in === 'string' || typeof body.expires_in === 'number',
          'expires_in missing',
        )
        expect(typeof body.scope === 'string', 'scope is not a space-separated string')
        expect(res.contentType.includes('application/json'), `content type ${res.contentType}`)
        return pass(`fields: ${Object.keys(body).sort().join(', ')}`)
      },
    },
    {
      id: 'oauth.client-credentials.grant',
      title: 'the client_credentials grant returns an access token and no refresh token',
      reference: 'A.2',
      group: G,
      async run(t) {
        const res = await tokenRequest(t, t.baseUrl, {
          grant_type: 'client_credentials',
          client_id: t.credentials.clientId,
          client_secret: t.credentials.clientSecret,
        })
        const s = expectTokenResponse(res, 'client_credentials grant', t)
        expect(!s.refreshToken, 'client_credentials returned a refresh_token (Concur does not)')
        return pass(`access token at ${s.geolocation}, no refresh token`)
      },
    },
    {
      id: 'oauth.refresh.grant',
      title: 'the refresh_token grant returns a new access token and refresh token',
      reference: 'A.2, A.4',
      group: G,
      async run(t) {
        const first = expectTokenResponse(
          await tokenRequest(t, t.baseUrl, { ...main(t), grant_type: 'password' }),
          'password grant',
          t,
        )
        expect(first.refreshToken, 'no refresh token to refresh with')
        const res = await tokenRequest(t, first.geolocation, {
          grant_type: 'refresh_token',
          client_id: t.credentials.clientId,
          client_secret: t.credentials.clientSecret,
          refresh_token: first.refreshToken,
        })
        const second = expectTokenResponse(res, 'refresh grant', t)
        expect(second.refreshToken, 'the refresh grant returned no refresh_token')
        expect(second.accessToken !== first.accessToken, 'the refresh grant returned the same access token')
        return pass('new access and refresh token issued at the geolocation')
      },
    },
    {
      id: 'oauth.refresh.rotates',
      title: 'a used refresh token is refused afterwards (code 108): the rotated one must be stored',
      reference: 'A.4',
      group: G,
      async run(t) {
        // the mock: a user of its own; a remote target: a fresh grant of the credentials' user (its
        // own refresh token: the run's session is untouched; one refresh token rotation is consumed)
        const { form, tokens: first } = t.fixtures ? await signInFresh(t, 2) : await signInMain(t)
        const second = expectTokenResponse(
          await tokenRequest(t, first.geolocation, {
            ...form,
            grant_type: 'refresh_token',
            refresh_token: first.refreshToken,
          }),
          'first refresh',
          t,
        )
        expect(
          second.refreshToken && second.refreshToken !== first.refreshToken,
          'the refresh token was not rotated',
        )
        const again = await tokenRequest(t, first.geolocation, {
          ...form,
          grant_type: 'refresh_token',
          refresh_token: first.refreshToken,
        })
        expectOAuthError(again, 108, 'reusing the old refresh token')
        expectTokenResponse(
          await tokenRequest(t, first.geolocation, {
            ...form,
            grant_type: 'refresh_token',
            refresh_token: second.refreshToken,
          }),
          'refresh with the rotated token',
          t,
        )
        return pass(
          `old refresh token refused with 108, rotated one accepted${t.kind === 'remote' ? ' (consumed one refresh of a token issued for this check)' : ''}`,
        )
      },
    },
    {
      id: 'oauth.jwks',
      title: 'the JWKS endpoint serves RS256 signing keys',
      reference: 'A.6',
      group: G,
      async run(t) {
        const res = await t.wire.request({
          url: `${t.baseUrl}/oauth2/v0/jwks`,
          record: 'GET /oauth2/v0/jwks',
        })
        expect(res.status === 200, `GET /oauth2/v0/jwks answered ${res.status}`)
        const body = res.json() as { keys?: { kty?: string; kid?: string }[] }
        expect(Array.isArray(body.keys) && body.keys.length > 0, 'no keys')
        expect(
          body.keys.every((k) => k.kty === 'RSA' && typeof k.kid === 'string'),
          'every key must be RSA with a kid',
        )
        return pass(`${body.keys.length} RSA key(s)`)
      },
    },
    {
      id: 'oauth.id-token.claims',
      title: 'the password grant returns an id_token whose claims match the reference',
      reference: 'A.6',
      group: G,
      async run(t) {
        const res = await tokenRequest(t, t.baseUrl, { ...main(t), grant_type: 'password' })
        expectTokenResponse(res, 'password grant', t)
        const idToken = (res.json() as { id_token?: string }).id_token
        expect(idToken, 'no id_token although the app has the openid scope')
        const [, payload] = idToken.split('.')
        expect(payload, 'id_token is not a JWT')
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
          string,
          unknown
        >
        for (const k of ['aud', 'sub', 'iss', 'exp', 'iat', 'concur.type'])
          expect(k in claims, `id_token lacks ${k}`)
        expect(claims['concur.type'] === 'user', `concur.type is ${String(claims['concur.type'])}`)
        expect(
          claims.aud === t.credentials.clientId ||
            (Array.isArray(claims.aud) && claims.aud.includes(t.credentials.clientId)),
          'aud is not the client id',
        )
        return pass('aud, sub, iss, exp, iat, concur.type=user present')
      },
    },
  ]
}
