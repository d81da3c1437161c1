import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { getHeapStatistics } from 'node:v8'
import {
  AUTH_ERROR_CODES,
  createHttp,
  createTokenManager,
  type Http,
  memoryStore,
  passwordGrant,
  type TokenManager,
} from '@concurkit/auth'
import type { TokenSource } from '@concurkit/client'
import { digestRecords } from '@concurkit/contract'
import type { MockCompany, MockConcur } from '@concurkit/mock-concur'
import fc from 'fast-check'

/** `CONCURKIT_LONG=1` turns the suites into bench-style runs (more requests, longer load). */
export const LONG = process.env.CONCURKIT_LONG === '1'

/** Picks the normal or the long-mode figure. */
export const scale = (normal: number, long: number): number => (LONG ? long : normal)

/** The manifest checksum of records in the order given (contract's `digestRecords`). */
export const digest = digestRecords

/** Calls an admin route of a listening mock; throws on a non-2xx answer. */
export async function adminCall<T = unknown>(
  http: Http,
  admin: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await http.request({
    method,
    url: `${admin}${path}`,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (res.status < 200 || res.status >= 300)
    throw new Error(`admin ${method} ${path} → ${res.status}: ${res.text().slice(0, 300)}`)
  return JSON.parse(res.text()) as T
}

/** `GET /_mock/manifest` for one company, resource and raw query filters. */
export async function manifestOf(
  http: Http,
  admin: string,
  companyId: string,
  resource: string,
  filters: Record<string, string> = {},
): Promise<{ count: number; sha256: string }> {
  const q = new URLSearchParams({ company: companyId, resource, ...filters })
  const body = await adminCall<{
    companies: { id: string; resources: Record<string, { count: number; sha256: string }> }[]
  }>(http, admin, 'GET', `/_mock/manifest?${q}`)
  const entry = body.companies.find((c) => c.id === companyId)?.resources[resource]
  if (!entry) throw new Error(`the manifest has no ${resource}`)
  return entry
}

/** A password-grant token manager for user `userIndex` of `company` (app 0), tokens in memory. */
export async function loginManager(
  mock: MockConcur,
  company: MockCompany,
  http: Http,
  userIndex = 0,
  baseUrl = mock.state.baseUrl(company.datacenter),
): Promise<TokenManager> {
  const app = company.apps[0]!
  const user = mock.state.user(company, userIndex)!
  const tokens = await passwordGrant({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    username: user.loginId,
    password: user.password,
    baseUrl,
    http,
  })
  const manager = createTokenManager({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    store: memoryStore(),
    profile: `user:${userIndex}`,
    baseUrl,
    http,
  })
  await manager.save(tokens, { grant: 'password', username: user.loginId })
  return manager
}

/**
 * A token source over a token manager that signs in again (a new manager from `relogin`) when its
 * refresh token is refused — what a service holding the user's credentials does after the server
 * lost its state (a restarted mock knows neither the old signing key id nor the refresh token).
 */
export function reloginSource(
  initial: TokenManager,
  relogin: () => Promise<TokenManager>,
): TokenSource & { readonly relogins: number } {
  let manager = initial
  let relogins = 0
  return {
    get relogins() {
      return relogins
    },
    getAccessToken: (o) => manager.getAccessToken(o),
    invalidate: (token) => manager.invalidate(token),
    getToken: (o) => manager.getToken(o),
    async forceRefresh(o) {
      try {
        return await manager.forceRefresh(o)
      } catch (err) {
        if ((err as { code?: unknown }).code !== AUTH_ERROR_CODES.REFRESH_EXPIRED) throw err
        relogins++
        manager = await relogin()
        return manager.getAccessToken(o)
      }
    },
  }
}

/** The HTTP layer the suites share with auth and client (undici pool). */
export const newHttp = (): Http => createHttp()

/** Heap in use after a GC when `global.gc` is exposed, else as is (compare with a generous bound). */
export function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc) gc()
  return getHeapStatistics().used_heap_size
}

/** Nearest-rank percentile of (unsorted) numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

const FIGURES_DIR = fileURLToPath(new URL('../../docs/reliability-figures/', import.meta.url))

/** In long mode, writes a suite's figures to `docs/reliability-figures/<suite>.json`. */
export async function recordFigures(suite: string, figures: Record<string, unknown>): Promise<void> {
  if (!LONG) return
  await mkdir(FIGURES_DIR, { recursive: true })
  const body = {
    suite,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    recordedAt: new Date().toISOString(),
    ...figures,
  }
  await writeFile(`${FIGURES_DIR}${suite}.json`, `${JSON.stringify(body, null, 2)}\n`)
}

/**
 * `fc.assert` with a short failure message: the seed, the path to replay and the first 1,500
 * characters of the counterexample (generated values can be megabytes).
 */
export async function assertProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncPropertyWithHooks<Ts>,
  params: fc.Parameters<Ts>,
): Promise<void> {
  const details = await fc.check(property, params)
  if (!details.failed) return
  const example = JSON.stringify(details.counterexample, (_k, v) =>
    typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length} chars)` : v,
  )
  const cause =
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
  throw new Error(
    `property failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath}"):\n` +
      `${cause.slice(0, 1_500)}\ncounterexample: ${(example ?? '').slice(0, 1_500)}`,
  )
}
