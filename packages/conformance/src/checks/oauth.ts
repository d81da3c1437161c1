import type { FixtureCompany, TargetContext } from '../context.js'
import { expectOAuthError, expectTokenResponse, expectWebServiceError, tokenRequest } from '../oauth.js'
import { type CheckDefinition, expect, fail, pass, skip } from '../types.js'

const G = 'oauth'

function company(t: TargetContext, i: number): FixtureCompany {
  const c = t.fixtures?.companies[i]
  if (!c) fail(`the mock has no company ${i}`)
  return c
}

function appOf(c: FixtureCompany, i: number) {
  const a = c.apps[i]
  if (!a) fail(`company ${c.id} has no app ${i}`)
  return a
}

function userOf(c: FixtureCompany, i: number) {
  const u = c.users[i]
  if (!u) fail(`company ${c.id} has no user ${i}`)
  return u
}

/** A documented token-endpoint failure: the form, the Concur code expected. */
interface FailureCase {
  id: string
  title: string
  code: number
  /** Safe against a real tenant (no credential guessing that could lock an account). */
  safe: boolean
  form(t: TargetContext): Record<string, string | undefined>
}

const FAILURES: FailureCase[] = [
  {
    id: 'oauth.password.bad-credentials',
    title: 'a wrong password is refused with code 5 (invalid_grant)',
    code: 5,
    safe: false,
    form: (t) => ({ ...main(t), grant_type: 'password', password: 'not-the-password-1' }),
  },
  {
    id: 'oauth.password.missing-username',
    title: 'a password grant without username is refused with code 51',
    code: 51,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: 'password', username: undefined }),
  },
  {
    id: 'oauth.password.missing-password',
    title: 'a password grant without password is refused with code 52',
    code: 52,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: 'password', password: undefined }),
  },
  {
    id: 'oauth.client.missing-id',
    title: 'a token request without client_id is refused with code 62',
    code: 62,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: 'password', client_id: undefined }),
  },
  {
    id: 'oauth.client.missing-secret',
    title: 'a token request without client_secret is refused with code 63',
    code: 63,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: 'password', client_secret: undefined }),
  },
  {
    id: 'oauth.client.unknown',
    title: 'an unknown client_id is refused with code 61',
    code: 61,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: 'password', client_id: '00000000-0000-4000-8000-000000000000' }),
  },
  {
    id: 'oauth.client.wrong-secret',
    title: 'a wrong client_secret is refused with code 64',
    code: 64,
    safe: false,
    form: (t) => ({
      ...main(t),
      grant_type: 'password',
      client_secret: '00000000-0000-4000-8000-000000000001',
    }),
  },
  {
    id: 'oauth.grant-type.missing',
    title: 'a token request without grant_type is refused with code 65',
    code: 65,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: undefined }),
  },
  {
    id: 'oauth.refresh.missing-token',
    title: 'a refresh_token grant without refresh_token is refused with code 106',
    code: 106,
    safe: true,
    form: (t) => ({
      client_id: t.credentials.clientId,
      client_secret: t.credentials.clientSecret,
      grant_type: 'refresh_token',
    }),
  },
  {
    id: 'oauth.refresh.bad-token',
    title: 'an unknown refresh token is refused with code 108',
    code: 108,
    safe: true,
    form: (t) => ({
      client_id: t.credentials.clientId,
      client_secret: t.credentials.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: 'e013335d-b4ce-4c43-a7e4-b67abc1adcb0',
    }),
  },
  {
    id: 'oauth.authorization-code.missing-code',
    title: 'an authorization_code grant without code is refused with code 101',
    code: 101,
    safe: true,
    form: (t) => ({
      client_id: t.credentials.clientId,
      client_secret: t.credentials.clientSecret,
      grant_type: 'authorization_code',
      redirect_uri: 'http://127.0.0.1:9/callback',
    }),
  },
  {
    id: 'oauth.authorization-code.bad-code',
    title: 'an unknown authorization code is refused with code 103',
    code: 103,
    safe: true,
    form: (t) => ({
      client_id: t.credentials.clientId,
      client_secret: t.credentials.clientSecret,
      grant_type: 'authorization_code',
      code: '5c2b1c36-0b4e-4a7a-9d59-1c2a3b4c5d6e',
      redirect_uri: 'http://127.0.0.1:9/callback',
    }),
  },
  {
    id: 'oauth.credtype.invalid',
    title: 'an unknown credtype is refused with code 120',
    code: 120,
    safe: true,
    form: (t) => ({ ...main(t), grant_type: 'password', credtype: 'fingerprint' }),
  },
]

/** A fresh password grant for user `i` of the first company with its full app (not the shared session). */
async function signInFresh(t: TargetContext, i: number) {
  const c = company(t, 0)
  const u = userOf(c, i)
  const form = { client_id: appOf(c, 0).clientId, client_secret: appOf(c, 0).clientSecret }
  const tokens = expectTokenResponse(
    await tokenRequest(t, c.baseUrl, {
      ...form,
      grant_type: 'password',
      username: u.loginId,
      password: u.password,
    }),
    'password grant',
    t,
  )
  return { form, tokens }
}
/** A fresh password grant of the credentials' own user (not the shared session). */
async function signInMain(t: TargetContext) {
  const form = { client_id: t.credentials.clientId, client_secret: t.credentials.clientSecret }
  const tokens = expectTokenResponse(
    await tokenRequest(t, t.baseUrl, { ...main(t), grant_type: 'password' }),
    'password grant',
    t,
  )
  return { form, tokens }
}

/**
 * Why the datacenter checks cannot run against this remote target, if they cannot: its base URL is
 * none of the datacenters the run knows (Concur's published ones unless the target names its own).
 */
function unknownDatacenters(t: TargetContext): string | undefined {
  if (t.fixtures || Object.values(t.datacenters).includes(t.baseUrl)) return undefined
  return `${t.baseUrl} is none of the datacenters this run knows (${Object.keys(t.datacenters).join(', ')}); name the target's datacenters (runConformance target.datacenters) to run it`
}

/** A datacenter other than `geolocation`: `[name, base URL]`. */
function otherDatacenter(t: TargetContext, geolocation: string): [string, string] {
  const other = Object.entries(t.datacenters).find(([, url]) => url !== geolocation)
  if (!other) fail(`no datacenter other than ${geolocation} is known`)
  return other
}

function main(t: TargetContext): Record<string, string | undefined> {
  return {
    client_id: t.credentials.clientId,
    client_secret: t.credentials.clientSecret,
    username: t.credentials.username,
    password: t.credentials.password,
  }
}

/** The OAuth2 checks: every grant, its documented failures, rotation, expiry, geolocation, scopes and roles. */
export function oauthChecks(): CheckDefinition[] {
  const checks: CheckDefinition[] = [
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
  for (const f of FAILURES) {
    checks.push({
      id: f.id,
      title: f.title,
      reference: 'A.5',
      group: G,
      ...(f.safe
        ? {}
        : {
            requires: ['fixtures'] as const,
            unavailable:
              'a wrong password or client secret counts toward locking the account on a real tenant',
          }),
      async run(t) {
        const res = await tokenRequest(t, t.baseUrl, f.form(t))
        const body = expectOAuthError(res, f.code, f.title)
        return pass(`${res.status} ${body.error} (code ${body.code})`)
      },
    })
  }
  return checks
}
