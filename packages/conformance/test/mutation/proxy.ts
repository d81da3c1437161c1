import type { AddressInfo } from 'node:net'
import { createMockConcur, type MockConcur } from '@concurkit/mock-concur'
import { serve } from '@hono/node-server'
import type { Credentials } from '../../src/context.js'

/** One HTTP exchange as a mutant sees it. */
export type Handler = (request: Request) => Promise<Response>

/** What a mutant wraps: the mock (in-process) behind one datacenter's origin. */
export interface ProxyContext {
  /** Datacenter of this origin (`us`, `eu2`). */
  readonly datacenter: string
  /** Every datacenter's proxy origin. */
  readonly origins: Readonly<Record<string, string>>
  /** The upstream of every datacenter (to forward a request to another one). */
  readonly upstream: (request: Request) => Promise<Response>
}

/** A proxied mock: Concur-compatible base URLs (the proxies) and the default company's credentials. */
export interface ProxiedMock {
  readonly baseUrl: string
  readonly datacenters: Readonly<Record<string, string>>
  readonly credentials: Credentials
  readonly mock: MockConcur
  /** The proxies in-process: a `fetch` routing by origin to the same handlers, without sockets. */
  readonly fetch: typeof globalThis.fetch
  close(): Promise<void>
}

/**
 * Starts the mock in-process behind one small HTTP proxy per datacenter on 127.0.0.1 (free ports).
 * The mock is told the proxies are its datacenters, so token geolocations and `NextPage` links name
 * the proxies and every request of a `--target` run goes through `wrap`.
 */
export async function startProxiedMock(
  wrap: (upstream: Handler, ctx: ProxyContext) => Handler = (upstream) => upstream,
): Promise<ProxiedMock> {
  const mock = createMockConcur({ seed: 42, size: 10, companies: 2, datacenters: ['us', 'eu2'] })
  const servers: ReturnType<typeof serve>[] = []
  const origins: Record<string, string> = {}
  const upstream: Handler = (request) => mock.fetch(request)
  const handlers: Record<string, Handler> = {}
  for (const dc of mock.state.options.datacenters) {
    const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
      (resolve) => {
        const server = serve(
          { fetch: (req: Request) => handlers[dc]!(req), port: 0, hostname: '127.0.0.1' },
          (info: AddressInfo) => resolve({ server, port: info.port }),
        )
      },
    )
    servers.push(server)
    origins[dc] = `http://127.0.0.1:${port}`
    mock.state.datacenterUrls.set(dc, origins[dc])
  }
  for (const dc of mock.state.options.datacenters)
    handlers[dc] = wrap(upstream, { datacenter: dc, origins, upstream })
  const company = mock.state.companies[0]!
  return {
    baseUrl: origins[company.datacenter]!,
    datacenters: origins,
    credentials: {
      clientId: company.apps[0]!.clientId,
      clientSecret: company.apps[0]!.clientSecret,
      username: company.users[0]!.loginId,
      password: company.users[0]!.password,
    },
    mock,
    fetch: (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const request = new Request(input, init)
      const origin = new URL(request.url).origin
      const dc = Object.keys(origins).find((d) => origins[d] === origin)
      if (!dc) return fetch(request)
      return handlers[dc]!(request)
    }) as typeof globalThis.fetch,
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve())
              ;(s as { closeAllConnections?: () => void }).closeAllConnections?.()
            }),
        ),
      )
    },
  }
}
