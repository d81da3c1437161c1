import type { MockState } from '../state.js'
import { base64url, randomBytes, randomInt, randomUUID } from '../util/web-crypto.js'

/** Who a grant speaks for: a user of a company, or the company itself. */
export interface GrantSubject {
  readonly type: 'user' | 'company'
  readonly companyId: string
  /** Index of the user, for user grants. */
  readonly userIndex?: number
}

/** A live refresh token (single use: it is replaced on every refresh). */
export interface RefreshRecord extends GrantSubject {
  readonly clientId: string
  readonly scopes: readonly string[]
  /** Epoch seconds (mock clock). */
  readonly expiresAt: number
  /** Access tokens issued along this refresh chain (jti, exp), revoked with it. */
  readonly accessTokens: readonly (readonly [jti: string, exp: number])[]
}

/** An authorization code issued by `/oauth2/v0/authorize`. */
export interface CodeRecord extends GrantSubject {
  readonly clientId: string
  readonly redirectUri: string
  readonly scopes: readonly string[]
  readonly expiresAt: number
}

/** A company request token (App Center / Company Request Token tool). */
export interface RequestTokenRecord {
  readonly companyId: string
  /** The app it was issued for; `undefined` = any app registered for the company. */
  readonly clientId: string | undefined
  readonly expiresAt: number
}

/** A one-time password mailed by `POST /oauth2/v0/otp`. */
export interface OtpRecord {
  readonly email: string
  readonly otp: string
  readonly clientId: string
  readonly expiresAt: number
  /** Open (unused) OTP requests for this address. */
  readonly open: number
}

/** How many access tokens a refresh chain remembers for revocation. */
const CHAIN_MEMORY = 64
/** Upper bound of live refresh tokens (oldest dropped first) so a long benchmark cannot exhaust memory. */
const MAX_REFRESH_TOKENS = 500_000
/** OTP lifetime (Concur does not document one). */
export const OTP_LIFETIME_SECONDS = 15 * 60
/** Open OTP requests per address before code 82. */
export const MAX_OPEN_OTPS = 5

/** The token service's mutable state: refresh tokens, codes, request tokens, OTPs. Cleared by reset. */
export class OAuthStore {
  readonly refresh = new Map<string, RefreshRecord>()
  readonly codes = new Map<string, CodeRecord>()
  readonly requestTokens = new Map<string, RequestTokenRecord>()
  readonly otps = new Map<string, OtpRecord>()

  reset(): void {
    this.refresh.clear()
    this.codes.clear()
    this.requestTokens.clear()
    this.otps.clear()
  }

  /** Stores a new refresh token and returns it (UUID-shaped, like Concur's). */
  addRefresh(record: RefreshRecord): string {
    const token = randomUUID()
    if (this.refresh.size >= MAX_REFRESH_TOKENS) {
      const oldest = this.refresh.keys().next().value
      if (oldest !== undefined) this.refresh.delete(oldest)
    }
    this.refresh.set(token, record)
    return token
  }

  /** The access-token list of a chain after adding one, pruned of expired and over-limit entries. */
  static chain(
    previous: RefreshRecord['accessTokens'],
    jti: string,
    exp: number,
    nowSeconds: number,
  ): RefreshRecord['accessTokens'] {
    const kept = previous.filter(([, e]) => e > nowSeconds)
    kept.push([jti, exp])
    return kept.slice(-CHAIN_MEMORY)
  }

  addCode(record: CodeRecord): string {
    const code = randomUUID()
    this.codes.set(code, record)
    return code
  }

  addRequestToken(record: RequestTokenRecord): string {
    const token = base64url(randomBytes(24))
    this.requestTokens.set(token, record)
    return token
  }

  addOtp(email: string, clientId: string, expiresAt: number, nowSeconds: number): OtpRecord | undefined {
    const key = email.toLowerCase()
    const prev = this.otps.get(key)
    const open = prev && prev.expiresAt > nowSeconds ? prev.open + 1 : 1
    if (open > MAX_OPEN_OTPS) return undefined
    const record: OtpRecord = {
      email: key,
      otp: String(randomInt(0, 1_000_000)).padStart(6, '0'),
      clientId,
      expiresAt,
      open,
    }
    this.otps.set(key, record)
    return record
  }
}

/** The OAuth store of a mock (created on first use, cleared by `state.reset()`). */
export function oauthStore(state: MockState): OAuthStore {
  return state.store('oauth', () => new OAuthStore())
}
