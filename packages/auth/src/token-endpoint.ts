/**
 * Concur's token endpoint: the request, the processing of its answer and the one grant runner every
 * grant (`grants.ts`, `authorize.ts`, `otp.ts`) goes through.
 */
import {
  DATACENTERS,
  type DatacenterName,
  datacenterOf,
  OAuthErrorBody,
  TOKEN_LIFETIMES,
  TokenResponse,
} from '@concurkit/contract'
import { getGlobalDispatcher } from 'undici'
import {
  ADVICE,
  CONCUR_BAD_RESPONSE,
  CONCUR_INVALID_REQUEST,
  CONCUR_SERVER_ERROR,
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
export function httpOf(options: { http?: Http | undefined }): Http {
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

export function checkBaseUrl(url: string): string {
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

export function defaultTrust(options: OAuthCallOptions): (url: string) => boolean {
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

export function encodeForm(fields: FormFields): string {
  const form = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue
    form.set(k, v instanceof Secret ? v.reveal() : v)
  }
  return form.toString()
}

export function scopeString(scope: string | readonly string[] | undefined): string | undefined {
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

/** One grant's request, as `runGrant` sends it. */
export interface GrantCall {
  grant: string
  fields: FormFields
  /** Where to send it first. */
  baseUrl: string
  previous?: ProcessTokenOptions['previous']
}

/** Runs one grant: request, follow "user lives elsewhere" (code 16) once, process. */
export async function runGrant(options: OAuthCallOptions, call: GrantCall): Promise<TokenSet> {
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

export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin
  } catch {
    return false
  }
}

export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return '<invalid URL>'
  }
}

/** Refuses a missing, empty or non-string field with `CONCUR_INVALID_REQUEST` naming it. */
export function requireFields(fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null || value === '') {
      throw new ConcurAuthError(CONCUR_INVALID_REQUEST, `${name} is required.`)
    }
    if (!(value instanceof Secret) && typeof value !== 'string') {
      throw new ConcurAuthError(CONCUR_INVALID_REQUEST, `${name} must be a string.`)
    }
  }
}
