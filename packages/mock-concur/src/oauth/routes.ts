import { TOKEN_LIFETIMES } from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import type { MockCompany, MockUser } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import { ConcurHttpError, oauthError } from '../http/errors.js'
import { requestHeader } from '../http/headers.js'
import type { MockState } from '../state.js'
import { findClient, findCompany, findUser } from './directory.js'
import { basicCredentials, malformed, readForm } from './form.js'
import { authenticateClient, grantScopes, secretEquals, tokenGrant } from './grants.js'
import { bearerToken } from './guard.js'
import { OTP_LIFETIME_SECONDS, oauthStore } from './store.js'
import { formFields, otpRequest } from './validate.js'

/**
 * Issues a company request token (as App Center or the Company Request Token tool does): valid 24
 * hours on the mock's clock and reusable within them. `clientId` binds it to one app; without it,
 * any app registered for the company may exchange it.
 *
 * @example
 * const { token, expiresAt } = issueRequestToken(mock.state, companyId)
 */
export function issueRequestToken(
  state: MockState,
  companyId: string,
  clientId?: string,
): { token: string; expiresAt: number; company: MockCompany } {
  const company = findCompany(state, companyId)
  if (!company) throw new ConcurHttpError(404, `unknown company ${companyId}`)
  if (clientId !== undefined && findClient(state, clientId)?.company.id !== company.id)
    throw new ConcurHttpError(400, 'clientId is not an app of this company')
  const expiresAt = state.clock.nowSeconds() + TOKEN_LIFETIMES.companyRequestToken
  const token = oauthStore(state).addRequestToken({ companyId: company.id, clientId, expiresAt })
  return { token, expiresAt, company }
}

/** Revokes every refresh token (and the access tokens issued along it) of one principal for one app. */
export function revokeConnections(
  state: MockState,
  who: { companyId: string; userIndex?: number; clientId: string },
): number {
  const store = oauthStore(state)
  let revoked = 0
  for (const [token, record] of store.refresh) {
    if (
      record.companyId === who.companyId &&
      record.userIndex === who.userIndex &&
      record.clientId === who.clientId
    ) {
      for (const [jti] of record.accessTokens) state.tokens.revoke(jti)
      store.refresh.delete(token)
      revoked++
    }
  }
  return revoked
}

const LOOPBACK = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i

function redirectAllowed(uri: string, registered: readonly string[]): boolean {
  return registered.includes(uri) || LOOPBACK.test(uri)
}

const htmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Form fields of the consent page that are the user's answer, not the authorize request. */
const CONSENT_FIELDS = new Set(['username', 'password', 'decision'])

/**
 * The authorize request as the consent form carries it: every parameter the client sent (`state`,
 * `login_hint`, `nonce`, `code_challenge`, … — none is dropped), with `scope` narrowed to the grant.
 */
function consentParams(
  entries: Iterable<[string, string]>,
  scopes: readonly string[],
): Record<string, string> {
  const params: Record<string, string> = {}
  for (const [k, v] of entries) if (!CONSENT_FIELDS.has(k)) params[k] = v
  params.response_type = 'code'
  params.scope = scopes.join(' ')
  return params
}

function consentPage(params: Record<string, string>, appName: string, problem?: string): string {
  const hidden = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${htmlEscape(k)}" value="${htmlEscape(v)}">`)
    .join('')
  const hint = params.login_hint ? ` value="${htmlEscape(params.login_hint)}"` : ''
  return `<!doctype html><html><head><meta charset="utf-8"><title>Concur sign in</title></head><body>
<h1>Allow ${htmlEscape(appName)} to access your Concur data?</h1>
${problem ? `<p role="alert">${htmlEscape(problem)}</p>` : ''}
<form method="post" action="/oauth2/v0/authorize">${hidden}
<label>Login ID <input name="username" autocomplete="username"${hint}></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Deny</button>
</form></body></html>`
}

interface AuthorizeRequest {
  readonly clientId: string
  readonly redirectUri: string
  readonly state: string | undefined
  readonly scope: string | undefined
  readonly responseType: string | undefined
  readonly loginHint: string | undefined
}

function authorizeRequest(get: (name: string) => string | undefined): AuthorizeRequest {
  const clientId = get('client_id')
  if (!clientId) throw oauthError(62)
  const redirectUri = get('redirect_uri')
  if (!redirectUri) throw oauthError(102)
  return {
    clientId,
    redirectUri,
    state: get('state'),
    scope: get('scope'),
    responseType: get('response_type'),
    loginHint: get('login_hint'),
  }
}

function redirectWith(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v)
  return url.toString()
}

/** Routes of the token service for one datacenter's app: Concur's `/oauth2/v0`, revocation, App Center. */
export function oauthRoutes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()

  app.post('/oauth2/v0/token', async (c) => {
    const form = await readForm(c)
    const fields = formFields(form, basicCredentials(requestHeader(c, 'authorization')))
    const body = await tokenGrant(ctx, fields)
    c.header('cache-control', 'no-store')
    c.header('pragma', 'no-cache')
    return c.json(body)
  })

  app.get('/oauth2/v0/jwks', async (c) => c.json(await state.tokens.jwks()))

  /** Validates an authorize request up to the point where errors can be sent to the redirect URI. */
  const checkAuthorize = (req: AuthorizeRequest) => {
    const client = findClient(state, req.clientId)
    if (!client) throw oauthError(61)
    if (!URL.canParse(req.redirectUri) || !redirectAllowed(req.redirectUri, client.app.redirectUris))
      throw malformed(400, 'redirect_uri is not registered for this client')
    return client
  }

  const finishAuthorize = (
    c: Context<MockEnv>,
    req: AuthorizeRequest,
    company: MockCompany,
    user: MockUser,
    scopes: readonly string[],
  ) => {
    const code = oauthStore(state).addCode({
      type: 'user',
      companyId: company.id,
      userIndex: user.index,
      clientId: req.clientId,
      redirectUri: req.redirectUri,
      scopes,
      expiresAt: state.clock.nowSeconds() + TOKEN_LIFETIMES.authorizationCode,
    })
    return c.redirect(
      redirectWith(req.redirectUri, {
        code,
        state: req.state,
        geolocation: state.baseUrl(company.datacenter),
      }),
      302,
    )
  }

  /** Resolves scopes; a refusal goes back to the redirect URI as Concur's failure redirect. */
  const authorizeScopes = (c: Context<MockEnv>, req: AuthorizeRequest, allowed: readonly string[]) => {
    if (req.responseType !== 'code') {
      return c.redirect(
        redirectWith(req.redirectUri, {
          error: 'unsupported_response_type',
          error_code: '60',
          error_description: 'response_type must be code',
          state: req.state,
        }),
        302,
      )
    }
    try {
      return grantScopes(req.scope, allowed)
    } catch {
      return c.redirect(
        redirectWith(req.redirectUri, {
          error: 'invalid_scope',
          error_code: '54',
          error_description: 'requested scope exceeds granted scope',
          state: req.state,
        }),
        302,
      )
    }
  }

  app.get('/oauth2/v0/authorize', (c) => {
    const req = authorizeRequest((n) => c.req.query(n) || undefined)
    const client = checkAuthorize(req)
    const scopes = authorizeScopes(c, req, client.app.scopes)
    if (scopes instanceof Response) return scopes
    if (!state.options.autoApprove) {
      const query = new URL(c.req.url).searchParams
      return c.html(consentPage(consentParams(query, scopes), client.app.name))
    }
    // Auto-approve: the user named by login_hint, else the company's Web Services Administrator.
    const hinted = req.loginHint ? findUser(state, req.loginHint) : undefined
    const found =
      hinted && hinted.company.id === client.company.id
        ? hinted
        : { company: client.company, user: client.company.users[0]! }
    return finishAuthorize(c, req, found.company, found.user, scopes)
  })

  app.post('/oauth2/v0/authorize', async (c) => {
    const form = await readForm(c)
    const req = authorizeRequest((n) => form.get(n) || undefined)
    const client = checkAuthorize(req)
    const scopes = authorizeScopes(c, req, client.app.scopes)
    if (scopes instanceof Response) return scopes
    if (form.get('decision') === 'deny') {
      return c.redirect(
        redirectWith(req.redirectUri, {
          error: 'access_denied',
          error_code: '12',
          error_description: 'the user denied access',
          state: req.state,
        }),
        302,
      )
    }
    const found = findUser(state, form.get('username') ?? '')
    if (
      !found ||
      found.company.id !== client.company.id ||
      !secretEquals(form.get('password') ?? '', found.user.password)
    ) {
      const params = consentParams(form.entries() as Iterable<[string, string]>, scopes)
      return c.html(consentPage(params, client.app.name, 'Incorrect Credentials. Please Retry'), 401)
    }
    return finishAuthorize(c, req, found.company, found.user, scopes)
  })

  app.post('/oauth2/v0/otp', async (c) => {
    const form = await readForm(c)
    const fields = formFields(form, basicCredentials(requestHeader(c, 'authorization')))
    const client = authenticateClient(ctx, fields)
    const { channel_handle: handle } = otpRequest(fields)
    if (!/^[^@\s]+@[^@\s]+$/.test(handle)) throw oauthError(81)
    const found = findUser(state, handle)
    if (!found) throw oauthError(55)
    if (found.company.id !== client.company.id) throw oauthError(53)
    const now = state.clock.nowSeconds()
    const sent = oauthStore(state).addOtp(handle, client.app.clientId, now + OTP_LIFETIME_SECONDS, now)
    if (!sent) throw oauthError(82)
    return c.json({ message: 'otp sent' })
  })

  app.delete('/app-mgmt/v0/connections', async (c) => {
    const token = bearerToken(requestHeader(c, 'authorization'))
    if (!token) throw malformed(401, 'Authorization header missing or malformed')
    const verified = await state.tokens.verify(token)
    if (!verified.ok) throw malformed(401, 'invalid, expired or revoked access token')
    const claims = verified.claims
    if (claims['concur.type'] === 'app') throw malformed(403, 'an application token has no connections')
    revokeConnections(state, {
      companyId: claims['concur.company'],
      ...(claims['concur.type'] === 'user' && typeof claims['concur.user'] === 'number'
        ? { userIndex: claims['concur.user'] }
        : {}),
      clientId: claims['https://api.concursolutions.com/app'],
    })
    return c.body(null, 200)
  })

  // App Center mints a company request token here (with client certificates in Concur). The mock
  // accepts the app's credentials (HTTP Basic) or a company-wide bearer token of that company.
  const authtokenPath = '/profile-service/v1/keys/principals/:companyId/authtoken'
  app.post(authtokenPath, async (c) => {
    const company = findCompany(state, c.req.param('companyId'))
    if (!company) throw new ConcurHttpError(404, 'company not found')
    let clientId: string | undefined
    const basic = basicCredentials(requestHeader(c, 'authorization'))
    if (basic) {
      const client = findClient(state, basic.clientId)
      if (!client || !secretEquals(basic.clientSecret, client.app.clientSecret))
        throw new ConcurHttpError(401, 'invalid client credentials')
      if (client.company.id !== company.id)
        throw new ConcurHttpError(403, 'company is not enabled for this client')
      clientId = client.app.clientId
    } else {
      const token = bearerToken(requestHeader(c, 'authorization'))
      if (!token) throw new ConcurHttpError(401, 'Authorization header missing or malformed')
      const verified = await state.tokens.verify(token)
      if (!verified.ok) throw new ConcurHttpError(401, 'invalid, expired or revoked access token')
      const claims = verified.claims
      const admin =
        claims['concur.type'] === 'company' ||
        (claims['concur.type'] === 'user' &&
          typeof claims['concur.user'] === 'number' &&
          state.user(company, claims['concur.user'])?.roles.includes('WebServicesAdmin'))
      if (claims['concur.company'] !== company.id || !admin)
        throw new ConcurHttpError(403, 'not allowed to issue a request token for this company')
      clientId = claims['https://api.concursolutions.com/app']
    }
    const { token } = issueRequestToken(state, company.id, clientId)
    return c.json({ status: 'PASS', code: 0, errormsg: '', token })
  })

  return app
}
