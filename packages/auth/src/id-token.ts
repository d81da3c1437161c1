import { createHash } from 'node:crypto'
import { DATACENTERS, type DatacenterName, datacenterOf, IdTokenClaims, Jwks } from '@concurkit/contract'
import { createLocalJWKSet, errors as joseErrors, jwtVerify } from 'jose'
import {
  ADVICE,
  CONCUR_BAD_RESPONSE,
  CONCUR_ID_TOKEN_INVALID,
  CONCUR_INVALID_REQUEST,
  ConcurAuthError,
} from './errors.js'
import type { Http } from './http.js'
import { Secret } from './secret.js'
import { defaultHttpLayer } from './token-endpoint.js'

/** Options of {@link verifyIdToken}. */
export interface VerifyIdTokenOptions {
  /** The app's client id: the expected `aud`. */
  clientId: string
  /**
   * The token's geolocation (or any base URL of its datacenter): the expected `iss`, and where the JWKS is
   * fetched (the `www-` twin for known Concur datacenters).
   */
  baseUrl?: string
  /** Alternatively the datacenter name. */
  datacenter?: DatacenterName
  /** Overrides the JWKS URL. */
  jwksUrl?: string
  /** Overrides the expected issuer. */
  issuer?: string
  /** When given, the `at_hash` claim must match it. */
  accessToken?: string | Secret
  /** Allowed clock skew, seconds. Default 60. */
  clockToleranceSeconds?: number
  http?: Http
  signal?: AbortSignal
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number
}

interface CachedJwks {
  readonly fetchedAt: number
  readonly keys: ReturnType<typeof createLocalJWKSet>
}

const JWKS_TTL_MS = 10 * 60 * 1000
const jwksCache = new Map<string, CachedJwks>()

async function loadJwks(
  url: string,
  options: VerifyIdTokenOptions,
  force: boolean,
): Promise<CachedJwks['keys']> {
  const now = Date.now()
  const hit = jwksCache.get(url)
  if (hit && !force && now - hit.fetchedAt < JWKS_TTL_MS) return hit.keys
  const http = options.http ?? defaultHttpLayer()
  const res = await http.request({
    method: 'GET',
    url,
    headers: { accept: 'application/json' },
    ...(options.signal ? { signal: options.signal } : {}),
  })
  let json: unknown
  try {
    json = res.status === 200 ? JSON.parse(res.text()) : undefined
  } catch {
    json = undefined
  }
  const parsed = Jwks.safeParse(json)
  if (!parsed.success) {
    throw new ConcurAuthError(
      CONCUR_BAD_RESPONSE,
      `The JWKS at ${res.url} could not be read (HTTP ${res.status}). ${ADVICE[CONCUR_BAD_RESPONSE]}`,
      { status: res.status, method: 'GET', url: res.url },
    )
  }
  const keys = createLocalJWKSet(parsed.data as Parameters<typeof createLocalJWKSet>[0])
  if (jwksCache.size > 32) jwksCache.clear()
  jwksCache.set(url, { fetchedAt: now, keys })
  return keys
}

function endpoints(options: VerifyIdTokenOptions): { jwksUrl: string; issuer: string } {
  const base = options.baseUrl ?? (options.datacenter ? DATACENTERS[options.datacenter]?.baseUrl : undefined)
  if (!base && !(options.jwksUrl && options.issuer)) {
    throw new ConcurAuthError(
      CONCUR_INVALID_REQUEST,
      'verifyIdToken needs baseUrl (the token geolocation), datacenter, or both jwksUrl and issuer.',
    )
  }
  let origin = ''
  if (base) {
    try {
      const u = new URL(base)
      origin = `${u.origin}${u.pathname.replace(/\/+$/, '')}`
    } catch {
      throw new ConcurAuthError(CONCUR_INVALID_REQUEST, 'verifyIdToken: baseUrl is not a valid URL.')
    }
  }
  const known = base ? datacenterOf(base) : undefined
  return {
    jwksUrl: options.jwksUrl ?? `${known ? known.wwwUrl : origin}/oauth2/v0/jwks`,
    issuer: options.issuer ?? (known ? known.baseUrl : origin),
  }
}

function invalid(reason: string, cause?: unknown): ConcurAuthError {
  return new ConcurAuthError(
    CONCUR_ID_TOKEN_INVALID,
    `The id_token is not valid: ${reason}. ${ADVICE[CONCUR_ID_TOKEN_INVALID]}`,
    cause === undefined ? {} : { cause },
  )
}

/**
 * Verifies a Concur OIDC id_token against the datacenter's JWKS: RS256 signature only (`alg: none`, HS256
 * and every other algorithm are refused), `iss`, `aud` = client id, `exp`/`nbf` (with tolerance), the claim
 * shape of the contract's `IdTokenClaims`, and `at_hash` when the access token is given. The JWKS is cached
 * 10 minutes and fetched again once when the token names an unknown key (key rotation).
 *
 * @example
 * const claims = await verifyIdToken(tokens.idToken!, { clientId, baseUrl: tokens.geolocation })
 * claims.sub // the user's UUID
 * @see reference A.6
 */
export async function verifyIdToken(
  token: string | Secret,
  options: VerifyIdTokenOptions,
): Promise<IdTokenClaims> {
  if (!options.clientId) throw new ConcurAuthError(CONCUR_INVALID_REQUEST, 'verifyIdToken needs clientId.')
  const jwt = token instanceof Secret ? token.reveal() : token
  if (typeof jwt !== 'string' || jwt.split('.').length !== 3) throw invalid('not a signed JWT')
  const { jwksUrl, issuer } = endpoints(options)
  const verifyOptions = {
    algorithms: ['RS256'],
    issuer,
    audience: options.clientId,
    clockTolerance: options.clockToleranceSeconds ?? 60,
    currentDate: new Date((options.now ?? Date.now)()),
  }
  let payload: unknown
  try {
    try {
      payload = (await jwtVerify(jwt, await loadJwks(jwksUrl, options, false), verifyOptions)).payload
    } catch (err) {
      if (!(err instanceof joseErrors.JWKSNoMatchingKey)) throw err
      payload = (await jwtVerify(jwt, await loadJwks(jwksUrl, options, true), verifyOptions)).payload
    }
  } catch (err) {
    if (err instanceof ConcurAuthError) throw err
    const code = (err as { code?: string }).code ?? 'error'
    const claim = (err as { claim?: string }).claim
    const reason =
      code === 'ERR_JOSE_ALG_NOT_ALLOWED'
        ? 'its algorithm is not RS256'
        : code === 'ERR_JWT_EXPIRED'
          ? 'it has expired'
          : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
            ? `claim "${claim}" check failed`
            : code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
              ? 'its signature does not verify'
              : code === 'ERR_JWKS_NO_MATCHING_KEY'
                ? 'no key of the JWKS matches it'
                : `verification failed (${code})`
    throw invalid(reason, err)
  }
  const claims = IdTokenClaims.safeParse(payload)
  if (!claims.success) throw invalid('its claims do not have the documented shape')
  if (options.accessToken !== undefined && claims.data.at_hash !== undefined) {
    const access = options.accessToken instanceof Secret ? options.accessToken.reveal() : options.accessToken
    const digest = createHash('sha256').update(access).digest()
    const expected = digest.subarray(0, digest.length / 2).toString('base64url')
    if (!new Secret(expected).equals(claims.data.at_hash))
      throw invalid('at_hash does not match the access token')
  }
  return claims.data
}
