import { type ConcurClient, createConcurClient } from '@concurkit/client'
import { DATACENTERS } from '@concurkit/contract'
import { createMockConcur } from '@concurkit/mock-concur'
import type { Credentials, FixtureCompany, MockFixtures, TargetContext } from './context.js'
import { type ConformanceIo, debug } from './io.js'
import { companySession, passwordSession, type Session } from './oauth.js'
import type { ShapeRecorder } from './shapes.js'
import type { Capability } from './types.js'
import { createWire } from './wire.js'

/** Options of the built-in mock target. */
export interface MockTargetOptions {
  seed?: number
  /** Expense reports per company (small keeps the run fast). Default 10. */
  size?: number
  recorder?: ShapeRecorder
}

/** Options of a remote target (real Concur, or anything that answers like it). */
export interface RemoteTargetOptions {
  /** The datacenter base URL where tokens are requested, e.g. `https://us.api.concursolutions.com`. */
  baseUrl: string
  credentials: Credentials
  /**
   * Every datacenter by name (the wrong-datacenter check calls one that is not the token's).
   * Default: Concur's published datacenters (`DATACENTERS` of `@concurkit/contract`).
   */
  datacenters?: Readonly<Record<string, string>>
  /** Pages a walk reads at most (small pages are used, so paging really happens). Default 25. */
  maxPages?: number
  /**
   * The `fetch` the checks' raw requests go through (default the global one). Tests route it
   * in-process; grants and the report client always use `@concurkit/auth`'s and
   * `@concurkit/client`'s own HTTP layer.
   */
  fetch?: typeof globalThis.fetch
  recorder?: ShapeRecorder
  /**
   * Opt in to the checks that create an Event Subscription Service subscription on the app (each
   * deletes it again, also when it fails or times out). Default `false`: a run never writes.
   */
  allowSubscriptions?: boolean
}

function publishedDatacenters(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, dc] of Object.entries(DATACENTERS)) out[name] = dc.baseUrl
  return out
}

/** A target and how to stop it. */
export interface OpenTarget {
  readonly target: TargetContext
  close(): Promise<void>
}

function baseContext(
  io: ConformanceIo,
  init: {
    kind: 'mock' | 'remote'
    label: string
    baseUrl: string
    capabilities: Capability[]
    credentials: Credentials
    fixtures?: MockFixtures
    datacenters: Readonly<Record<string, string>>
    maxPages: number
    recorder?: ShapeRecorder
    fetch?: typeof globalThis.fetch
  },
): TargetContext {
  const wire = createWire({
    ...(init.recorder ? { recorder: init.recorder } : {}),
    ...(init.fetch ? { fetch: init.fetch } : {}),
    onRequest: (line) => debug(io, line),
  })
  for (const s of [init.credentials.clientSecret, init.credentials.password]) io.redactor.add(s)
  for (const c of init.fixtures?.companies ?? []) {
    for (const a of c.apps) io.redactor.add(a.clientSecret)
    for (const u of c.users) io.redactor.add(u.password)
  }
  let session: Promise<Session> | undefined
  let client: Promise<ConcurClient> | undefined
  const memo = new Map<string, Promise<unknown>>()
  const cleanups: (() => Promise<void>)[] = []
  const getSession = () => {
    session ??= passwordSession(ctx, init.credentials).catch((err: unknown) => {
      session = undefined
      throw err
    })
    return session
  }
  const ctx: TargetContext = {
    kind: init.kind,
    label: init.label,
    baseUrl: init.baseUrl,
    capabilities: new Set(init.capabilities),
    credentials: init.credentials,
    ...(init.fixtures ? { fixtures: init.fixtures } : {}),
    datacenters: init.datacenters,
    maxPages: init.maxPages,
    wire,
    io,
    ...(init.recorder ? { recorder: init.recorder } : {}),
    async session() {
      return (await getSession()).tokens
    },
    companySession() {
      return ctx.memo('session:company', () => companySession(ctx))
    },
    client() {
      if (client) return client
      client = getSession().then((s) =>
        createConcurClient({
          auth: s.manager,
          baseUrl: s.tokens.geolocation,
          retry: { maxRetries: 2, minTimeout: 50, maxTimeout: 1000 },
        }),
      )
      Object.defineProperty(ctx, 'openedClient', { value: client, enumerable: false })
      return client
    },
    memo<T>(key: string, create: () => Promise<T>): Promise<T> {
      let p = memo.get(key) as Promise<T> | undefined
      if (!p) {
        p = create()
        memo.set(key, p)
      }
      return p
    },
    async admin(method, path, body) {
      if (!init.fixtures) throw new Error('the admin API exists on the built-in mock only')
      const headers: Record<string, string> = {}
      if (init.fixtures.adminKey) headers['x-mock-admin-key'] = init.fixtures.adminKey
      const res = await wire.request({
        method,
        url: `${init.fixtures.admin}${path}`,
        headers,
        ...(body === undefined ? {} : { json: body }),
      })
      if (res.status >= 300)
        throw new Error(`admin ${method} ${path} answered ${res.status}: ${res.text.slice(0, 200)}`)
      return res.text ? res.json() : undefined
    },
    redact: (text) => io.redactor.redact(text),
    onClose(cleanup) {
      cleanups.push(cleanup)
    },
  }
  Object.defineProperty(ctx, 'cleanups', { value: cleanups, enumerable: false })
  return ctx
}

async function closeClient(target: TargetContext): Promise<void> {
  const cleanups = (target as { readonly cleanups?: (() => Promise<void>)[] }).cleanups ?? []
  await Promise.all(cleanups.splice(0).map((c) => c().catch(() => {})))
  const client = (target as { readonly openedClient?: Promise<ConcurClient> }).openedClient
  if (client) await (await client).close().catch(() => {})
}

/**
 * Starts the built-in mock on free 127.0.0.1 ports and describes it as a conformance target with
 * every capability (clock, faults, writes, admin, several principals).
 *
 * @example
 * const { target, close } = await openMockTarget(io, { size: 10 })
 */
export async function openMockTarget(
  io: ConformanceIo,
  options: MockTargetOptions = {},
): Promise<OpenTarget> {
  const mock = createMockConcur({
    seed: options.seed ?? 42,
    size: options.size ?? 10,
    companies: 2,
    datacenters: ['us', 'eu2'],
  })
  const running = await mock.listen({ host: '127.0.0.1', port: 0 })
  debug(io, `mock listening: ${JSON.stringify(running.datacenters)}`)
  const companies: FixtureCompany[] = mock.state.companies.map((c) => ({
    id: c.id,
    datacenter: c.datacenter,
    baseUrl: mock.state.baseUrl(c.datacenter),
    apps: c.apps.map((a) => ({ clientId: a.clientId, clientSecret: a.clientSecret, scopes: [...a.scopes] })),
    users: c.users.map((u) => ({
      loginId: u.loginId,
      password: u.password,
      email: u.email,
      roles: [...u.roles],
    })),
  }))
  const first = companies[0]!
  const credentials: Credentials = {
    clientId: first.apps[0]!.clientId,
    clientSecret: first.apps[0]!.clientSecret,
    username: first.users[0]!.loginId,
    password: first.users[0]!.password,
  }
  const datacenters: Record<string, string> = {}
  for (const [dc, url] of Object.entries(running.datacenters)) if (url) datacenters[dc] = url
  const target = baseContext(io, {
    kind: 'mock',
    label: 'the built-in mock',
    baseUrl: first.baseUrl,
    capabilities: ['clock', 'faults', 'writes', 'admin', 'fixtures', 'subscriptions', 'company-token'],
    credentials,
    fixtures: { admin: running.admin, companies, datacenters },
    datacenters,
    maxPages: 5_000,
    ...(options.recorder ? { recorder: options.recorder } : {}),
  })
  return {
    target,
    async close() {
      await closeClient(target)
      await running.close()
    },
  }
}

/**
 * A remote Concur (or Concur-compatible) target: only read-only checks run; those needing the
 * mock's clock, faults, writes or admin API are skipped with a reason.
 *
 * @example
 * const { target } = openRemoteTarget(io, { baseUrl: 'https://us.api.concursolutions.com', credentials })
 */
export function openRemoteTarget(io: ConformanceIo, options: RemoteTargetOptions): OpenTarget {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const datacenters: Record<string, string> = {}
  for (const [name, dc] of Object.entries(options.datacenters ?? publishedDatacenters()))
    datacenters[name] = dc.replace(/\/+$/, '')
  const target = baseContext(io, {
    kind: 'remote',
    label: options.baseUrl,
    baseUrl,
    capabilities: options.allowSubscriptions ? ['subscriptions'] : [],
    credentials: options.credentials,
    datacenters,
    maxPages: options.maxPages ?? 25,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.recorder ? { recorder: options.recorder } : {}),
  })
  return { target, close: () => closeClient(target) }
}
