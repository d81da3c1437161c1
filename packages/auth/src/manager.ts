import { type DatacenterName, datacenterOf } from '@concurkit/contract'
import { decodeJwt } from 'jose'
import {
  ADVICE,
  CONCUR_INVALID_REQUEST,
  CONCUR_NOT_AUTHENTICATED,
  CONCUR_REFRESH_EXPIRED,
  CONCUR_SERVER_ERROR,
  CONCUR_STORE_ERROR,
  CONCUR_UNAUTHORIZED,
  ConcurAuthError,
  type ConcurAuthErrorCode,
} from './errors.js'
import { clientCredentialsGrant, refreshTokenGrant } from './grants.js'
import type { Http } from './http.js'
import { type Secret, secret } from './secret.js'
import type { GrantKind, Principal, StoredProfile, TokenStore } from './store.js'
import { defaultHttpLayer, type TokenSet } from './token-endpoint.js'

/** What the token manager reports through `onEvent` (facts only, never credentials). */
export type TokenEvent =
  | { type: 'refreshed'; profile: string; expiresAt: number; rotated: boolean }
  | { type: 'renewed'; profile: string; expiresAt: number }
  | { type: 'refresh-failed'; profile: string; code: ConcurAuthErrorCode }
  | { type: 'store-failed'; profile: string }
  | { type: 'refresh-expires-soon'; profile: string; refreshExpiresAt: number }
  | { type: 'revoked'; profile: string }

/** Options of {@link createTokenManager}. */
export interface TokenManagerOptions {
  clientId: string
  clientSecret: string | Secret
  store: TokenStore
  /** Profile name in the store, e.g. `company` or `user:jane`. */
  profile: string
  /** The app's datacenter (used only to renew client-credentials tokens). Default `us`. */
  datacenter?: DatacenterName
  /** Base URL override for renewing client-credentials tokens (private/test endpoints). */
  baseUrl?: string
  /** Refresh this many seconds before the access token expires. Default 300. */
  refreshAheadSeconds?: number
  /** Flag refresh tokens within this many days of their end. Default 14. */
  refreshWarningDays?: number
  http?: Http
  /** Receives lifecycle events (no credentials). Must not throw. */
  onEvent?: (event: TokenEvent) => void
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number
}

/** A valid access token and where to use it. */
export interface AccessToken {
  readonly accessToken: Secret
  /** Base URL for API calls (the token's geolocation). */
  readonly geolocation: string
  readonly expiresAt: number
  readonly scope: string
}

/** `status()`: who and until when, without secrets. */
export interface TokenStatus {
  readonly profile: string
  readonly authenticated: boolean
  readonly grant?: GrantKind
  readonly principal?: Principal
  /** Datacenter name when the geolocation is a known Concur datacenter. */
  readonly datacenter?: DatacenterName | undefined
  readonly geolocation?: string
  readonly scope?: string
  readonly accessExpiresAt?: number
  readonly accessValid?: boolean
  readonly refreshExpiresAt?: number | undefined
  readonly refreshExpiresSoon?: boolean
  readonly hasRefreshToken?: boolean
}

/** The token manager. */
export interface TokenManager {
  /** A valid access token (string), refreshing ahead of expiry; concurrent callers share one refresh. */
  getAccessToken(options?: { signal?: AbortSignal }): Promise<string>
  /** Like `getAccessToken`, with the geolocation and expiry, the token wrapped in a {@link Secret}. */
  getToken(options?: { signal?: AbortSignal }): Promise<AccessToken>
  /**
   * Marks the access token as refused (e.g. after a 401). With `token`, only if it is still the current
   * one, so many concurrent 401s for the same token cause one refresh.
   */
  invalidate(token?: string | Secret): void
  /** Refreshes now (joining a refresh in flight) and returns the new access token. */
  forceRefresh(options?: { signal?: AbortSignal; staleToken?: string | Secret }): Promise<string>
  /** Stores the result of a grant as this profile (the first login). */
  save(tokens: TokenSet, source: { grant: GrantKind; username?: string; companyId?: string }): Promise<void>
  status(): Promise<TokenStatus>
  /** `DELETE /app-mgmt/v0/connections` (revokes the app's refresh tokens for this principal), then clears the profile. */
  revoke(options?: { signal?: AbortSignal }): Promise<void>
  /** Forgets the profile locally (store and memory) without revoking. */
  clear(): Promise<void>
}

/**
 * Keeps a profile's tokens valid.
 *
 * - `getAccessToken()` refreshes `refreshAheadSeconds` before expiry; concurrent callers share one refresh.
 * - A rotated refresh token is written to the store BEFORE the new access token is returned. If the write
 *   fails, the call throws `CONCUR_STORE_ERROR` and the new token set stays pending in memory: the next call
 *   writes it first and only then uses it. If the process dies instead, the store still has the previous
 *   refresh token (see README, "Rotation and crashes").
 * - Before refreshing, the store is read again: if another process already refreshed, its tokens are used.
 *
 * @example
 * const tokens = createTokenManager({ clientId, clientSecret, store: fileStore(path), profile: 'company' })
 * const res = await fetch(`${(await tokens.getToken()).geolocation}/api/v3.0/expense/reports`, {
 *   headers: { authorization: `Bearer ${await tokens.getAccessToken()}` },
 * })
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  if (!options.clientId || !options.clientSecret || !options.store || !options.profile) {
    throw new ConcurAuthError(
      CONCUR_INVALID_REQUEST,
      'createTokenManager needs clientId, clientSecret, store and profile.',
    )
  }
  const clientSecret = secret(options.clientSecret)
  const { store, profile, clientId } = options
  const aheadMs = (options.refreshAheadSeconds ?? 300) * 1000
  const warnMs = (options.refreshWarningDays ?? 14) * 86_400_000
  const now = options.now ?? Date.now
  const emit = (e: TokenEvent) => {
    try {
      options.onEvent?.(e)
    } catch {
      // listeners must not break token handling
    }
  }

  let current: StoredProfile | undefined
  let loaded = false
  /** Tokens received but not yet durably stored. */
  let pending: StoredProfile | undefined
  let invalidated = false
  let inflight: Promise<StoredProfile> | undefined
  let warned = false

  async function load(): Promise<StoredProfile | undefined> {
    if (!loaded) {
      current = await store.get(profile)
      loaded = true
    }
    return current
  }

  const fresh = (p: StoredProfile) => !invalidated && p.tokens.expiresAt - aheadMs > now()

  async function persist(next: StoredProfile): Promise<void> {
    pending = next
    try {
      // A failed write is retried at once (twice): the tokens exist nowhere else.
      for (let attempt = 1; ; attempt++) {
        try {
          await store.set(profile, next)
          break
        } catch (err) {
          if (attempt >= 3) throw err
        }
      }
    } catch (err) {
      emit({ type: 'store-failed', profile })
      throw new ConcurAuthError(
        CONCUR_STORE_ERROR,
        `New tokens for profile "${profile}" could not be stored, so they were not used; the next call stores them first. ${ADVICE[CONCUR_STORE_ERROR]}`,
        { cause: err },
      )
    }
    pending = undefined
    current = next
    loaded = true
    invalidated = false
  }

  async function renew(signal: AbortSignal | undefined): Promise<StoredProfile> {
    // 1. Tokens received earlier but not stored: store them before anything else.
    if (pending) {
      await persist(pending)
      return current!
    }
    const before = await load()
    // 2. Another process may have refreshed already: re-read the store.
    const stored = (await store.get(profile)) ?? before
    if (!stored) throw notAuthenticated(profile)
    if (before && !stored.tokens.accessToken.equals(before.tokens.accessToken)) {
      current = stored
      invalidated = false
      if (fresh(stored)) return stored
    }
    const base = stored
    const http = {
      clientId,
      clientSecret,
      ...(options.http ? { http: options.http } : {}),
      ...(signal ? { signal } : {}),
      now,
    }
    let tokens: TokenSet
    try {
      if (base.tokens.refreshToken) {
        tokens = await refreshTokenGrant({
          ...http,
          refreshToken: base.tokens.refreshToken,
          geolocation: base.tokens.geolocation,
          ...(base.tokens.refreshExpiresAt === undefined
            ? {}
            : { refreshExpiresAt: base.tokens.refreshExpiresAt }),
        })
      } else if (base.grant === 'client_credentials') {
        tokens = await clientCredentialsGrant({
          ...http,
          ...(options.datacenter ? { datacenter: options.datacenter } : {}),
          baseUrl: options.baseUrl ?? base.tokens.geolocation,
        })
      } else {
        throw new ConcurAuthError(
          CONCUR_REFRESH_EXPIRED,
          `Profile "${profile}" has no refresh token and its access token expired. ${ADVICE[CONCUR_REFRESH_EXPIRED]}`,
        )
      }
    } catch (err) {
      emit({
        type: 'refresh-failed',
        profile,
        code: err instanceof ConcurAuthError ? err.code : CONCUR_SERVER_ERROR,
      })
      throw err
    }
    const next: StoredProfile = Object.freeze({
      clientId,
      grant: base.grant,
      principal: base.principal,
      tokens,
      updatedAt: now(),
    })
    // 3. Persist BEFORE the new access token is used or returned.
    await persist(next)
    if (tokens.refreshToken) {
      emit({
        type: 'refreshed',
        profile,
        expiresAt: tokens.expiresAt,
        rotated: !tokens.refreshToken.equals(base.tokens.refreshToken),
      })
    } else emit({ type: 'renewed', profile, expiresAt: tokens.expiresAt })
    return next
  }

  function refreshOnce(signal: AbortSignal | undefined): Promise<StoredProfile> {
    inflight ??= renew(signal).finally(() => {
      inflight = undefined
    })
    return inflight
  }

  function checkWarning(p: StoredProfile): void {
    const r = p.tokens.refreshExpiresAt
    if (!warned && r !== undefined && r - now() < warnMs) {
      warned = true
      emit({ type: 'refresh-expires-soon', profile, refreshExpiresAt: r })
    }
  }

  async function valid(signal: AbortSignal | undefined): Promise<StoredProfile> {
    if (inflight) return inflight
    const p = pending ? undefined : await load()
    if (p && fresh(p)) {
      checkWarning(p)
      return p
    }
    if (!p && !pending) throw notAuthenticated(profile)
    const next = await refreshOnce(signal)
    checkWarning(next)
    return next
  }

  const toAccess = (p: StoredProfile): AccessToken =>
    Object.freeze({
      accessToken: p.tokens.accessToken,
      geolocation: p.tokens.geolocation,
      expiresAt: p.tokens.expiresAt,
      scope: p.tokens.scope,
    })

  return {
    async getAccessToken(o = {}) {
      return (await valid(o.signal)).tokens.accessToken.reveal()
    },
    async getToken(o = {}) {
      return toAccess(await valid(o.signal))
    },
    invalidate(token) {
      if (token !== undefined && current && !current.tokens.accessToken.equals(token)) return
      invalidated = true
    },
    async forceRefresh(o = {}) {
      if (inflight) return (await inflight).tokens.accessToken.reveal()
      await load()
      if (o.staleToken !== undefined && current && !current.tokens.accessToken.equals(o.staleToken)) {
        return (await valid(o.signal)).tokens.accessToken.reveal()
      }
      invalidated = true
      return (await refreshOnce(o.signal)).tokens.accessToken.reveal()
    },
    async save(tokens, source) {
      const next: StoredProfile = Object.freeze({
        clientId,
        grant: source.grant,
        principal: principalOf(tokens, source),
        tokens,
        updatedAt: now(),
      })
      await persist(next)
      warned = false
    },
    async status() {
      const p = pending ?? (await load())
      if (!p) return { profile, authenticated: false }
      const t = p.tokens
      const at = now()
      return {
        profile,
        authenticated: true,
        grant: p.grant,
        principal: p.principal,
        datacenter: datacenterOf(t.geolocation)?.name,
        geolocation: t.geolocation,
        scope: t.scope,
        accessExpiresAt: t.expiresAt,
        accessValid: !invalidated && t.expiresAt > at,
        refreshExpiresAt: t.refreshExpiresAt,
        refreshExpiresSoon: t.refreshExpiresAt !== undefined && t.refreshExpiresAt - at < warnMs,
        hasRefreshToken: t.refreshToken !== undefined,
      }
    },
    async revoke(o = {}) {
      const p = await valid(o.signal)
      const http = options.http ?? defaultHttpLayer()
      const url = `${p.tokens.geolocation}/app-mgmt/v0/connections`
      const res = await http.request({
        method: 'DELETE',
        url,
        headers: { authorization: `Bearer ${p.tokens.accessToken.reveal()}`, accept: 'application/json' },
        ...(o.signal ? { signal: o.signal } : {}),
      })
      if (res.status === 401 || res.status === 403) {
        throw new ConcurAuthError(
          CONCUR_UNAUTHORIZED,
          `Concur refused the revocation (HTTP ${res.status}). ${ADVICE[CONCUR_UNAUTHORIZED]}`,
          { status: res.status, method: 'DELETE', url: res.url },
        )
      }
      if (res.status < 200 || res.status >= 300) {
        throw new ConcurAuthError(
          CONCUR_SERVER_ERROR,
          `Concur answered HTTP ${res.status} to the revocation. ${ADVICE[CONCUR_SERVER_ERROR]}`,
          { status: res.status, method: 'DELETE', url: res.url },
        )
      }
      await clear()
      emit({ type: 'revoked', profile })
    },
    clear,
  }

  async function clear(): Promise<void> {
    await store.delete(profile)
    current = undefined
    pending = undefined
    loaded = true
    invalidated = false
  }
}

function notAuthenticated(profile: string): ConcurAuthError {
  return new ConcurAuthError(
    CONCUR_NOT_AUTHENTICATED,
    `No tokens are stored for profile "${profile}". ${ADVICE[CONCUR_NOT_AUTHENTICATED]}`,
  )
}

/**
 * Who a token set belongs to: from the grant (username / company id) and the id_token's `sub` and
 * `concur.type` (decoded, not verified: informational only).
 */
function principalOf(
  tokens: TokenSet,
  source: { grant: GrantKind; username?: string; companyId?: string },
): Principal {
  let claims: Record<string, unknown> = {}
  if (tokens.idToken) {
    try {
      claims = decodeJwt(tokens.idToken.reveal())
    } catch {
      claims = {}
    }
  }
  const kind = claims['concur.type']
  const type: Principal['type'] =
    source.grant === 'client_credentials'
      ? 'app'
      : source.grant === 'company' || kind === 'company'
        ? 'company'
        : 'user'
  const subject =
    typeof claims.sub === 'string' ? claims.sub : type === 'company' ? source.companyId : undefined
  return Object.freeze({
    type,
    subject,
    username: source.username,
    companyId: source.companyId ?? (type === 'company' ? subject : undefined),
  })
}
