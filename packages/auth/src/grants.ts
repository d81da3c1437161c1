import { randomBytes } from 'node:crypto'
import {
  DATACENTERS,
  type DatacenterName,
  datacenterOf,
  OAuthErrorBody,
  OtpResponse,
  TOKEN_HOSTS,
  TOKEN_LIFETIMES,
  TokenResponse,
} from '@concurkit/contract'
import { getGlobalDispatcher } from 'undici'
import {
  ADVICE,
  CONCUR_AUTHORIZATION_DENIED,
  CONCUR_BAD_RESPONSE,
  CONCUR_INVALID_REQUEST,
  CONCUR_SERVER_ERROR,
  CONCUR_STATE_MISMATCH,
  CONCUR_WRONG_DATACENTER,
  ConcurAuthError,
  ConcurOAuthError,
  codeForConcurError,
} from './errors.js'
import { createHttp, type Http, type HttpResponse } from './http.js'
import { Secret, scrub, secret } from './secret.js'

/** Options every call to Concur's OAuth2 endpoints accepts. */
export interface OAuthCallOptions {
  /** The app's client id (UUID). */
  clientId: string
  /** The app's client secret. Wrapped in a {@link Secret} at once. */
  clientSecret: string | Secret
  /** The app's datacenter (where NEW tokens are requested). Default `us`. */
  datacenter?: DatacenterName
  /** Overrides the datacenter's base URL (private or test endpoints, e.g. the mock). */
  baseUrl?: string
  /** The HTTP layer. Default: one over undici's global dispatcher. */
  http?: Http
  signal?: AbortSignal
  /** Clock (epoch ms), for expiry arithmetic. Default `Date.now`. */
  now?: () => number
  /**
   * Whether a "user lives elsewhere" answer (code 16) may be followed to this URL. Default: the URL is a
   * known Concur datacenter, or has the same host name as `baseUrl`. The follow happens at most once.
   */
  trustGeolocation?: (url: string) => boolean
}

/**
 * A token set. Credentials are {@link Secret}s: printing or serialising the set never shows them.
 *
 * @example
 * const t = await passwordGrant({ clientId, clientSecret, username, password })
 * fetch(`${t.geolocation}/api/v3.0/expense/reports`, { headers: { authorization: `Bearer ${t.accessToken.reveal()}` } })
 */
export interface TokenSet {
  readonly accessToken: Secret
  /** Absent for `client_credentials`. */
  readonly refreshToken: Secret | undefined
  /** The OIDC id_token (a JWT), when Concur sent one. Verify it with `verifyIdToken`. */
  readonly idToken: Secret | undefined
  readonly tokenType: string
  /** Space-separated scopes. */
  readonly scope: string
  /** Base URL where the principal lives; every later call (refresh, API, revoke) goes there. */
  readonly geolocation: string
  /** When the access token was obtained, epoch ms. */
  readonly obtainedAt: number
  /** When the access token expires, epoch ms. */
  readonly expiresAt: number
  /** When the refresh token expires, epoch ms (see {@link processTokenResponse} for how it is derived). */
  readonly refreshExpiresAt: number | undefined
}

/** Context of {@link processTokenResponse}. */
export interface ProcessTokenOptions {
  /** Epoch ms of "now". Default `Date.now()`. */
  now?: number
  /** The refresh token and its expiry before a refresh (to keep the expiry when the token did not rotate). */
  previous?: { refreshToken?: Secret | undefined; refreshExpiresAt?: number | undefined }
  /** Secrets sent with the request, scrubbed from any error text. */
  secrets?: readonly (string | Secret | undefined)[]
  /** Grant name for error messages. */
  grant?: string
}

/** Form fields of one token request (values may be secrets). */
export type FormFields = Record<string, string | Secret | undefined>

let defaultHttp: Http | undefined
/**
 * The HTTP layer used when none is given: one over undici's global dispatcher (never closed).
 *
 * @example
 * const res = await defaultHttpLayer().request({ method: 'GET', url: 'https://www-us.api.concursolutions.com/oauth2/v0/jwks' })
 */
export function defaultHttpLayer(): Http {
  defaultHttp ??= createHttp({ dispatcher: getGlobalDispatcher() })
  return defaultHttp
}
function httpOf(options: { http?: Http | undefined }): Http {
  return options.http ?? defaultHttpLayer()
}

/**
 * The base URL where NEW tokens are requested: `baseUrl` if given, else the datacenter's server-side URL.
 *
 * @example
 * tokenBaseUrl({ datacenter: 'eu2' }) // 'https://eu2.api.concursolutions.com'
 */
export function tokenBaseUrl(
  options: { datacenter?: DatacenterName; baseUrl?: string },
  /** The datacenter when the caller names none: the grant's documented token host. Default `us`. */
  fallback: DatacenterName = 'us',
): string {
  if (options.baseUrl !== undefined) return checkBaseUrl(options.baseUrl)
  const dc = DATACENTERS[options.datacenter ?? fallback]
  if (!dc) {
    throw new ConcurAuthError(
      CONCUR_INVALID_REQUEST,
      `Unknown datacenter ${JSON.stringify(options.datacenter)}. Use one of: ${Object.keys(DATACENTERS).join(', ')}.`,
    )
  }
  return dc.baseUrl
}

function checkBaseUrl(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new ConcurAuthError(CONCUR_INVALID_REQUEST, 'baseUrl/geolocation is not a valid absolute URL.')
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new ConcurAuthError(CONCUR_INVALID_REQUEST, 'baseUrl/geolocation must be an http(s) URL.')
  }
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`
}

function defaultTrust(options: OAuthCallOptions): (url: string) => boolean {
  return (url) => {
    if (datacenterOf(url)) return true
    if (options.baseUrl === undefined) return false
    try {
      return new URL(url).hostname === new URL(options.baseUrl).hostname
    } catch {
      return false
    }
  }
}

function encodeForm(fields: FormFields): string {
  const form = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue
    form.set(k, v instanceof Secret ? v.reveal() : v)
  }
  return form.toString()
}

function scopeString(scope: string | readonly string[] | undefined): string | undefined {
  if (scope === undefined) return undefined
  const s = typeof scope === 'string' ? scope : scope.join(' ')
  return s.trim() === '' ? undefined : s.trim()
}

/**
 * Sends `POST <baseUrl>/oauth2/v0/token` with a form body (the request half of a grant) and returns the raw
 * answer. Use {@link processTokenResponse} to validate it.
 *
 * @example
 * const res = await tokenRequest('https://us.api.concursolutions.com', { grant_type: 'client_credentials', client_id, client_secret })
 */
export function tokenRequest(
  baseUrl: string,
  fields: FormFields,
  options: { http?: Http; signal?: AbortSignal } = {},
): Promise<HttpResponse> {
  return httpOf(options).request({
    method: 'POST',
    url: `${checkBaseUrl(baseUrl)}/oauth2/v0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: encodeForm(fields),
    ...(options.signal ? { signal: options.signal } : {}),
  })
}

/**
 * Turns a non-2xx answer of an OAuth2 endpoint into a typed error (Concur's numeric code mapped to a
 * stable `CONCUR_*` code). Secrets sent with the request are scrubbed from the text.
 *
 * @example
 * if (res.status !== 200) throw oauthErrorFromResponse(res, { grant: 'password' })
 */
export function oauthErrorFromResponse(
  res: HttpResponse,
  context: { grant?: string; secrets?: readonly (string | Secret | undefined)[]; method?: string } = {},
): ConcurAuthError {
  const what = context.grant ? `the ${context.grant} grant` : 'the request'
  const method = context.method ?? 'POST'
  const facts = { status: res.status, method, url: res.url }
  let json: unknown
  try {
    json = JSON.parse(res.text())
  } catch {
    json = undefined
  }
  const body = OAuthErrorBody.safeParse(json)
  if (body.success) {
    const b = body.data
    const code = codeForConcurError(b.code, b.error)
    const description = scrub(b.error_description, context.secrets ?? []).slice(0, 300)
    return new ConcurOAuthError(
      code,
      `Concur refused ${what}: ${description} (${b.error}, code ${b.code}, HTTP ${res.status}). ${ADVICE[code]}`,
      {
        ...facts,
        concurCode: b.code,
        error: b.error,
        description,
        ...(b.geolocation ? { geolocation: b.geolocation } : {}),
      },
    )
  }
  if (res.status >= 500 || res.status === 429) {
    return new ConcurAuthError(
      CONCUR_SERVER_ERROR,
      `Concur answered HTTP ${res.status} to ${what}. ${ADVICE[CONCUR_SERVER_ERROR]}`,
      facts,
    )
  }
  return new ConcurAuthError(
    CONCUR_BAD_RESPONSE,
    `Concur answered HTTP ${res.status} to ${what} without an OAuth2 error body. ${ADVICE[CONCUR_BAD_RESPONSE]}`,
    facts,
  )
}

/**
 * Validates a token answer (the process half of a grant) with the contract's `TokenResponse` and returns a
 * {@link TokenSet}. Non-200 answers throw the mapped {@link ConcurOAuthError}.
 *
 * The refresh-token expiry: `refresh_expires_in` when sent (Concur names it "epoch time"; values above 1e12
 * are read as epoch ms, above 1e9 as epoch seconds, smaller ones as a lifetime in seconds); else, when the
 * refresh token did not change on a refresh, the previous expiry; else `now` + 6 months.
 *
 * @example
 * const tokens = processTokenResponse(await tokenRequest(base, fields), { now: Date.now() })
 */
export function processTokenResponse(res: HttpResponse, options: ProcessTokenOptions = {}): TokenSet {
  const what = options.grant ? `the ${options.grant} grant` : 'the token request'
  if (res.status !== 200) throw oauthErrorFromResponse(res, options)
  let json: unknown
  try {
    json = JSON.parse(res.text())
  } catch (err) {
    throw new ConcurAuthError(
      CONCUR_BAD_RESPONSE,
      `Concur's answer to ${what} is not JSON. ${ADVICE[CONCUR_BAD_RESPONSE]}`,
      { status: res.status, method: 'POST', url: res.url, cause: new Error((err as Error).name) },
    )
  }
  const parsed = TokenResponse.safeParse(json)
  if (!parsed.success) {
    // Issue paths and messages only: values could be credentials.
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
    throw new ConcurAuthError(
      CONCUR_BAD_RESPONSE,
      `Concur's answer to ${what} does not match the token response schema (${scrub(issues, options.secrets ?? [])}). ${ADVICE[CONCUR_BAD_RESPONSE]}`,
      { status: res.status, method: 'POST', url: res.url },
    )
  }
  const t = parsed.data
  const now = options.now ?? Date.now()
  const refreshToken = t.refresh_token ? new Secret(t.refresh_token) : undefined
  let refreshExpiresAt: number | undefined
  if (refreshToken) {
    const r = t.refresh_expires_in
    if (r !== undefined && r > 0) refreshExpiresAt = r > 1e12 ? r : r > 1e9 ? r * 1000 : now + r * 1000
    else if (options.previous?.refreshToken?.equals(refreshToken) && options.previous.refreshExpiresAt)
      refreshExpiresAt = options.previous.refreshExpiresAt
    else refreshExpiresAt = now + TOKEN_LIFETIMES.refreshToken * 1000
  }
  return Object.freeze({
    accessToken: new Secret(t.access_token),
    refreshToken,
    idToken: t.id_token ? new Secret(t.id_token) : undefined,
    tokenType: t.token_type,
    scope: t.scope,
    geolocation: checkBaseUrl(t.geolocation),
    obtainedAt: now,
    expiresAt: now + t.expires_in * 1000,
    refreshExpiresAt,
  })
}

interface GrantCall {
  grant: string
  fields: FormFields
  /** Where to send it first. */
  baseUrl: string
  previous?: ProcessTokenOptions['previous']
}

/** Runs one grant: request, follow "user lives elsewhere" (code 16) once, process. */
async function runGrant(options: OAuthCallOptions, call: GrantCall): Promise<TokenSet> {
  if (!options.clientId) throw new ConcurAuthError(CONCUR_INVALID_REQUEST, 'clientId is required.')
  if (!options.clientSecret) throw new ConcurAuthError(CONCUR_INVALID_REQUEST, 'clientSecret is required.')
  const clientSecret = secret(options.clientSecret)
  const fields: FormFields = { ...call.fields, client_id: options.clientId, client_secret: clientSecret }
  const secrets = Object.values(fields).filter((v): v is Secret => v instanceof Secret)
  const http = {
    ...(options.http ? { http: options.http } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  }
  const now = options.now ?? Date.now
  const process = (res: HttpResponse) =>
    processTokenResponse(res, {
      now: now(),
      secrets,
      grant: call.grant,
      ...(call.previous ? { previous: call.previous } : {}),
    })
  try {
    return process(await tokenRequest(call.baseUrl, fields, http))
  } catch (err) {
    if (!(err instanceof ConcurOAuthError) || err.code !== CONCUR_WRONG_DATACENTER || !err.geolocation)
      throw err
    const target = err.geolocation
    const trust = options.trustGeolocation ?? defaultTrust(options)
    if (!trust(target) || sameOrigin(target, call.baseUrl)) throw err
    try {
      return process(await tokenRequest(target, fields, http))
    } catch (second) {
      if (second instanceof ConcurOAuthError && second.code === CONCUR_WRONG_DATACENTER) {
        throw new ConcurOAuthError(
          CONCUR_WRONG_DATACENTER,
          `Concur sent ${call.grant} from ${safeOrigin(call.baseUrl)} to ${safeOrigin(target)}, which sent it elsewhere again; not following twice. Check the app's datacenter.`,
          {
            cause: second,
            ...(second.status === undefined ? {} : { status: second.status }),
            ...(second.concurCode === undefined ? {} : { concurCode: second.concurCode }),
            ...(second.geolocation === undefined ? {} : { geolocation: second.geolocation }),
          },
        )
      }
      throw second
    }
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin
  } catch {
    return false
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return '<invalid URL>'
  }
}

/** Options of {@link passwordGrant}. */
export interface PasswordGrantOptions extends OAuthCallOptions {
  /** Login id or user id. */
  username: string
  password: string | Secret
  scope?: string | readonly string[]
}

/**
 * `grant_type=password`: a user's login and password. Sent to the app's datacenter; a "user lives
 * elsewhere" answer is followed once.
 *
 * @example
 * const tokens = await passwordGrant({ clientId, clientSecret, username: 'jane@example.com', password, datacenter: 'us' })
 * @see reference A.2
 */
export async function passwordGrant(options: PasswordGrantOptions): Promise<TokenSet> {
  requireFields({ username: options.username, password: options.password })
  return runGrant(options, {
    grant: 'password',
    baseUrl: tokenBaseUrl(options),
    fields: {
      grant_type: 'password',
      username: options.username,
      password: secret(options.password),
      credtype: 'password',
      scope: scopeString(options.scope),
    },
  })
}

/** Options of {@link companyRequestTokenGrant}. */
export interface CompanyRequestTokenGrantOptions extends OAuthCallOptions {
  /** The company UUID (`id` of the App Center redirect, or shown by the Company Request Token tool). */
  companyId: string
  /** The company request token (`requestToken`; valid 24 h, reusable within that time). */
  requestToken: string | Secret
  scope?: string | readonly string[]
}

/**
 * Company-level token from a company request token: `grant_type=password`, `credtype=authtoken`,
 * `username` = company UUID, `password` = request token. Sent to the Global Landing Zone
 * (`https://glz.api.concursolutions.com`) unless `datacenter` or `baseUrl` says otherwise, as
 * Concur requires of third-party apps since 2025-01; the answer's `geolocation` is the company's.
 *
 * @example
 * const tokens = await companyRequestTokenGrant({ clientId, clientSecret, companyId, requestToken })
 * @see reference A.7
 */
export async function companyRequestTokenGrant(options: CompanyRequestTokenGrantOptions): Promise<TokenSet> {
  requireFields({ companyId: options.companyId, requestToken: options.requestToken })
  return runGrant(options, {
    grant: 'company request token',
    baseUrl: tokenBaseUrl(options, TOKEN_HOSTS.companyRequestToken),
    fields: {
      grant_type: 'password',
      username: options.companyId,
      password: secret(options.requestToken),
      credtype: 'authtoken',
      scope: scopeString(options.scope),
    },
  })
}

/** Options of {@link refreshTokenGrant}. */
export interface RefreshTokenGrantOptions extends Omit<OAuthCallOptions, 'datacenter' | 'baseUrl'> {
  refreshToken: string | Secret
  /** The token's `geolocation`: refreshes go there, not to the app's datacenter. */
  geolocation: string
  scope?: string | readonly string[]
  /** Expiry of the current refresh token (epoch ms), kept when Concur returns the same token. */
  refreshExpiresAt?: number
}

/**
 * `grant_type=refresh_token`, sent to the token's geolocation. Concur returns a new refresh token (which may
 * or may not differ): store it before using the new access token.
 *
 * @example
 * const next = await refreshTokenGrant({ clientId, clientSecret, refreshToken: t.refreshToken!, geolocation: t.geolocation })
 */
export async function refreshTokenGrant(options: RefreshTokenGrantOptions): Promise<TokenSet> {
  requireFields({ refreshToken: options.refreshToken, geolocation: options.geolocation })
  const refreshToken = secret(options.refreshToken)
  return runGrant(
    { ...options, baseUrl: options.geolocation },
    {
      grant: 'refresh_token',
      baseUrl: checkBaseUrl(options.geolocation),
      fields: { grant_type: 'refresh_token', refresh_token: refreshToken, scope: scopeString(options.scope) },
      previous: {
        refreshToken,
        ...(options.refreshExpiresAt === undefined ? {} : { refreshExpiresAt: options.refreshExpiresAt }),
      },
    },
  )
}

/** Options of {@link clientCredentialsGrant}. */
export interface ClientCredentialsGrantOptions extends OAuthCallOptions {
  scope?: string | readonly string[]
}

/**
 * `grant_type=client_credentials`: an app-only token (no refresh token, no id_token).
 *
 * @example
 * const { accessToken } = await clientCredentialsGrant({ clientId, clientSecret, datacenter: 'eu2' })
 */
export async function clientCredentialsGrant(options: ClientCredentialsGrantOptions): Promise<TokenSet> {
  return runGrant(options, {
    grant: 'client_credentials',
    baseUrl: tokenBaseUrl(options),
    fields: { grant_type: 'client_credentials', scope: scopeString(options.scope) },
  })
}

/** Options of {@link buildAuthorizeUrl}. */
export interface AuthorizeUrlOptions {
  clientId: string
  redirectUri: string
  scope?: string | readonly string[]
  /** Opaque value echoed on the callback; generated (128 random bits) if not given. */
  state?: string
  datacenter?: DatacenterName
  /** Overrides the authorize host (used as is, e.g. the mock). */
  baseUrl?: string
}

/**
 * Builds the `/oauth2/v0/authorize` URL for the 3-legged flow, on the datacenter's `www-` host.
 * Keep the returned `state` and check it with {@link parseAuthorizationCallback}.
 *
 * @example
 * const { url, state } = buildAuthorizeUrl({ clientId, redirectUri: 'https://app.example.com/cb', scope: 'EXPRPT openid' })
 * session.state = state; res.redirect(url)
 */
export function buildAuthorizeUrl(options: AuthorizeUrlOptions): { url: string; state: string } {
  requireFields({ clientId: options.clientId, redirectUri: options.redirectUri })
  let base: string
  if (options.baseUrl !== undefined) {
    const known = datacenterOf(options.baseUrl)
    base = known ? known.wwwUrl : checkBaseUrl(options.baseUrl)
  } else {
    base = DATACENTERS[options.datacenter ?? 'us']?.wwwUrl ?? tokenBaseUrl(options)
  }
  const state = options.state ?? randomBytes(16).toString('base64url')
  const url = new URL(`${base}/oauth2/v0/authorize`)
  url.searchParams.set('client_id', options.clientId)
  url.searchParams.set('redirect_uri', options.redirectUri)
  const scope = scopeString(options.scope)
  if (scope) url.searchParams.set('scope', scope)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('state', state)
  return { url: url.toString(), state }
}

/** What the authorize redirect carries. */
export interface AuthorizationCallback {
  code: Secret
  /** The user's datacenter, from `?geolocation=` (exchange the code there). */
  geolocation: string | undefined
  state: string | undefined
}

/**
 * Reads the authorize redirect (`<redirect_uri>?geolocation=…&code=…&state=…`), checks `state` against the
 * one sent, and returns the code. An `error_code` in the redirect throws `CONCUR_AUTHORIZATION_DENIED`.
 *
 * @example
 * const cb = parseAuthorizationCallback(req.url, { expectedState: session.state })
 * const tokens = await authorizationCodeGrant({ clientId, clientSecret, code: cb.code, redirectUri, geolocation: cb.geolocation })
 */
export function parseAuthorizationCallback(
  callbackUrl: string | URL,
  options: { expectedState: string | undefined },
): AuthorizationCallback {
  let url: URL
  try {
    url = new URL(callbackUrl, 'http://callback.invalid')
  } catch {
    throw new ConcurAuthError(CONCUR_INVALID_REQUEST, 'The authorization callback URL is not a valid URL.')
  }
  const q = url.searchParams
  const state = q.get('state') ?? undefined
  if (options.expectedState !== undefined && !new Secret(options.expectedState).equals(state)) {
    throw new ConcurAuthError(
      CONCUR_STATE_MISMATCH,
      `The authorization callback's state does not match the one sent. ${ADVICE[CONCUR_STATE_MISMATCH]}`,
    )
  }
  const errorCode = q.get('error_code') ?? q.get('error')
  if (errorCode) {
    const description = (q.get('error_description') ?? '').slice(0, 200)
    throw new ConcurOAuthError(
      CONCUR_AUTHORIZATION_DENIED,
      `The authorization failed: ${description || 'no description'} (${errorCode}). ${ADVICE[CONCUR_AUTHORIZATION_DENIED]}`,
      {
        ...(Number.isInteger(Number(errorCode)) ? { concurCode: Number(errorCode) } : { error: errorCode }),
        description,
      },
    )
  }
  const code = q.get('code')
  if (!code) {
    throw new ConcurAuthError(CONCUR_INVALID_REQUEST, 'The authorization callback has no `code` parameter.')
  }
  return { code: new Secret(code), geolocation: q.get('geolocation') ?? undefined, state }
}

/** Options of {@link authorizationCodeGrant}. */
export interface AuthorizationCodeGrantOptions extends OAuthCallOptions {
  code: string | Secret
  /** Must equal the `redirect_uri` of the authorize request. */
  redirectUri: string
  /**
   * The `geolocation` of the authorize redirect. The code is exchanged there when it is trusted (see
   * `trustGeolocation`), else at the app's datacenter.
   */
  geolocation?: string | undefined
}

/**
 * `grant_type=authorization_code`: exchanges the code of the authorize redirect: at the redirect's
 * trusted `geolocation`, else at the Global Landing Zone (unless `datacenter` or `baseUrl` is given).
 *
 * @example
 * const tokens = await authorizationCodeGrant({ clientId, clientSecret, code, redirectUri, geolocation })
 */
export async function authorizationCodeGrant(options: AuthorizationCodeGrantOptions): Promise<TokenSet> {
  requireFields({ code: options.code, redirectUri: options.redirectUri })
  const trust = options.trustGeolocation ?? defaultTrust(options)
  const baseUrl =
    options.geolocation && trust(options.geolocation)
      ? checkBaseUrl(options.geolocation)
      : tokenBaseUrl(options, TOKEN_HOSTS.authorizationCode)
  return runGrant(options, {
    grant: 'authorization_code',
    baseUrl,
    fields: {
      grant_type: 'authorization_code',
      code: secret(options.code),
      redirect_uri: options.redirectUri,
    },
  })
}

/** Options of {@link requestOtp}. */
export interface RequestOtpOptions extends OAuthCallOptions {
  /** The user's e-mail address (`channel_handle`). */
  email: string
  name?: string
  company?: string
  link?: string
}

/**
 * `POST /oauth2/v0/otp`: asks Concur to e-mail a one-time password to the user.
 *
 * @example
 * await requestOtp({ clientId, clientSecret, email: 'jane@example.com' }) // { message: 'otp sent' }
 */
export async function requestOtp(options: RequestOtpOptions): Promise<OtpResponse> {
  requireFields({ clientId: options.clientId, clientSecret: options.clientSecret, email: options.email })
  const clientSecret = secret(options.clientSecret)
  const res = await httpOf(options).request({
    method: 'POST',
    url: `${tokenBaseUrl(options)}/oauth2/v0/otp`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: encodeForm({
      client_id: options.clientId,
      client_secret: clientSecret,
      channel_type: 'email',
      channel_handle: options.email,
      name: options.name,
      company: options.company,
      link: options.link,
    }),
    ...(options.signal ? { signal: options.signal } : {}),
  })
  if (res.status !== 200) throw oauthErrorFromResponse(res, { grant: 'otp request', secrets: [clientSecret] })
  let json: unknown
  try {
    json = JSON.parse(res.text())
  } catch {
    json = undefined
  }
  const parsed = OtpResponse.safeParse(json)
  if (!parsed.success) {
    throw new ConcurAuthError(
      CONCUR_BAD_RESPONSE,
      `Concur's answer to the otp request is not {"message": …}. ${ADVICE[CONCUR_BAD_RESPONSE]}`,
      { status: res.status, method: 'POST', url: res.url },
    )
  }
  return parsed.data
}

/** Options of {@link otpGrant}. */
export interface OtpGrantOptions extends OAuthCallOptions {
  email: string
  /** The one-time password from the e-mail. */
  otp: string | Secret
  scope?: string | readonly string[]
}

/**
 * `grant_type=otp`: exchanges a one-time password mailed by {@link requestOtp}.
 *
 * @example
 * const tokens = await otpGrant({ clientId, clientSecret, email: 'jane@example.com', otp: '123456' })
 */
export async function otpGrant(options: OtpGrantOptions): Promise<TokenSet> {
  requireFields({ email: options.email, otp: options.otp })
  return runGrant(options, {
    grant: 'otp',
    baseUrl: tokenBaseUrl(options),
    fields: {
      grant_type: 'otp',
      channel_type: 'email',
      channel_handle: options.email,
      otp: secret(options.otp),
      scope: scopeString(options.scope),
    },
  })
}

function requireFields(fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null || value === '') {
      throw new ConcurAuthError(CONCUR_INVALID_REQUEST, `${name} is required.`)
    }
    if (!(value instanceof Secret) && typeof value !== 'string') {
      throw new ConcurAuthError(CONCUR_INVALID_REQUEST, `${name} must be a string.`)
    }
  }
}
