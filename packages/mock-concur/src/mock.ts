import type { DatacenterName } from '@concurkit/contract'
import type { Hono } from 'hono'
import { createDatacenterApp } from './app.js'
import { type CompanyDescription, describeCompany } from './companies.js'
import type { MockEnv } from './context.js'
import { eventsStore } from './events/store.js'
import { issueRequestToken } from './oauth/routes.js'
import { type MockOptions, MockState } from './state.js'
import type { MockTlsInfo, MockTlsOptions } from './tls-types.js'

/** Where a listening mock is served. */
export interface MockUrls {
  /** Base URL of each datacenter, e.g. `{ us: 'http://127.0.0.1:4010', eu2: 'http://127.0.0.1:4011' }`. */
  readonly datacenters: Readonly<Partial<Record<DatacenterName, string>>>
  /** Base URL of the admin API (the first datacenter's origin; routes under `/_mock`). */
  readonly admin: string
  /** With `listen({ tls })`: the CA certificate clients must trust. */
  readonly tls?: MockTlsInfo
}

/** Options of `listen()`. */
export interface ListenOptions {
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string
  /** First port; datacenter *i* gets `port + i`. `0` (default) takes free ports. */
  port?: number
  /**
   * Serve every datacenter over HTTPS (as Concur does). `true`: a CA generated at start signs a
   * certificate for `localhost`, `127.0.0.1`, `::1` and `host`; its PEM is written to a new temp
   * directory (removed on `close()`), named by `tls.ca` of the result. Or options: your own CA, the
   * directory, more host names.
   *
   * @example
   * const running = await mock.listen({ tls: true })
   * // NODE_EXTRA_CA_CERTS=running.tls.ca, curl --cacert, REQUESTS_CA_BUNDLE, newman --ssl-extra-ca-certs
   */
  tls?: boolean | MockTlsOptions
  /**
   * Worker threads that render v3.0 list pages (0, the default: none). While nothing has been
   * written, a page the page cache does not hold is made on a worker, so the mock answers other
   * requests meanwhile and uses more than one core; the bytes are the same. After the first write
   * every page is rendered on the main thread again. Each worker loads the dataset code (~40 MB).
   *
   * @example
   * const running = await mock.listen({ workers: 1 })
   */
  workers?: number
}

/** A mock bound to real sockets. */
export interface RunningMock extends MockUrls {
  close(): Promise<void>
}

/** The embeddable mock. */
export interface MockConcur {
  readonly state: MockState
  /** One Hono app per datacenter (each its own origin). */
  readonly apps: Readonly<Partial<Record<DatacenterName, Hono<MockEnv>>>>
  /** The first datacenter's app (where the default company lives); use `app.request()` in tests. */
  readonly app: Hono<MockEnv>
  /** A `fetch` that routes by origin to the right datacenter app, in-process (no sockets). */
  readonly fetch: typeof globalThis.fetch
  /** Serves every datacenter on real sockets; token `geolocation`s and `NextPage` URLs then use them. */
  listen(options?: ListenOptions): Promise<RunningMock>
}

/**
 * Creates a mock of SAP Concur: token service, datacenters, seeded companies and reports, callouts
 * and the admin API.
 *
 * @example
 * const mock = createMockConcur({ seed: 7 })
 * const res = await mock.app.request('/oauth2/v0/jwks')
 * const running = await mock.listen() // { datacenters: { us: 'http://127.0.0.1:…' }, admin, close }
 */
export function createMockConcur(options: MockOptions = {}): MockConcur {
  const state = new MockState(options)
  const apps: Partial<Record<DatacenterName, Hono<MockEnv>>> = {}
  for (const dc of state.options.datacenters) apps[dc] = createDatacenterApp(state, dc)
  const first = state.options.datacenters[0]!
  const app = apps[first]!

  const fetchImpl = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const request = new Request(input, init)
    const origin = new URL(request.url).origin
    const dc = state.options.datacenters.find((d) => state.baseUrl(d) === origin) ?? first
    return apps[dc]!.fetch(request)
  }) as typeof globalThis.fetch

  return {
    state,
    apps,
    app,
    fetch: fetchImpl,
    async listen(listenOptions: ListenOptions = {}) {
      // Sockets and certificates need Node: that glue loads only when a mock listens, so the `.`
      // entry imports no Node built-in.
      const { listenOnNode } = await import('./listen.js')
      return listenOnNode(state, apps, listenOptions)
    },
  }
}

/** What `concurkit mock --json` prints: where each datacenter is served, the admin API and the credentials. */
export interface MockDescription {
  readonly datacenters: Readonly<Partial<Record<DatacenterName, string>>>
  readonly admin: string
  readonly seed: number
  /**
   * Every company with its credentials, plus a company request token (issued by `describeMock` for
   * the company's primary app, reusable for 24 hours on the mock's clock, as Concur's Company
   * Request Token tool gives one): `username` = `id`, `password` = `requestToken`, `credtype=authtoken`.
   */
  readonly companies: readonly (CompanyDescription & { readonly requestToken: string })[]
  /** Served over HTTPS: the CA certificate (PEM file) clients must trust. Absent for plain HTTP. */
  readonly tls?: { readonly ca: string }
  /**
   * Event Subscription Service: the public key that verifies `Concur-Signature` and the CA of the
   * client certificate the mock presents to receivers (PEMs). Present once the mock listens.
   */
  readonly events?: { readonly publicKey: string; readonly clientCa: string }
}

/**
 * Describes a (listening) mock: datacenter URLs, admin URL, every company's credentials (with a
 * fresh company request token each) and, over HTTPS, the CA to trust. The key names are stable;
 * scripts read them.
 *
 * @example
 * const running = await mock.listen({ port: 0 })
 * process.stdout.write(`${JSON.stringify(describeMock(mock, running))}\n`)
 */
export function describeMock(mock: MockConcur, running?: MockUrls): MockDescription {
  const { state } = mock
  const events = eventsStore(state).ready
  const datacenters: Partial<Record<DatacenterName, string>> = {}
  for (const dc of state.options.datacenters) datacenters[dc] = running?.datacenters[dc] ?? state.baseUrl(dc)
  return {
    datacenters,
    admin: running?.admin ?? state.baseUrl(state.options.datacenters[0]!),
    seed: state.options.seed,
    companies: state.companies.map((c) => ({
      ...describeCompany(c, datacenters[c.datacenter] ?? state.baseUrl(c.datacenter)),
      requestToken: issueRequestToken(state, c.id, c.apps[0]!.clientId).token,
    })),
    ...(running?.tls ? { tls: { ca: running.tls.ca } } : state.tls ? { tls: { ca: state.tls.ca } } : {}),
    ...(events ? { events: { publicKey: events.publicKeyPem, clientCa: events.clientCaPem } } : {}),
  }
}
