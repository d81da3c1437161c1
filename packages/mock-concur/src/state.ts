import type { DatacenterName } from '@concurkit/contract'
import { DATACENTERS } from '@concurkit/contract'
import { MockClock } from './clock.js'
import {
  companyAt,
  DEFAULT_COMPANIES,
  DEFAULT_DATACENTERS,
  DEFAULT_SEED,
  DEFAULT_SIZE,
  type MockCompany,
  type MockUser,
  userAt,
} from './companies.js'
import { FaultEngine } from './faults.js'
import { Journal } from './journal.js'
import { TokenService } from './oauth/tokens.js'
import type { PageRenderer } from './resources/page-cache.js'
import type { MockTlsInfo } from './tls-types.js'

/** Options of `createMockConcur`. Every field has a default. */
export interface MockOptions {
  /** Seed of the whole dataset; the same seed gives the same bytes on every machine. Default 42. */
  seed?: number
  /** Number of companies. Default 2. */
  companies?: number
  /** Expense reports per company; the other resources' sizes follow. Default 500. */
  size?: number
  /** Datacenters served (companies are spread over them round robin). Default `['us', 'eu2']`. */
  datacenters?: readonly DatacenterName[]
  /** When set, the admin API (`/_mock/...`) requires `Authorization: Bearer <adminKey>` or `x-mock-admin-key`. */
  adminKey?: string
  /** Wall-clock source (for tests); the mock's clock runs on top of it. */
  now?: () => number
  /** Auto-approve `/oauth2/v0/authorize` (no consent page). Default true. */
  autoApprove?: boolean
  /**
   * How endpoints Concur retired answer. Every deprecated or decommissioned endpoint carries
   * `x-api-warn` and `sunset`; `'serve'` (default) answers them as before, `'strict'` answers a
   * decommissioned endpoint 410 Gone, `'new-app'` also refuses deprecated endpoints with 403
   * ("new apps will be denied access to deprecated APIs").
   */
  lifecycle?: LifecycleMode
}

/** See {@link MockOptions.lifecycle}. */
export type LifecycleMode = 'serve' | 'strict' | 'new-app'
export const LIFECYCLE_MODES: readonly LifecycleMode[] = ['serve', 'strict', 'new-app']

/** Options with defaults filled in (one place). */
export interface ResolvedOptions {
  readonly seed: number
  readonly companies: number
  readonly size: number
  readonly datacenters: readonly DatacenterName[]
  readonly adminKey: string | undefined
  readonly autoApprove: boolean
  readonly lifecycle: LifecycleMode
}

export function resolveOptions(options: MockOptions = {}): ResolvedOptions {
  const datacenters = [...new Set(options.datacenters ?? DEFAULT_DATACENTERS)]
  for (const dc of datacenters) {
    if (!(dc in DATACENTERS)) throw new RangeError(`unknown datacenter "${dc}"`)
  }
  if (datacenters.length === 0) throw new RangeError('at least one datacenter is required')
  if (!datacenters.some((dc) => !DATACENTERS[dc].landingZone))
    throw new RangeError('at least one datacenter that hosts companies is required (glz only issues tokens)')
  const seed = options.seed ?? DEFAULT_SEED
  const companies = options.companies ?? DEFAULT_COMPANIES
  const size = options.size ?? DEFAULT_SIZE
  const lifecycle = options.lifecycle ?? 'serve'
  if (!LIFECYCLE_MODES.includes(lifecycle))
    throw new RangeError(`lifecycle must be one of ${LIFECYCLE_MODES.join(', ')}`)
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be an integer')
  if (!Number.isSafeInteger(companies) || companies < 1 || companies > 1000)
    throw new RangeError('companies must be 1..1000')
  if (!Number.isSafeInteger(size) || size < 0 || size > 100_000_000)
    throw new RangeError('size must be 0..100000000')
  return {
    seed,
    companies,
    size,
    datacenters,
    adminKey: options.adminKey,
    autoApprove: options.autoApprove ?? true,
    lifecycle,
  }
}

/** Where users added at run time are found (see {@link MockState.userSource}). */
export interface UserSource {
  /** User `index` (≥ the company's `userCount`), unless deleted. */
  user(company: MockCompany, index: number): MockUser | undefined
  /** The index of a user of `company` by login (userName), active or not. */
  indexOfLogin(company: MockCompany, login: string): number | undefined
  /** An active user with a password, by login or e-mail (the password and OTP grants). */
  find(username: string): { company: MockCompany; user: MockUser } | undefined
}

/**
 * Everything a running mock holds: options, clock, companies, token service, journal, faults, the
 * write overlay, and where each datacenter is served. Reset returns it to its seeded state.
 */
export class MockState {
  options: ResolvedOptions
  readonly clock: MockClock
  readonly tokens: TokenService
  readonly journal = new Journal()
  readonly faults: FaultEngine
  companies: readonly MockCompany[]
  /** Base URL of each served datacenter: synthetic until `listen()` gives real ones. */
  readonly datacenterUrls = new Map<DatacenterName, string>()
  /** The CA clients must trust when the datacenters are served over HTTPS (`listen({ tls })`). */
  tls: MockTlsInfo | undefined
  /**
   * Users added at run time (User Provisioning v4 / Identity v4 writes), beyond each company's
   * seeded `userCount`: the token service and the user lookups consult it. Set by that store.
   */
  userSource: UserSource | undefined
  /**
   * Renders v3.0 list pages on worker threads while the mock listens with `workers` (undefined
   * otherwise, and in-process): the list routes hand it the pages the cache does not hold.
   */
  pageRenderer: PageRenderer | undefined
  /** Per-feature stores (overlay writes, connectors, extract jobs ...), cleared by `reset()`. */
  readonly stores = new Map<string, { reset(): void }>()

  constructor(options: MockOptions = {}) {
    this.options = resolveOptions(options)
    this.clock = new MockClock(options.now)
    this.tokens = new TokenService(this.clock)
    this.faults = new FaultEngine(this.options.seed)
    this.companies = this.#seedCompanies()
    for (const dc of this.options.datacenters) this.datacenterUrls.set(dc, `http://${dc}.concur.localhost`)
  }

  #seedCompanies(): MockCompany[] {
    const { seed, companies, size, datacenters } = this.options
    return Array.from({ length: companies }, (_, i) => companyAt(seed, i, size, datacenters))
  }

  /** The company a request's principal belongs to, by id. */
  company(id: string): MockCompany | undefined {
    return this.companies.find((c) => c.id === id)
  }

  /** User *i* of a company (lazy; every index below `userCount` exists). */
  user(company: MockCompany, index: number): MockUser | undefined {
    if (!Number.isInteger(index) || index < 0) return undefined
    if (index >= company.userCount) return this.userSource?.user(company, index)
    return index < company.users.length ? company.users[index] : userAt(this.options.seed, company, index)
  }

  /** Base URL of a datacenter as served now. */
  baseUrl(dc: DatacenterName): string {
    return this.datacenterUrls.get(dc) ?? `http://${dc}.concur.localhost`
  }

  /** A per-feature store, created on first use and cleared by `reset()`. */
  store<T extends { reset(): void }>(key: string, create: () => T): T {
    let s = this.stores.get(key) as T | undefined
    if (!s) {
      s = create()
      this.stores.set(key, s)
    }
    return s
  }

  /** Back to the seeded state: clock, tokens, journal, faults and every store. */
  reset(): void {
    this.clock.reset()
    this.tokens.reset()
    this.journal.clear()
    this.faults.clear()
    for (const s of this.stores.values()) s.reset()
  }

  /** Re-seeds (optionally with new seed/size/companies) and resets. */
  reseed(options: Pick<MockOptions, 'seed' | 'size' | 'companies'>): void {
    this.options = resolveOptions({ ...this.options, ...options })
    this.companies = this.#seedCompanies()
    this.faults.reseed(this.options.seed)
    this.reset()
  }
}
