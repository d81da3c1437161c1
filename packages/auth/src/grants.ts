/** The grants that need no browser or mailbox: password, company request token, refresh, client credentials. */
import { TOKEN_HOSTS } from '@concurkit/contract'
import { type Secret, secret } from './secret.js'
import {
  checkBaseUrl,
  type OAuthCallOptions,
  requireFields,
  runGrant,
  scopeString,
  type TokenSet,
  tokenBaseUrl,
} from './token-endpoint.js'

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
