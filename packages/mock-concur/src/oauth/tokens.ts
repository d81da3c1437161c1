import { sign as cryptoSign, generateKeyPair, type KeyObject, randomUUID } from 'node:crypto'
import { TOKEN_LIFETIMES } from '@concurkit/contract'
import { exportJWK, type JWK, type JWTPayload, jwtVerify } from 'jose'
import type { MockClock } from '../clock.js'

/** Claims the mock puts in its access tokens (beyond the registered ones). */
export interface AccessClaims extends JWTPayload {
  sub: string
  jti: string
  exp: number
  iat: number
  /** `app` = client-credentials token: speaks for the application only, reads no company data. */
  'concur.type': 'user' | 'company' | 'app'
  'concur.company': string
  /** Index of the user in the company, for user tokens. */
  'concur.user'?: number
  'https://api.concursolutions.com/app': string
  'https://api.concursolutions.com/scopes': string[]
}

/** What an access token is issued for. */
export interface AccessGrant {
  type: 'user' | 'company' | 'app'
  companyId: string
  userIndex?: number
  subject: string
  clientId: string
  scopes: readonly string[]
  /** The issuer: the company's datacenter base URL. */
  issuer: string
}

/** How many verified tokens are remembered (signature checks skipped on a hit). */
const VERIFY_CACHE_SIZE = 20_000

interface KeyPair {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

let sharedKeyPair: Promise<KeyPair> | undefined

/**
 * One RSA key pair per process: generating a 2048-bit key costs ~100-400 ms, too much for every
 * mock a test suite creates. It is generated on libuv's thread pool from the first mock's creation
 * on, so the event loop keeps starting up (listening, loading modules) meanwhile; signing and
 * verifying wait for it. Instances still refuse each other's tokens: each has its own `kid`, and
 * `verify` only accepts its own.
 */
function processKeyPair(): Promise<KeyPair> {
  if (!sharedKeyPair) {
    sharedKeyPair = new Promise<KeyPair>((resolve, reject) => {
      generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) =>
        err ? reject(err) : resolve({ publicKey, privateKey }),
      )
    })
    // Awaited by every use; a failure surfaces there, not as an unhandled rejection.
    sharedKeyPair.catch(() => {})
  }
  return sharedKeyPair
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
  readonly #keys: Promise<KeyPair>
  readonly #clock: MockClock
  readonly #revoked = new Set<string>()
  readonly #verified = new Map<string, AccessClaims>()
  readonly #header: string
  #jwk: JWK | undefined

  constructor(clock: MockClock) {
    this.#keys = processKeyPair()
    this.#clock = clock
    this.kid = randomUUID().slice(0, 8)
    this.#header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid })).toString(
      'base64url',
    )
  }

  /**
   * Signs any claims as an RS256 JWT with this mock's key (`iat`, `nbf`, `exp` on the mock's clock).
   * The RSA operation runs on libuv's thread pool (`crypto.sign` with a callback), so grants on a
   * busy server use every core instead of blocking the event loop.
   */
  async sign(claims: JWTPayload, lifetimeSeconds: number): Promise<string> {
    const now = this.#clock.nowSeconds()
    const payload = { ...claims, iat: now, nbf: now, exp: now + lifetimeSeconds }
    const input = `${this.#header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
    const { privateKey } = await this.#keys
    const signature = await new Promise<Buffer>((resolve, reject) => {
      cryptoSign('sha256', Buffer.from(input), privateKey, (err, sig) => (err ? reject(err) : resolve(sig)))
    })
    return `${input}.${signature.toString('base64url')}`
  }

  /** Issues an access token (1 hour, on the mock's clock). */
  async issueAccessToken(
    grant: AccessGrant,
  ): Promise<{ token: string; expiresIn: number; expiresAt: number; jti: string }> {
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
    const expiresAt = this.#clock.nowSeconds() + TOKEN_LIFETIMES.accessToken
    const token = await this.sign(claims, TOKEN_LIFETIMES.accessToken)
    return { token, expiresIn: TOKEN_LIFETIMES.accessToken, expiresAt, jti }
  }

  /** Verifies a JWT signed by this mock: signature (cached), then expiry and revocation (every time). */
  async verify(
    token: string,
  ): Promise<{ ok: true; claims: AccessClaims } | { ok: false; reason: TokenFailure }> {
    let claims = this.#verified.get(token)
    if (!claims) {
      const { publicKey } = await this.#keys
      try {
        const result = await jwtVerify(
          token,
          (header) => {
            if (header.kid !== this.kid) throw new Error('foreign key id')
            return publicKey
          },
          {
            algorithms: ['RS256'],
            // Time checks run below on the mock's clock, not the wall clock.
            currentDate: new Date(this.#clock.now()),
            clockTolerance: Number.MAX_SAFE_INTEGER,
          },
        )
        claims = result.payload as AccessClaims
      } catch {
        return { ok: false, reason: token.split('.').length === 3 ? 'bad-signature' : 'malformed' }
      }
      if (typeof claims.exp !== 'number' || typeof claims.jti !== 'string')
        return { ok: false, reason: 'malformed' }
      if (this.#verified.size >= VERIFY_CACHE_SIZE) {
        // Bounded: drop the oldest quarter (Map keeps insertion order).
        let drop = VERIFY_CACHE_SIZE / 4
        for (const key of this.#verified.keys()) {
          if (drop-- <= 0) break
          this.#verified.delete(key)
        }
      }
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
    this.#jwk ??= {
      ...(await exportJWK((await this.#keys).publicKey)),
      kid: this.kid,
      alg: 'RS256',
      use: 'sig',
    }
    return { keys: [this.#jwk] }
  }
}
