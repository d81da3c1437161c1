import type { ConcurClient } from '@concurkit/client'
import type { ConformanceIo } from './io.js'
import type { ShapeRecorder } from './shapes.js'
import type { Capability } from './types.js'
import type { Wire } from './wire.js'

/** The credentials of one OAuth application and one user. */
export interface Credentials {
  readonly clientId: string
  readonly clientSecret: string
  readonly username: string
  readonly password: string
}

/** A company of the mock, as the checks use it (credentials of its apps and users). */
export interface FixtureCompany {
  readonly id: string
  readonly datacenter: string
  /** Base URL of the company's datacenter. */
  readonly baseUrl: string
  readonly apps: readonly { clientId: string; clientSecret: string; scopes: readonly string[] }[]
  readonly users: readonly { loginId: string; password: string; email: string; roles: readonly string[] }[]
}

/** What the mock offers beyond Concur's API: its admin API and the seeded principals. */
export interface MockFixtures {
  /** Base URL of the admin API (`/_mock/...`). */
  readonly admin: string
  readonly adminKey?: string
  readonly companies: readonly FixtureCompany[]
  /** Base URL of every served datacenter. */
  readonly datacenters: Readonly<Record<string, string>>
}

/** A token set obtained by a grant (the checks keep secrets out of every reason they print). */
export interface TokenSet {
  readonly accessToken: string
  readonly refreshToken?: string
  readonly geolocation: string
  readonly scope: readonly string[]
  readonly expiresIn: number
}

/**
 * Everything a check can use: the target, its credentials, raw HTTP, the mock's fixtures when
 * the target is the built-in mock, and cached sessions.
 */
export interface TargetContext {
  readonly kind: 'mock' | 'remote'
  /** Shown in reports: `the built-in mock` or the target URL. */
  readonly label: string
  /** Where new tokens are requested: the app's datacenter base URL. */
  readonly baseUrl: string
  readonly capabilities: ReadonlySet<Capability>
  readonly credentials: Credentials
  readonly fixtures?: MockFixtures
  /**
   * Base URL of every datacenter the run knows of (the mock's served ones, or Concur's published
   * hosts for a remote target): the wrong-datacenter checks call another one with this target's token.
   */
  readonly datacenters: Readonly<Record<string, string>>
  /** Pages a walk reads at most before it stops (a page cap, not a failure, on a remote target). */
  readonly maxPages: number
  readonly wire: Wire
  readonly io: ConformanceIo
  readonly recorder?: ShapeRecorder
  /** The main session (the credentials' user), obtained once through `@concurkit/auth` and shared. */
  session(): Promise<TokenSet>
  /** A company-level token of the app (company request token grant), obtained once and shared: for company-only APIs. */
  companySession(): Promise<TokenSet>
  /** A `@concurkit/client` on the main session (token manager with refresh), shared. */
  client(): Promise<ConcurClient>
  /** Per-run memo for expensive shared work (full walks of a resource). */
  memo<T>(key: string, create: () => Promise<T>): Promise<T>
  /** Calls the mock's admin API (JSON in, JSON out); throws on a non-2xx answer. */
  admin(method: string, path: string, body?: unknown): Promise<unknown>
  /** Redacts every secret the run knows of. */
  redact(text: string): string
  /** Registers cleanup run when the target closes (servers a check started, e.g. a connector). */
  onClose(cleanup: () => Promise<void>): void
}
