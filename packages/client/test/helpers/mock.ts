import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import {
  companyRequestTokenGrant,
  createHttp,
  createTokenManager,
  type Http,
  memoryStore,
  passwordGrant,
  type TokenManager,
} from '@concurkit/auth'
import { createRecordDigest, digestRecords } from '@concurkit/contract'
import { createMockConcur, type MockConcur } from '@concurkit/mock-concur'
import { type ConcurClient, type ConcurClientOptions, createConcurClient } from '../../src/index.ts'

/** Retry timings small enough for tests (the policy is the same as in production). */
export const FAST_RETRY = { minTimeout: 1, maxTimeout: 20, maxRetries: 12, jitter: 0.5 }

/** The manifest checksum of records in the order given (contract's `digestRecords`). */
export const digest = digestRecords

/** A streaming version of `digest` (constant memory for big walks). */
export const digester = createRecordDigest

export interface MockFixture {
  /** The in-process mock (absent when it runs in its own process). */
  readonly mock: MockConcur
  readonly http: Http
  readonly admin: string
  /** Base URL of the first company's datacenter. */
  readonly baseUrl: string
  /** A token manager for user `userIndex` of company 0 (password grant, app 0). */
  login(userIndex?: number): Promise<TokenManager>
  /**
   * A client on the shared HTTP layer with a token manager of user `userIndex` (default the admin),
   * or of the company (`'company'`: a company request token grant) for company-only APIs.
   */
  client(options?: Partial<ConcurClientOptions> & { userIndex?: number | 'company' }): Promise<ConcurClient>
  /** Calls the admin API; throws on a non-2xx answer. */
  adminCall<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>
  /** `GET /_mock/manifest` narrowed to company 0, one resource and filters. */
  manifest(resource: string, filters?: Record<string, string>): Promise<{ count: number; sha256: string }>
  close(): Promise<void>
}

interface Served {
  admin: string
  baseUrl: string
  companyId: string
  clientId: string
  clientSecret: string
  users: (i: number) => { loginId: string; password: string }
  close(): Promise<void>
}

function fixture<M>(served: Served, mock: M): Omit<MockFixture, 'mock'> & { mock: M } {
  // The manifest of a big company is one long server-side pass: allow it minutes.
  const http = createHttp({ headersTimeoutMs: 600_000, timeoutMs: 600_000 })
  const { baseUrl, companyId, clientId, clientSecret } = served
  const managers = new Map<number, Promise<TokenManager>>()
  const clients: ConcurClient[] = []

  async function newManager(userIndex: number): Promise<TokenManager> {
    const user = served.users(userIndex)
    const tokens = await passwordGrant({
      clientId,
      clientSecret,
      username: user.loginId,
      password: user.password,
      baseUrl,
      http,
    })
    const manager = createTokenManager({
      clientId,
      clientSecret,
      store: memoryStore(),
      profile: `user:${userIndex}`,
      baseUrl,
      http,
    })
    await manager.save(tokens, { grant: 'password', username: user.loginId })
    return manager
  }

  async function companyManager(): Promise<TokenManager> {
    const issued = await adminCall<{ requestToken?: string; token?: string }>(
      'POST',
      `/_mock/companies/${companyId}/request-token`,
      { clientId },
    )
    const tokens = await companyRequestTokenGrant({
      clientId,
      clientSecret,
      companyId,
      requestToken: String(issued.requestToken ?? issued.token),
      baseUrl,
      http,
    })
    const manager = createTokenManager({
      clientId,
      clientSecret,
      store: memoryStore(),
      profile: 'company',
      baseUrl,
      http,
    })
    await manager.save(tokens, { grant: 'company', companyId })
    return manager
  }
  let company: Promise<TokenManager> | undefined

  const login = (userIndex = 0) => {
    let m = managers.get(userIndex)
    if (!m) {
      m = newManager(userIndex)
      managers.set(userIndex, m)
    }
    return m
  }

  async function adminCall<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await http.request({
      method,
      url: `${served.admin}${path}`,
      timeoutMs: 600_000,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    })
    if (res.status < 200 || res.status >= 300)
      throw new Error(`admin ${method} ${path} → ${res.status}: ${res.text().slice(0, 300)}`)
    return JSON.parse(res.text()) as T
  }

  return {
    mock,
    http,
    admin: served.admin,
    baseUrl,
    login,
    async client(o = {}) {
      const { userIndex, ...rest } = o
      let auth: TokenManager
      if (userIndex === 'company') {
        company ??= companyManager()
        auth = await company
      } else auth = await login(userIndex ?? 0)
      const c = createConcurClient({ auth, http, retry: FAST_RETRY, ...rest })
      clients.push(c)
      return c
    },
    adminCall,
    async manifest(resource, filters = {}) {
      const q = new URLSearchParams({ company: companyId, resource, ...filters })
      const body = await adminCall<{
        companies: { id: string; resources: Record<string, { count: number; sha256: string }> }[]
      }>('GET', `/_mock/manifest?${q}`)
      const entry = body.companies.find((c) => c.id === companyId)?.resources[resource]
      if (!entry) throw new Error(`the manifest has no ${resource}`)
      return entry
    },
    async close() {
      for (const c of clients) await c.close()
      await http.close()
      await served.close()
    },
  }
}

/** Starts the mock in this process on 127.0.0.1 with one company and an HTTP layer shared by auth and client. */
export async function startMock(options: { seed: number; size: number }): Promise<MockFixture> {
  const mock = createMockConcur({ seed: options.seed, size: options.size, companies: 1, datacenters: ['us'] })
  const running = await mock.listen({ host: '127.0.0.1' })
  const company = mock.state.companies[0]!
  const app = company.apps[0]!
  return fixture(
    {
      admin: running.admin,
      baseUrl: mock.state.baseUrl(company.datacenter),
      companyId: company.id,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      users: (i) => {
        const u = mock.state.user(company, i)
        if (!u) throw new Error(`no user ${i} in the mock company`)
        return u
      },
      close: () => running.close(),
    },
    mock,
  )
}

/**
 * Starts the mock in a child process (test/fixtures/mock-server.ts), so the mock's work and the
 * client's run on separate cores. Users 0–3 can sign in.
 */
export async function startMockProcess(options: {
  seed: number
  size: number
}): Promise<Omit<MockFixture, 'mock'> & { mock: undefined }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@concurkit/source',
      fileURLToPath(new URL('../fixtures/mock-server.ts', import.meta.url)),
      String(options.seed),
      String(options.size),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('../..', import.meta.url)) },
  )
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const line = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const nl = out.indexOf('\n')
      if (nl >= 0) resolve(out.slice(0, nl))
    })
    child.once('exit', (code) => reject(new Error(`mock process exited (${code}): ${stderr.slice(0, 500)}`)))
  })
  const info = JSON.parse(line) as {
    admin: string
    baseUrl: string
    companyId: string
    clientId: string
    clientSecret: string
    users: { loginId: string; password: string }[]
  }
  return fixture(
    {
      ...info,
      users: (i) => {
        const u = info.users[i]
        if (!u) throw new Error(`user ${i} is not listed by the mock process`)
        return u
      },
      async close() {
        child.stdin.end()
        child.kill('SIGTERM')
        // A mock busy in a long computation does not see SIGTERM in time: then SIGKILL.
        const t = setTimeout(() => child.kill('SIGKILL'), 2_000)
        await exited
        clearTimeout(t)
      },
    },
    undefined,
  )
}
