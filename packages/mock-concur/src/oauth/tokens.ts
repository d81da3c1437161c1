import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto'
import { TOKEN_LIFETIMES } from '@concurkit/contract'
import { exportJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose'
import type { MockClock } from '../clock.js'

/** Claims the mock puts in its access tokens (beyond the registered ones). */
export interface AccessClaims extends JWTPayload {
  sub: string
  jti: string
  exp: number
  iat: number
  'concur.type': 'user' | 'company'
  'concur.company': string
  /** Index of the user in the company, for user tokens. */
  'concur.user'?: number
  'https://api.concursolutions.com/app': string
  'https://api.concursolutions.com/scopes': string[]
}

/** What an access token is issued for. */
export interface AccessGrant {
  type: 'user' | 'company'
  companyId: string
  userIndex?: number
  subject: string
  clientId: string
  scopes: readonly string[]
  /** The issuer: the company's datacenter base URL. */
  issuer: string
}

/** Why a token was refused. */
export type TokenFailure = 'malformed' | 'bad-signature' | 'expired' | 'not-yet-valid' | 'revoked'

/**
 * Signs and verifies the mock's JWTs (RS256, one key per mock instance, published at
 * `/oauth2/v0/jwks`). Verification is stateless apart from a revocation set, and cached so a hot
 * path does not re-verify a signature per request.
 */
export class TokenService {
  readonly kid: string
  readonly #privateKey: KeyObject
  readonly #publicKey: KeyObject
  readonly #clock: MockClock
  readonly #revoked = new Set<string>()
  readonly #verified = new Map<string, AccessClaims>()
  #jwk: JWK | undefined

  constructor(clock: MockClock) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    this.#privateKey = privateKey
    this.#publicKey = publicKey
    this.#clock = clock
    this.kid = randomUUID().slice(0, 8)
  }

  /** Signs any claims as a JWT with this mock's key. */
  async sign(claims: JWTPayload, lifetimeSeconds: number): Promise<string> {
    const now = this.#clock.nowSeconds()
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid })
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.#privateKey)
  }

  /** Issues an access token (1 hour, on the mock's clock). */
  async issueAccessToken(grant: AccessGrant): Promise<{ token: string; expiresIn: number; jti: string }> {
    const jti = randomUUID()
    const claims: Omit<AccessClaims, 'exp' | 'iat'> = {
      sub: grant.subject,
      jti,
      aud: '*',
      iss: grant.issuer,
      'concur.type': grant.type,
      'concur.company': grant.companyId,
      ...(grant.userIndex === undefined ? {} : { 'concur.user': grant.userIndex }),
      'https://api.concursolutions.com/app': grant.clientId,
      'https://api.concursolutions.com/scopes': [...grant.scopes],
    }
    const token = await this.sign(claims, TOKEN_LIFETIMES.accessToken)
    return { token, expiresIn: TOKEN_LIFETIMES.accessToken, jti }
  }

  /** Verifies a JWT signed by this mock: signature (cached), then expiry and revocation (every time). */
  async verify(
    token: string,
  ): Promise<{ ok: true; claims: AccessClaims } | { ok: false; reason: TokenFailure }> {
    let claims = this.#verified.get(token)
    if (!claims) {
      try {
        const result = await jwtVerify(token, this.#publicKey, {
          algorithms: ['RS256'],
          // Time checks run below on the mock's clock, not the wall clock.
          currentDate: new Date(this.#clock.now()),
          clockTolerance: Number.MAX_SAFE_INTEGER,
        })
        claims = result.payload as AccessClaims
      } catch {
        return { ok: false, reason: token.split('.').length === 3 ? 'bad-signature' : 'malformed' }
      }
      if (typeof claims.exp !== 'number' || typeof claims.jti !== 'string')
        return { ok: false, reason: 'malformed' }
      if (this.#verified.size >= 50_000) this.#verified.clear()
      this.#verified.set(token, claims)
    }
    const now = this.#clock.nowSeconds()
    if (claims.exp <= now) return { ok: false, reason: 'expired' }
    if (typeof claims.nbf === 'number' && claims.nbf > now + 5) return { ok: false, reason: 'not-yet-valid' }
    if (this.#revoked.has(claims.jti)) return { ok: false, reason: 'revoked' }
    return { ok: true, claims }
  }

  /** Revokes a token by its `jti`. */
  revoke(jti: string): void {
    this.#revoked.add(jti)
  }

  isRevoked(jti: string): boolean {
    return this.#revoked.has(jti)
  }

  /** Forgets revocations and cached verifications (admin reset). */
  reset(): void {
    this.#revoked.clear()
    this.#verified.clear()
  }

  /** The public key as a JWKS document. */
  async jwks(): Promise<{ keys: JWK[] }> {
    this.#jwk ??= { ...(await exportJWK(this.#publicKey)), kid: this.kid, alg: 'RS256', use: 'sig' }
    return { keys: [this.#jwk] }
  }
}
