import {
  type AuthorizationCodeGrantRequest,
  type ClientCredentialsGrantRequest,
  DATACENTERS,
  type OtpGrantRequest,
  type PasswordGrantRequest,
  type RefreshTokenGrantRequest,
  TOKEN_LIFETIMES,
  type TokenResponseWire,
} from '@concurkit/contract'
import type { MockApp, MockCompany, MockUser } from '../companies.js'
import type { DcContext } from '../context.js'
import { appEventScopes } from '../events/scopes.js'
import { oauthError } from '../http/errors.js'
import { base64url, sha256Bytes, timingSafeEqual, utf8 } from '../util/web-crypto.js'
import { type ClientEntry, findClient, findCompany, findUser } from './directory.js'
import { type GrantSubject, OAuthStore, oauthStore, type RefreshRecord } from './store.js'
import { clientFields, type FormFields, tokenRequest } from './validate.js'

/** Client credentials sent with HTTP Basic instead of the form (RFC 6749 §2.3.1). */
export interface BasicCredentials {
  readonly clientId: string
  readonly clientSecret: string
}

/** Constant-time string comparison for secrets. */
export function secretEquals(given: string, expected: string): boolean {
  return timingSafeEqual(utf8(given), utf8(expected))
}

/**
 * The scopes a token gets: the app's, or the requested subset of `allowed` (code 54 when a requested
 * scope is beyond them). Kept in the app's order so responses are stable.
 */
export function grantScopes(requested: string | undefined, allowed: readonly string[]): string[] {
  if (!requested?.trim()) return [...allowed]
  const want = new Set(requested.split(/[\s,]+/).filter(Boolean))
  for (const s of want) if (!allowed.includes(s)) throw oauthError(54)
  return allowed.filter((s) => want.has(s))
}

/** Authenticates the client of a token/otp request (codes 62, 63, 61, 64). */
export function authenticateClient(ctx: DcContext, fields: FormFields): ClientEntry {
  const { client_id: clientId, client_secret: clientSecret } = clientFields(fields)
  const entry = findClient(ctx.state, clientId)
  if (!entry) throw oauthError(61)
  if (!secretEquals(clientSecret, entry.app.clientSecret)) throw oauthError(64)
  return entry
}

/**
 * Fails with code 16 and the principal's geolocation when its company lives in another datacenter.
 * The Global Landing Zone issues new tokens for every company (the answer's `geolocation` names the
 * company's datacenter); refreshes go to that geolocation, so GLZ sends them there.
 */
function assertHere(ctx: DcContext, company: MockCompany, grant: 'new' | 'refresh' = 'new'): void {
  if (company.datacenter === ctx.datacenter) return
  if (grant === 'new' && DATACENTERS[ctx.datacenter].landingZone) return
  throw oauthError(16, ctx.state.baseUrl(company.datacenter))
}

interface IssueOptions {
  readonly company: MockCompany
  readonly app: MockApp
  readonly subject: GrantSubject
  readonly user?: MockUser
  /** Scopes of the access token. */
  readonly scopes: readonly string[]
  /** Scopes the refresh token keeps (defaults to `scopes`); `undefined` refresh = none issued. */
  readonly refresh?: { readonly scopes: readonly string[]; readonly chain: RefreshRecord['accessTokens'] }
  /** Add an OIDC id_token (when `openid` is among the scopes). */
  readonly idToken: boolean
  /** An application token (client credentials): no user, no company data. */
  readonly appToken?: boolean
}

/** Issues the access token (and refresh token, id_token) and builds Concur's token response body. */
async function issue(ctx: DcContext, options: IssueOptions): Promise<TokenResponseWire> {
  const { state } = ctx
  const { company, app, subject, user } = options
  const geolocation = state.baseUrl(company.datacenter)
  const access = await state.tokens.issueAccessToken({
    type: options.appToken ? 'app' : subject.type,
    companyId: company.id,
    ...(subject.userIndex === undefined ? {} : { userIndex: subject.userIndex }),
    subject: user?.id ?? (options.appToken ? app.clientId : company.id),
    clientId: app.clientId,
    scopes: options.scopes,
    issuer: geolocation,
  })
  const body: TokenResponseWire = {
    expires_in: String(access.expiresIn),
    scope: options.scopes.join(' '),
    token_type: 'Bearer',
    access_token: access.token,
    geolocation,
  }
  if (options.refresh) {
    const now = state.clock.nowSeconds()
    const expiresAt = now + TOKEN_LIFETIMES.refreshToken
    body.refresh_token = oauthStore(state).addRefresh({
      ...subject,
      clientId: app.clientId,
      scopes: options.refresh.scopes,
      expiresAt,
      accessTokens: OAuthStore.chain(options.refresh.chain, access.jti, access.expiresAt, now),
    })
    body.refresh_expires_in = expiresAt
  }
  if (options.idToken && user && options.scopes.includes('openid')) {
    const digest = sha256Bytes(access.token)
    body.id_token = await state.tokens.sign(
      {
        aud: app.clientId,
        'concur.profile': `${geolocation}/profile/v1/principals/${user.id}`,
        'concur.version': 2,
        'concur.type': 'user',
        sub: user.id,
        iss: geolocation,
        at_hash: base64url(digest.subarray(0, digest.length / 2)),
      },
      TOKEN_LIFETIMES.accessToken,
    )
  }
  return body
}

/**
 * A signed-in user's token set (refresh token, id_token with `openid`): the user must belong to the
 * client's company (53) and live here (16); `consume` runs once the scopes are granted (54), so a
 * refused request does not use up a single-use credential.
 */
function issueForUser(
  ctx: DcContext,
  client: ClientEntry,
  found: { readonly company: MockCompany; readonly user: MockUser },
  scope: string | undefined,
  consume?: () => void,
): Promise<TokenResponseWire> {
  if (client.company.id !== found.company.id) throw oauthError(53)
  assertHere(ctx, found.company)
  const scopes = grantScopes(scope, client.app.scopes)
  consume?.()
  return issue(ctx, {
    company: found.company,
    app: client.app,
    subject: { type: 'user', companyId: found.company.id, userIndex: found.user.index },
    user: found.user,
    scopes,
    refresh: { scopes, chain: [] },
    idToken: true,
  })
}

/** `grant_type=password` with `credtype=password` (default) or `authtoken` (company request token). */
async function passwordGrant(ctx: DcContext, form: PasswordGrantRequest, client: ClientEntry) {
  const { credtype = 'password', username, password } = form
  const store = oauthStore(ctx.state)

  if (credtype === 'authtoken') {
    const company = findCompany(ctx.state, username)
    const record = store.requestTokens.get(password)
    // Reusable within its 24 hours (network retries), so it is not consumed here.
    if (
      !company ||
      !record ||
      record.companyId !== company.id ||
      record.expiresAt <= ctx.state.clock.nowSeconds()
    )
      throw oauthError(5)
    if (client.company.id !== company.id) throw oauthError(53)
    if (record.clientId !== undefined && record.clientId !== client.app.clientId) throw oauthError(5)
    assertHere(ctx, company)
    const scopes = grantScopes(form.scope, client.app.scopes)
    return issue(ctx, {
      company,
      app: client.app,
      subject: { type: 'company', companyId: company.id },
      scopes,
      refresh: { scopes, chain: [] },
      idToken: false,
    })
  }

  const found = findUser(ctx.state, username)
  if (!found || !secretEquals(password, found.user.password)) throw oauthError(5)
  return issueForUser(ctx, client, found, form.scope)
}

/** `grant_type=refresh_token`: single use; the new refresh token gets a fresh 6 months. */
async function refreshGrant(ctx: DcContext, form: RefreshTokenGrantRequest, client: ClientEntry) {
  const token = form.refresh_token
  const store = oauthStore(ctx.state)
  const record = store.refresh.get(token)
  const now = ctx.state.clock.nowSeconds()
  if (!record || record.expiresAt <= now) {
    if (record) store.refresh.delete(token)
    throw oauthError(108)
  }
  if (record.clientId !== client.app.clientId) throw oauthError(105)
  const company = findCompany(ctx.state, record.companyId)
  const user =
    company && record.userIndex !== undefined ? ctx.state.user(company, record.userIndex) : undefined
  if (!company || (record.type === 'user' && !user)) throw oauthError(108)
  assertHere(ctx, company, 'refresh')
  const scopes = grantScopes(form.scope, record.scopes)
  store.refresh.delete(token)
  return issue(ctx, {
    company,
    app: client.app,
    subject: record,
    ...(user ? { user } : {}),
    scopes,
    refresh: { scopes: record.scopes, chain: record.accessTokens },
    idToken: false,
  })
}

/** `grant_type=client_credentials`: an application token, no refresh token. */
async function clientCredentialsGrant(
  ctx: DcContext,
  form: ClientCredentialsGrantRequest,
  client: ClientEntry,
) {
  assertHere(ctx, client.company)
  // An App JWT also carries the app's Event Subscription Service scopes.
  const scopes = grantScopes(form.scope, [...client.app.scopes, ...appEventScopes(client.app)])
  return issue(ctx, {
    company: client.company,
    app: client.app,
    subject: { type: 'company', companyId: client.company.id },
    scopes,
    idToken: false,
    appToken: true,
  })
}

/** `grant_type=authorization_code`: codes are single use, 10 minutes, bound to redirect_uri and client. */
async function authorizationCodeGrant(
  ctx: DcContext,
  form: AuthorizationCodeGrantRequest,
  client: ClientEntry,
) {
  const { code, redirect_uri: redirectUri } = form
  const store = oauthStore(ctx.state)
  const record = store.codes.get(code)
  if (!record || record.expiresAt <= ctx.state.clock.nowSeconds()) {
    if (record) store.codes.delete(code)
    throw oauthError(103)
  }
  if (record.clientId !== client.app.clientId) throw oauthError(105)
  if (record.redirectUri !== redirectUri) throw oauthError(104)
  const company = findCompany(ctx.state, record.companyId)
  const user =
    company && record.userIndex !== undefined ? ctx.state.user(company, record.userIndex) : undefined
  if (!company || !user) throw oauthError(103)
  assertHere(ctx, company)
  store.codes.delete(code)
  return issue(ctx, {
    company,
    app: client.app,
    subject: record,
    user,
    scopes: record.scopes,
    refresh: { scopes: record.scopes, chain: [] },
    idToken: true,
  })
}

/** `grant_type=otp`: the one-time password mailed by `/oauth2/v0/otp` (single use). */
async function otpGrant(ctx: DcContext, form: OtpGrantRequest, client: ClientEntry) {
  const { channel_handle: handle, otp } = form
  const found = findUser(ctx.state, handle)
  if (!found) throw oauthError(55)
  const store = oauthStore(ctx.state)
  const record = store.otps.get(handle.toLowerCase())
  if (!record || record.expiresAt <= ctx.state.clock.nowSeconds() || record.clientId !== client.app.clientId)
    throw oauthError(83)
  if (!secretEquals(otp, record.otp)) throw oauthError(85)
  return issueForUser(ctx, client, found, form.scope, () => store.otps.delete(record.email))
}

/**
 * Answers `POST /oauth2/v0/token` for a form's fields: authenticates the client, validates the
 * form with the contract's `TokenRequest`, runs the grant and returns Concur's token response, or
 * throws the documented OAuth2 error.
 */
export async function tokenGrant(ctx: DcContext, fields: FormFields): Promise<TokenResponseWire> {
  const client = authenticateClient(ctx, fields)
  const form = tokenRequest(fields)
  switch (form.grant_type) {
    case 'password':
      return passwordGrant(ctx, form, client)
    case 'refresh_token':
      return refreshGrant(ctx, form, client)
    case 'client_credentials':
      return clientCredentialsGrant(ctx, form, client)
    case 'authorization_code':
      return authorizationCodeGrant(ctx, form, client)
    case 'otp':
      return otpGrant(ctx, form, client)
  }
}
