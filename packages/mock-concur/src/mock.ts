import type { AddressInfo } from 'node:net'
import type { DatacenterName } from '@concurkit/contract'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
import { createDatacenterApp } from './app.js'
import { type CompanyDescription, describeCompany } from './companies.js'
import type { MockEnv } from './context.js'
import { type MockOptions, MockState } from './state.js'

/** Where a listening mock is served. */
export interface MockUrls {
  /** Base URL of each datacenter, e.g. `{ us: 'http://127.0.0.1:4010', eu2: 'http://127.0.0.1:4011' }`. */
  readonly datacenters: Readonly<Partial<Record<DatacenterName, string>>>
  /** Base URL of the admin API (the first datacenter's origin; routes under `/_mock`). */
  readonly admin: string
}

/** Options of `listen()`. */
export interface ListenOptions {
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string
  /** First port; datacenter *i* gets `port + i`. `0` (default) takes free ports. */
  port?: number
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
      const host = listenOptions.host ?? '127.0.0.1'
      const basePort = listenOptions.port ?? 0
      const servers: { close(cb: (err?: Error) => void): void; closeAllConnections?: () => void }[] = []
      const urls: Partial<Record<DatacenterName, string>> = {}
      try {
        for (const [i, dc] of state.options.datacenters.entries()) {
          const port = basePort === 0 ? 0 : basePort + i
          const { server, address } = await new Promise<{
            server: ReturnType<typeof serve>
            address: AddressInfo
          }>((resolve, reject) => {
            const server = serve({ fetch: apps[dc]!.fetch, port, hostname: host }, (info) =>
              resolve({ server, address: info }),
            )
            server.once('error', reject)
          })
          servers.push(server as never)
          const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
          urls[dc] = `http://${shownHost}:${address.port}`
          state.datacenterUrls.set(dc, urls[dc]!)
        }
      } catch (err) {
        await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))))
        throw err
      }
      return {
        datacenters: urls,
        admin: urls[first]!,
        async close() {
          await Promise.all(
            servers.map(
              (s) =>
                new Promise<void>((resolve) => {
                  s.close(() => resolve())
                  s.closeAllConnections?.()
                }),
            ),
          )
        },
      }
    },
  }
}

/** What `concurkit mock --json` prints: where each datacenter is served, the admin API and the credentials. */
export interface MockDescription {
  readonly datacenters: Readonly<Partial<Record<DatacenterName, string>>>
  readonly admin: string
  readonly seed: number
  readonly companies: readonly CompanyDescription[]
}

/**
 * Describes a (listening) mock: datacenter URLs, admin URL and every company's credentials. The key
 * names are stable; scripts read them.
 *
 * @example
 * const running = await mock.listen({ port: 0 })
 * process.stdout.write(`${JSON.stringify(describeMock(mock, running))}\n`)
 */
export function describeMock(mock: MockConcur, running?: MockUrls): MockDescription {
  const { state } = mock
  const datacenters: Partial<Record<DatacenterName, string>> = {}
  for (const dc of state.options.datacenters) datacenters[dc] = running?.datacenters[dc] ?? state.baseUrl(dc)
  return {
    datacenters,
    admin: running?.admin ?? state.baseUrl(state.options.datacenters[0]!),
    seed: state.options.seed,
    companies: state.companies.map((c) =>
      describeCompany(c, datacenters[c.datacenter] ?? state.baseUrl(c.datacenter)),
    ),
  }
}
