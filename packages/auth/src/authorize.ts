/** The 3-legged flow: the authorize URL, its callback and the authorization-code grant. */
import { randomBytes } from 'node:crypto'
import { DATACENTERS, type DatacenterName, datacenterOf, TOKEN_HOSTS } from '@concurkit/contract'
import {
  ADVICE,
  CONCUR_AUTHORIZATION_DENIED,
  CONCUR_INVALID_REQUEST,
  CONCUR_STATE_MISMATCH,
  ConcurAuthError,
  ConcurOAuthError,
} from './errors.js'
import { Secret, secret } from './secret.js'
import {
  checkBaseUrl,
  defaultTrust,
  type OAuthCallOptions,
  requireFields,
  runGrant,
  scopeString,
  type TokenSet,
  tokenBaseUrl,
} from './token-endpoint.js'

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
