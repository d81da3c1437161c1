import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { DatacenterName } from '@concurkit/contract'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
import type { MockEnv } from './context.js'
import { eventsStore } from './events/store.js'
import { requestTurns } from './http/turns.js'
import type { ListenOptions, RunningMock } from './mock.js'
import type { RenderPool } from './resources/render-pool.js'
import type { MockState } from './state.js'
import type { MockTlsInfo, MockTlsMaterial } from './tls-types.js'

/**
 * `MockConcur.listen()` on Node: one HTTP(S) server per datacenter (`@hono/node-server`), the TLS
 * material when asked. Loaded by `listen()` with a dynamic import.
 */
export async function listenOnNode(
  state: MockState,
  apps: Readonly<Partial<Record<DatacenterName, Hono<MockEnv>>>>,
  listenOptions: ListenOptions,
): Promise<RunningMock> {
  const workers = listenOptions.workers ?? 0
  if (!Number.isSafeInteger(workers) || workers < 0 || workers > 64)
    throw new RangeError('workers must be an integer from 0 to 64')
  const first = state.options.datacenters[0]!
  const host = listenOptions.host ?? '127.0.0.1'
  const basePort = listenOptions.port ?? 0
  const servers: { close(cb: (err?: Error) => void): void; closeAllConnections?: () => void }[] = []
  const urls: Partial<Record<DatacenterName, string>> = {}
  let tls: MockTlsMaterial | undefined
  if (listenOptions.tls) {
    // Certificate generation loads only for TLS mocks.
    const { createMockTls } = await import('./tls.js')
    tls = await createMockTls(listenOptions.tls === true ? {} : listenOptions.tls, host)
  }
  const scheme = tls ? 'https' : 'http'
  const stopAll = () =>
    Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve())
            s.closeAllConnections?.()
          }),
      ),
    )
  try {
    for (const [i, dc] of state.options.datacenters.entries()) {
      const port = basePort === 0 ? 0 : basePort + i
      const { server, address } = await new Promise<{
        server: ReturnType<typeof serve>
        address: AddressInfo
      }>((resolve, reject) => {
        const server = serve(
          {
            fetch: apps[dc]!.fetch,
            port,
            hostname: host,
            ...(tls
              ? { createServer: createHttpsServer, serverOptions: { key: tls.key, cert: tls.cert } }
              : {}),
          },
          (info) => resolve({ server, address: info }),
        )
        server.once('error', reject)
      })
      servers.push(server as never)
      server.on('connection', () => requestTurns.connectionAccepted())
      const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host
      urls[dc] = `${scheme}://${shownHost}:${address.port}`
      state.datacenterUrls.set(dc, urls[dc]!)
    }
  } catch (err) {
    await stopAll()
    await tls?.dispose()
    throw err
  }
  // The ESS signing key and client certificate, so `describeMock` can publish them.
  await eventsStore(state).material()
  // Render workers (only when asked): list pages of the seeded data made on other cores.
  let pool: RenderPool | undefined
  if (workers > 0) {
    const { startRenderPool } = await import('./resources/render-pool.js')
    pool = startRenderPool(workers)
    state.pageRenderer = pool
  }
  const tlsInfo: MockTlsInfo | undefined = tls
    ? { ca: tls.ca, caPem: tls.caPem, hosts: tls.hosts }
    : undefined
  state.tls = tlsInfo
  return {
    datacenters: urls,
    admin: urls[first]!,
    ...(tlsInfo ? { tls: tlsInfo } : {}),
    async close() {
      await stopAll()
      await tls?.dispose()
      if (pool) {
        if (state.pageRenderer === pool) state.pageRenderer = undefined
        await pool.close()
      }
    },
  }
}
