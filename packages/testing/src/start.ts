import {
  createHttp,
  createTokenManager,
  type DatacenterName,
  type Http,
  memoryStore,
  passwordGrant,
  type TokenManager,
} from '@concurkit/auth'
import { type ConcurClient, type ConcurClientOptions, createConcurClient } from '@concurkit/client'
import {
  createMockConcur,
  FaultInput,
  type FaultRule,
  type JournalEntry,
  type MockConcur,
  type MockOptions,
  type MockTlsOptions,
  type MockUrls,
} from '@concurkit/mock-concur'

/** Options of {@link startTestMock}: the mock's options, who signs in and how the client is built. */
export interface TestMockOptions extends MockOptions {
  /** Index of the company whose credentials are used. Default 0 (the default company). */
  company?: number
  /**
   * Who the ready client acts as: `admin` (user 0, the Web Services Administrator: company-wide
   * reads), `user` (user 2, an expense user) or a user index. Default `admin`.
   */
  as?: 'admin' | 'user' | number
  /** Extra client options (retries, concurrency, …); `auth` is always the fixture's token manager. */
  client?: Omit<ConcurClientOptions, 'auth'>
  /**
   * Serve the mock over HTTPS (`listen({ tls })`): the token manager and the client trust its CA
   * (one shared `createHttp({ ca })` layer), `credentials.ca` names the CA file for other clients.
   */
  tls?: boolean | MockTlsOptions
}

/** Credentials of the signed-in user of the fixture. Mock credentials only: safe to print. */
export interface TestCredentials {
  readonly companyId: string
  readonly datacenter: DatacenterName
  /** The company's datacenter URL (where tokens are requested and the API is called). */
  readonly baseUrl: string
  readonly tokenUrl: string
  readonly clientId: string
  readonly clientSecret: string
  readonly username: string
  readonly password: string
  /** With `tls`: the CA certificate file (PEM) to trust (`NODE_EXTRA_CA_CERTS`, `curl --cacert` …). */
  readonly ca?: string
}

/** Admin helpers acting on the running mock directly (no HTTP). */
export interface TestMockAdmin {
  /** Adds a fault rule (same body as `POST /_mock/faults`); returns its id. */
  addFault(input: FaultInput): string
  removeFault(id: string): boolean
  clearFaults(): void
  readonly faults: readonly FaultRule[]
  /** The request journal (secrets redacted), oldest first. */
  journal(): readonly JournalEntry[]
  clearJournal(): void
  /** Moves the mock's clock forward (token expiry, refresh-token ends). */
  advanceClock(seconds: number): void
  /** Clears tokens, faults, journal, connectors and writes; the dataset stays. */
  reset(): void
}

/** A started mock with credentials, a token manager and a ready client. */
export interface TestMockConcur {
  readonly mock: MockConcur
  readonly urls: MockUrls
  readonly credentials: TestCredentials
  /** `@concurkit/auth` token manager signed in with the password grant (memory store). */
  readonly tokens: TokenManager
  /** `@concurkit/client` client on `tokens`. */
  readonly client: ConcurClient
  readonly admin: TestMockAdmin
  /** Closes the client and the mock's sockets. */
  close(): Promise<void>
}

function userIndex(as: TestMockOptions['as']): number {
  if (as === undefined || as === 'admin') return 0
  if (as === 'user') return 2
  if (!Number.isInteger(as) || as < 0)
    throw new RangeError(`as: expected 'admin', 'user' or a user index, got ${as}`)
  return as
}

/**
 * Starts a mock on free 127.0.0.1 ports, signs a user in with the password grant and builds a client.
 * The test-runner helpers (`@concurkit/testing/vitest`, `@concurkit/testing/node-test`) call it in a
 * before-all hook and `close()` after.
 *
 * @example
 * const concur = await startTestMock({ seed: 7, size: 20 })
 * for await (const charge of concur.client.companyCardTransactions.list()) console.log(charge)
 * await concur.close()
 */
export async function startTestMock(options: TestMockOptions = {}): Promise<TestMockConcur> {
  const { company: companyIndex = 0, as, client: clientOptions, tls, ...mockOptions } = options
  const mock = createMockConcur(mockOptions)
  const company = mock.state.companies[companyIndex]
  if (!company) throw new RangeError(`company ${companyIndex}: the mock has ${mock.state.companies.length}`)
  const user = mock.state.user(company, userIndex(as))
  if (!user)
    throw new RangeError(`user ${userIndex(as)}: company ${company.id} has ${company.userCount} users`)
  const urls = await mock.listen({ host: '127.0.0.1', port: 0, ...(tls ? { tls } : {}) })
  let client: ConcurClient | undefined
  let http: Http | undefined
  try {
    if (urls.tls) http = createHttp({ ca: urls.tls.caPem })
    const baseUrl = urls.datacenters[company.datacenter] ?? urls.admin
    const app = company.apps[0]!
    const credentials: TestCredentials = {
      companyId: company.id,
      datacenter: company.datacenter,
      baseUrl,
      tokenUrl: `${baseUrl}/oauth2/v0/token`,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      username: user.loginId,
      password: user.password,
      ...(urls.tls ? { ca: urls.tls.ca } : {}),
    }
    const oauth = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      baseUrl,
      ...(http ? { http } : {}),
    }
    const tokens = createTokenManager({ ...oauth, store: memoryStore(), profile: 'test' })
    const set = await passwordGrant({ ...oauth, username: user.loginId, password: user.password })
    await tokens.save(set, { grant: 'password', username: user.loginId })
    client = createConcurClient({ ...clientOptions, ...(http ? { http } : {}), auth: tokens })
    const ready = client
    const { state } = mock
    const admin: TestMockAdmin = {
      addFault: (input) => state.faults.add(FaultInput.parse(input)).id,
      removeFault: (id) => state.faults.remove(id),
      clearFaults: () => state.faults.clear(),
      get faults() {
        return state.faults.rules
      },
      journal: () => state.journal.list(),
      clearJournal: () => state.journal.clear(),
      advanceClock: (seconds) => state.clock.advance(seconds),
      reset: () => state.reset(),
    }
    return {
      mock,
      urls,
      credentials,
      tokens,
      client: ready,
      admin,
      async close() {
        await ready.close()
        await http?.close()
        await urls.close()
      },
    }
  } catch (err) {
    await client?.close()
    await http?.close()
    await urls.close()
    throw err
  }
}

/** What `useMockConcur` returns: getters valid inside tests (after the before-all hook ran). */
export interface MockConcurHandle {
  readonly mock: MockConcur
  readonly urls: MockUrls
  readonly credentials: TestCredentials
  readonly tokens: TokenManager
  readonly client: ConcurClient
  readonly admin: TestMockAdmin
}

/** Thrown when a handle is read before its before-all hook ran (e.g. at module level). */
export class MockNotStartedError extends Error {
  readonly code = 'CONCUR_MOCK_NOT_STARTED'
  constructor(what: string) {
    super(`${what} is available inside tests only: the mock starts in the before-all hook`)
    this.name = 'MockNotStartedError'
  }
}

/** Wires {@link startTestMock} to a test runner's before-all / after-all hooks. */
export function handleWithHooks(
  options: TestMockOptions,
  hooks: {
    before: (fn: () => Promise<void>) => void
    after: (fn: () => Promise<void>) => void
  },
): MockConcurHandle {
  let started: TestMockConcur | undefined
  hooks.before(async () => {
    started = await startTestMock(options)
  })
  hooks.after(async () => {
    const s = started
    started = undefined
    await s?.close()
  })
  const get = <K extends keyof MockConcurHandle>(key: K): MockConcurHandle[K] => {
    if (!started) throw new MockNotStartedError(key)
    return started[key]
  }
  return {
    get mock() {
      return get('mock')
    },
    get urls() {
      return get('urls')
    },
    get credentials() {
      return get('credentials')
    },
    get tokens() {
      return get('tokens')
    },
    get client() {
      return get('client')
    },
    get admin() {
      return get('admin')
    },
  }
}
