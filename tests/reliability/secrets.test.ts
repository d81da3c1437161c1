import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inspect } from 'node:util'
import {
  createTokenManager,
  fileStore,
  type Http,
  memoryStore,
  passwordGrant,
  refreshTokenGrant,
} from '@concurkit/auth'
import { basicAuthHeader, checkBasicAuth, createConnector } from '@concurkit/callout-kit'
import {
  createSelfSignedCertificate,
  type RunningConnector,
  serveConnector,
} from '@concurkit/callout-kit/node'
import { createConcurClient } from '@concurkit/client'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliRun, runCli } from '../cli-helpers.ts'
import { adminCall, newHttp, recordFigures } from './helpers.ts'

const ADMIN_KEY = 'admin-key-for-the-secrets-suite-42'
const mock = createMockConcur({ seed: 314, companies: 1, size: 15, datacenters: ['us'], adminKey: ADMIN_KEY })
const company = mock.state.companies[0]!
const app = company.apps[0]!
const user = company.users[0]!
const CONNECTOR = { user: 'concur-connector', password: 'connector-secret-password-77' }
const WRONG_PASSWORD = 'wrong-password-also-secret-9'
const adminHeaders = { 'x-mock-admin-key': ADMIN_KEY }

let running: RunningMock
let http: Http
let dir: string
let connector: RunningConnector
let caFile: string
let requestToken: string
/** Every secret value the run used or received; none may appear anywhere but the token store. */
const secrets = new Set<string>()
const outputs: { what: string; text: string }[] = []
const figures = { commands: 0, bytesSearched: 0, secrets: 0, occurrences: 0 }

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
  http = newHttp()
  dir = await mkdtemp(join(tmpdir(), 'concurkit-secrets-'))
  const tls = await createSelfSignedCertificate({ hosts: ['127.0.0.1'] })
  caFile = join(dir, 'ca.pem')
  await writeFile(caFile, tls.cert)
  connector = await serveConnector({
    app: createConnector({ credentials: CONNECTOR, handlers: { fetchList: () => [], notify: () => {} } }),
    tls,
    port: 0,
  })
  const minted = await adminCall<{ requestToken: string }>(
    http,
    running.admin,
    'POST',
    `/_mock/companies/${company.id}/request-token`,
    { clientId: app.clientId },
    adminHeaders,
  )
  requestToken = minted.requestToken
  for (const s of [
    app.clientSecret,
    user.password,
    requestToken,
    CONNECTOR.password,
    WRONG_PASSWORD,
    ADMIN_KEY,
  ])
    secrets.add(s)
})
afterAll(async () => {
  await connector?.close()
  await http?.close()
  await running?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const base = () => running.datacenters.us!
const configDir = () => join(dir, 'config')
const envFor = (extra: Record<string, string | undefined> = {}) => ({
  CONCURKIT_CONFIG_DIR: configDir(),
  CONCUR_CLIENT_SECRET: app.clientSecret,
  CONCUR_CLIENT_ID: undefined,
  CONCUR_USERNAME: undefined,
  CONCUR_PASSWORD: undefined,
  CONCUR_BASE_URL: undefined,
  CONCUR_REQUEST_TOKEN: undefined,
  ...extra,
})
const credsEnv = () =>
  envFor({
    CONCUR_CLIENT_ID: app.clientId,
    CONCUR_USERNAME: user.loginId,
    CONCUR_PASSWORD: user.password,
    CONCUR_BASE_URL: base(),
  })

async function cli(
  what: string,
  args: string[],
  options: Parameters<typeof runCli>[1] = {},
): Promise<CliRun> {
  const res = await runCli(['--verbose', ...args], options)
  outputs.push({ what: `${what} stdout`, text: res.stdout }, { what: `${what} stderr`, text: res.stderr })
  figures.commands++
  return res
}

/** Adds the tokens in the 0600 token store to the secrets searched for. */
async function harvestStore() {
  const text = await readFile(join(configDir(), 'profiles.json'), 'utf8').catch(() => '')
  for (const m of text.matchAll(
    /"(?:accessToken|refreshToken|idToken|access_token|refresh_token|id_token)"\s*:\s*"([^"]+)"/g,
  ))
    secrets.add(m[1]!)
  for (const m of text.matchAll(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g)) secrets.add(m[0])
}

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    const p = join(root, e.name)
    if (e.isDirectory()) out.push(...(await filesUnder(p)))
    else out.push(p)
  }
  return out
}

describe('no secret in any output, file, error or journal entry', () => {
  it('every CLI command at --verbose, then the library paths, then the journal: zero occurrences', async () => {
    const login = await cli(
      'auth login (password)',
      [
        'auth',
        'login',
        '--client-id',
        app.clientId,
        '--username',
        user.loginId,
        '--password-stdin',
        '--base-url',
        base(),
      ],
      { env: envFor(), input: `${user.password}\n` },
    )
    expect(login.code, login.stderr).toBe(0)
    expect((await stat(join(configDir(), 'profiles.json'))).mode & 0o777).toBe(0o600)
    await harvestStore()
    const company = await cli(
      'auth login (company request token)',
      [
        'auth',
        'login',
        '--profile',
        'company',
        '--client-id',
        app.clientId,
        '--company-id',
        mock.state.companies[0]!.id,
        '--request-token-stdin',
        '--base-url',
        base(),
      ],
      { env: envFor(), input: `${requestToken}\n` },
    )
    expect(company.code, company.stderr).toBe(0)
    await harvestStore()
    const wrong = await cli(
      'auth login (wrong password)',
      [
        'auth',
        'login',
        '--profile',
        'wrong',
        '--client-id',
        app.clientId,
        '--username',
        user.loginId,
        '--password-stdin',
        '--base-url',
        base(),
      ],
      { env: envFor(), input: `${WRONG_PASSWORD}\n` },
    )
    expect(wrong.code).toBe(3)
    expect(wrong.stderr.trim().length).toBeGreaterThan(0)

    const out = join(dir, 'out')
    // Three at a time: a CLI run is a Node process, and CI machines have few cores.
    const runs = await inTurn(
      [
        () => cli('auth status', ['auth', 'status'], { env: envFor() }),
        () =>
          cli('auth status --json', ['auth', 'status', '--json', '--profile', 'company'], { env: envFor() }),
        () =>
          cli(
            'extract ndjson (profile)',
            ['extract', 'expense-reports', '--user', 'ALL', '--out', `${out}-reports.ndjson`],
            {
              env: envFor(),
            },
          ),
        () =>
          cli(
            'extract csv (environment credentials)',
            ['extract', 'company-card-transactions', '--format', 'csv', '--out', `${out}-cards.csv`],
            { env: credsEnv() },
          ),
        () =>
          cli(
            'extract json to stdout',
            ['extract', 'extract-definitions', '--format', 'json', '--out', '-'],
            {
              env: credsEnv(),
            },
          ),
        () => cli('resources', ['resources', '--json'], { env: envFor() }),
        () =>
          cli(
            'conformance --target',
            [
              'conformance',
              '--target',
              base(),
              '--only',
              'oauth.password',
              'errors',
              '--reporter',
              'json',
              '--out',
              `${out}-conformance.json`,
            ],
            { env: credsEnv() },
          ),
        () =>
          cli(
            'callout test',
            [
              'callout',
              'test',
              '--url',
              connector.url,
              '--user',
              CONNECTOR.user,
              '--ca',
              caFile,
              '--password-stdin',
              '--reporter',
              'junit',
              '--out',
              `${out}-callouts.xml`,
            ],
            { input: `${CONNECTOR.password}\n` },
          ),
        () =>
          cli(
            'callout test (wrong password)',
            [
              'callout',
              'test',
              '--url',
              connector.url,
              '--user',
              CONNECTOR.user,
              '--ca',
              caFile,
              '--password-stdin',
            ],
            { input: `${WRONG_PASSWORD}\n` },
          ),
        () =>
          cli(
            'watch --once',
            [
              'watch',
              'expense-reports',
              '--once',
              '--since',
              'beginning',
              '--user',
              'ALL',
              '--state-dir',
              join(dir, 'watch'),
            ],
            { env: credsEnv() },
          ),
      ],
      3,
    )
    for (const r of runs.slice(0, 8)) expect(r.code, r.stderr).toBeLessThanOrEqual(1)
    await harvestStore()
    const logout = await cli('auth logout', ['auth', 'logout'], { env: envFor() })
    expect(logout.code, logout.stderr).toBe(0)
    const after = await cli(
      'extract after logout',
      ['extract', 'expense-reports', '--out', `${out}-none.ndjson`],
      {
        env: envFor(),
      },
    )
    expect(after.code).toBe(3)

    // Library paths: grants, manager, client and their errors.
    const tokens = await passwordGrant({
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      username: user.loginId,
      password: user.password,
      baseUrl: base(),
      http,
    })
    secrets.add(tokens.accessToken.reveal())
    if (tokens.refreshToken) secrets.add(tokens.refreshToken.reveal())
    if (tokens.idToken) secrets.add(tokens.idToken.reveal())
    outputs.push({
      what: 'TokenSet inspect/JSON',
      text: `${inspect(tokens, { depth: 9 })}${JSON.stringify(tokens)}`,
    })
    const libErrors: unknown[] = []
    libErrors.push(
      await passwordGrant({
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        username: user.loginId,
        password: WRONG_PASSWORD,
        baseUrl: base(),
        http,
      }).catch((e: unknown) => e),
      await passwordGrant({
        clientId: app.clientId,
        clientSecret: `${app.clientSecret}x`,
        username: user.loginId,
        password: user.password,
        baseUrl: base(),
        http,
      }).catch((e: unknown) => e),
    )
    const next = await refreshTokenGrant({
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      refreshToken: tokens.refreshToken!,
      geolocation: tokens.geolocation,
      http,
    })
    secrets.add(next.accessToken.reveal())
    secrets.add(next.refreshToken!.reveal())
    libErrors.push(
      await refreshTokenGrant({
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        refreshToken: tokens.refreshToken!,
        geolocation: tokens.geolocation,
        http,
      }).catch((e: unknown) => e),
    )
    const manager = createTokenManager({
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      store: memoryStore(),
      profile: 'lib',
      baseUrl: base(),
      http,
    })
    await manager.save(next, { grant: 'password', username: user.loginId })
    outputs.push({
      what: 'manager status/inspect',
      text: `${JSON.stringify(await manager.status())}${inspect(manager)}`,
    })
    const client = createConcurClient({ auth: manager, http, retry: { maxRetries: 0 } })
    libErrors.push(await client.expenseReports.get('gWnope').catch((e: unknown) => e))
    libErrors.push(
      await client.expenseReports
        .list({ user: 'nobody-here' })
        .toArray()
        .catch((e: unknown) => e),
    )
    await client.close()
    const insecure = join(dir, 'insecure.json')
    await writeFile(insecure, '{}', { mode: 0o644 })
    libErrors.push(
      await fileStore(insecure)
        .get('x')
        .catch((e: unknown) => e),
    )
    for (const err of libErrors) {
      expect(err).toBeInstanceOf(Error)
      const e = err as Error
      outputs.push({
        what: `error ${e.name}`,
        text: `${e.message}\n${e.stack}\n${inspect(e, { depth: 9 })}\n${JSON.stringify(e)}`,
      })
    }

    // Written files (the 0600 token store excepted) and the journal.
    for (const file of await filesUnder(dir)) {
      if (file === join(configDir(), 'profiles.json') || file === caFile) continue
      outputs.push({ what: `file ${file.slice(dir.length)}`, text: await readFile(file, 'utf8') })
    }
    const journal = await adminCall<{ entries: unknown[] }>(
      http,
      running.admin,
      'GET',
      '/_mock/journal?limit=10000',
      undefined,
      adminHeaders,
    )
    expect(journal.entries.length).toBeGreaterThan(20)
    outputs.push({ what: 'journal', text: JSON.stringify(journal) })

    const leaks: string[] = []
    for (const { what, text } of outputs) {
      figures.bytesSearched += text.length
      for (const s of secrets) {
        if (s.length >= 8 && text.includes(s)) leaks.push(`${what} contains a secret (${s.slice(0, 3)}…)`)
        // also URL-encoded
        if (s.length >= 8 && encodeURIComponent(s) !== s && text.includes(encodeURIComponent(s)))
          leaks.push(`${what} contains a URL-encoded secret`)
      }
      if (/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./.test(text)) leaks.push(`${what} contains a JWT`)
    }
    figures.secrets = secrets.size
    figures.occurrences = leaks.length
    await recordFigures('secrets', figures)
    expect(leaks).toEqual([])
    expect(secrets.size).toBeGreaterThanOrEqual(12)
  }, 120_000)
})

describe('constant-time comparisons, locked admin API, loopback binding', () => {
  it('Basic auth and client secrets are compared with timingSafeEqual (read from the code)', async () => {
    const root = fileURLToPath(new URL('../../packages/', import.meta.url))
    const basic = await readFile(join(root, 'callout-kit/src/basic-auth.ts'), 'utf8')
    expect(basic).toMatch(/timingSafeEqual\(digest\(user\), digest\(credentials\.user\)\)/)
    expect(basic).toMatch(/timingSafeEqual\(digest\(password\), digest\(credentials\.password\)\)/)
    const grants = await readFile(join(root, 'mock-concur/src/oauth/grants.ts'), 'utf8')
    expect(grants).toMatch(/function secretEquals[\s\S]{0,200}timingSafeEqual/)
    expect(grants).toMatch(/secretEquals\(clientSecret, entry\.app\.clientSecret\)/)
    // no plain comparison of a secret anywhere in the mock's OAuth code or the connector
    for (const file of [
      'mock-concur/src/oauth/grants.ts',
      'mock-concur/src/oauth/routes.ts',
      'mock-concur/src/app.ts',
      'callout-kit/src/basic-auth.ts',
      'callout-kit/src/signature.ts',
    ]) {
      const src = await readFile(join(root, file), 'utf8')
      expect({
        file,
        plain:
          /(?:clientSecret|password|adminKey|signature)\s*[!=]==|[!=]==\s*\S*(?:clientSecret|\.password)\b/.test(
            src,
          ),
      }).toEqual({ file, plain: false })
    }
  })

  it('Basic auth: every wrong credential is refused, the right one accepted, whatever the length', () => {
    const ok = basicAuthHeader(CONNECTOR)
    expect(checkBasicAuth(ok, CONNECTOR)).toBe(true)
    const p = CONNECTOR.password
    for (const password of ['', 'x', `${p.slice(0, -1)}8`, `x${p.slice(1)}`, `${p}x`, p.repeat(100)])
      expect(checkBasicAuth(basicAuthHeader({ ...CONNECTOR, password }), CONNECTOR)).toBe(false)
    expect(checkBasicAuth(basicAuthHeader({ ...CONNECTOR, user: 'Concur-connector' }), CONNECTOR)).toBe(false)
    expect(checkBasicAuth(undefined, CONNECTOR)).toBe(false)
    expect(checkBasicAuth('Basic', CONNECTOR)).toBe(false)
  })

  it('the admin API is locked by the key (401 without it, as header or bearer), and the mock binds to 127.0.0.1', async () => {
    const refused: Record<string, string>[] = [
      {},
      { 'x-mock-admin-key': 'nope' },
      { 'x-mock-admin-key': `${ADMIN_KEY}x` },
      { authorization: 'Bearer nope' },
    ]
    for (const headers of refused) {
      const res = await fetch(`${running.admin}/_mock/journal`, { headers })
      expect(res.status).toBe(401)
      expect(((await res.json()) as { error: string }).error).toBeTypeOf('string')
    }
    for (const headers of [adminHeaders, { authorization: `Bearer ${ADMIN_KEY}` }]) {
      const res = await fetch(`${running.admin}/_mock/clock`, { headers })
      expect(res.status).toBe(200)
    }
    expect(new URL(running.admin).hostname).toBe('127.0.0.1')
    const other = createMockConcur({ seed: 1, companies: 1, datacenters: ['us'] })
    const listening = await other.listen()
    try {
      expect(new URL(listening.admin).hostname).toBe('127.0.0.1')
    } finally {
      await listening.close()
    }
  })
})

/** Runs the tasks `limit` at a time; results in task order. */
async function inTurn<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = []
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++
      results[i] = await tasks[i]!()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return results
}
