import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage } from 'node:http'
import { type AddressInfo, createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { passwordGrant } from '@concurkit/auth'
import { createConnector } from '@concurkit/callout-kit'
import { serveConnector } from '@concurkit/callout-kit/node'
import { createConcurClient, staticToken } from '@concurkit/client'
import { createEncoder } from '@concurkit/client/internal'
import { digestRecords, getResource, type ResourceName } from '@concurkit/contract'
import { createMockConcur, type MockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, credentialsEnv, runCli, spawn } from './cli-helpers.ts'

/**
 * Every command that talks to a server, run as a user runs it (the built CLI, a child process)
 * against a listening mock under each fault kind of the reliability suite's seeded mix, one mock
 * per kind. Each run must end with its documented exit code, and what `extract` and `watch` wrote
 * must equal the mock's manifest (count and SHA-256). `CONCURKIT_FAULT_MATRIX=<file>` writes the
 * matrix (command × fault → exit code, records, checksum) as JSON.
 */

const OPTIONS = { seed: 2026, companies: 1, datacenters: ['us' as const], size: 40 }
const RESOURCES: readonly ResourceName[] = ['expense-reports', 'expense-entries']

const THROTTLE_JSON = {
  Error: {
    Message: 'Request limit exceeded. Try again later.',
    'Server-Time': '2026-01-01T00:00:00',
    Id: 'T',
  },
}

/** The fault kinds: each a rule set on `/api/**` (every n-th request, so each one surely fires). */
const KINDS: Record<string, readonly Record<string, unknown>[]> = {
  none: [],
  '500': [{ path: '/api/**', status: 500, every: 2 }],
  '502': [{ path: '/api/**', status: 502, every: 2 }],
  '503': [{ path: '/api/**', status: 503, every: 2 }],
  '429+Retry-After': [{ path: '/api/**', status: 429, retryAfter: 1, every: 4 }],
  'throttling 400': [{ path: '/api/**', status: 400, body: THROTTLE_JSON, every: 2 }],
  reset: [{ path: '/api/**', reset: true, every: 2 }],
  'truncated body': [{ path: '/api/**', truncate: true, every: 2 }],
  delay: [{ path: '/api/**', delayMs: 150, every: 2 }],
  'expired token': [],
  // The reliability suite's seeded mix (tests/reliability/faults.test.ts), all kinds at once.
  mix: [
    { path: '/api/**', status: 500, probability: 0.05 },
    { path: '/api/**', status: 502, probability: 0.05 },
    { path: '/api/**', status: 503, probability: 0.05 },
    { path: '/api/**', retryAfter: 1, probability: 0.03 },
    { path: '/api/v3.0/**', status: 400, body: THROTTLE_JSON, probability: 0.05 },
    { path: '/api/**', reset: true, probability: 0.05 },
    { path: '/api/**', truncate: true, probability: 0.05 },
    { path: '/api/**', delayMs: 80, probability: 0.05 },
  ],
}

interface MatrixRow {
  command: string
  fault: string
  exit: number | null
  records?: number
  sha256?: string
  note?: string
  ms?: number
}
const matrix: MatrixRow[] = []

interface Target {
  mock: MockConcur
  running: RunningMock
  env: Record<string, string | undefined>
  dir: string
}

async function adminCall<T>(running: RunningMock, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${running.admin}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}`)
  return (await res.json()) as T
}

let manifests: Record<string, { count: number; sha256: string }>
/** The records of each resource in the mock's order (read in-process, checked against the manifest). */
let baseline: Record<string, Record<string, unknown>[]>
let baselineOrigin: string

async function startTarget(kind: string): Promise<Target> {
  const mock = createMockConcur(OPTIONS)
  const running = await mock.listen({ port: 0 })
  const dir = await mkdtemp(join(tmpdir(), 'concurkit-faultmix-'))
  const c = mock.state.companies[0]!
  const env = {
    ...credentialsEnv(c),
    CONCUR_BASE_URL: running.datacenters.us,
    CONCURKIT_CONFIG_DIR: join(dir, 'config'),
  }
  for (const rule of KINDS[kind]!) await adminCall(running, 'POST', '/_mock/faults', rule)
  return { mock, running, env, dir }
}

/** Runs the built CLI; records a row of the matrix. */
async function cli(
  t: Target,
  fault: string,
  command: string,
  args: string[],
  env: Record<string, string | undefined> = t.env,
  input?: string,
) {
  const started = performance.now()
  const r = await runCli(args, { env, timeoutMs: 90_000, ...(input === undefined ? {} : { input }) })
  const row: MatrixRow = { command, fault, exit: r.code, ms: Math.round(performance.now() - started) }
  matrix.push(row)
  return { ...r, row }
}

const parseNdjson = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>)

/** `extract` of several resources in the given formats; each file must equal the manifest. */
async function extractRuns(
  t: Target,
  fault: string,
  env: Record<string, string | undefined>,
  runs: readonly Run[],
) {
  for (const [format, concurrency] of runs) {
    const out = join(t.dir, `${format}-${concurrency}-out`)
    const r = await cli(
      t,
      fault,
      `extract --format ${format} --concurrency ${concurrency}`,
      [
        'extract',
        ...RESOURCES,
        '--user',
        'ALL',
        '--format',
        format,
        '--concurrency',
        concurrency,
        '--out',
        `${out}/`,
      ],
      env,
    )
    expect({ fault, format, code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 })
    expect(r.stderr).toMatch(/^extracted 160 records \(\d+ pages\) of expense-reports, expense-entries in /)
    expect((await readdir(out)).sort()).toEqual(RESOURCES.map((res) => `${res}.${format}`).sort())
    let records = 0
    for (const resource of RESOURCES) {
      const m = manifests[resource]!
      const text = await readFile(join(out, `${resource}.${format}`), 'utf8')
      if (format === 'csv') {
        // CSV holds strings: it must be exactly the documented encoding of the manifest's records.
        // The `URI` column names the serving mock's origin.
        const rows = baseline[resource]!.map((rec) =>
          typeof rec.URI === 'string'
            ? { ...rec, URI: rec.URI.replace(baselineOrigin, t.env.CONCUR_BASE_URL!) }
            : rec,
        )
        expect(text).toBe(createEncoder('csv', getResource(resource)).encode(rows, 0))
        records += m.count
        continue
      }
      const rows = format === 'json' ? (JSON.parse(text) as Record<string, unknown>[]) : parseNdjson(text)
      expect({ fault, format, resource, ...digestRecords(rows) }).toEqual({ fault, format, resource, ...m })
      records += rows.length
    }
    r.row.records = records
    r.row.sha256 = RESOURCES.map((res) => manifests[res]!.sha256.slice(0, 12)).join('+')
  }
}

/** `watch --once`: one event per record; the records, in the extract's order, equal the manifest. */
async function watchOnce(t: Target, fault: string, env: Record<string, string | undefined>) {
  const r = await cli(
    t,
    fault,
    'watch --once',
    [
      'watch',
      ...RESOURCES,
      '--once',
      '--since',
      'beginning',
      '--user',
      'ALL',
      '--keep-nulls',
      '--state-dir',
      join(t.dir, 'watch-once'),
    ],
    env,
  )
  expect({ fault, code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 })
  const events = parseNdjson(r.stdout) as {
    resource: string
    objectId: string
    record: Record<string, unknown>
  }[]
  let records = 0
  for (const resource of RESOURCES) {
    const got = new Map(events.filter((e) => e.resource === resource).map((e) => [e.objectId, e.record]))
    const order = baseline[resource]!.map((rec) => String(rec.ID))
    const rows = order.map((id) => got.get(id)).filter((x): x is Record<string, unknown> => x !== undefined)
    expect({ fault, resource, events: got.size, ...digestRecords(rows) }).toEqual({
      fault,
      resource,
      events: manifests[resource]!.count,
      ...manifests[resource]!,
    })
    records += rows.length
  }
  expect(events.length).toBe(records)
  r.row.records = records
  r.row.sha256 = RESOURCES.map((res) => manifests[res]!.sha256.slice(0, 12)).join('+')
}

/** `watch --callback`: every change is POSTed (the receiver fails each first try); SIGTERM ends it with 0. */
async function watchCallback(t: Target, fault: string, env: Record<string, string | undefined>) {
  const resource = 'expense-reports'
  const want = manifests[resource]!.count
  const delivered = new Map<string, Record<string, unknown>>()
  const tried = new Set<string>()
  let resolveAll: () => void = () => {}
  const all = new Promise<void>((r) => {
    resolveAll = r
  })
  const receiver = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const id = String(req.headers['concurkit-event-id'])
    if (!tried.has(id)) {
      tried.add(id)
      return res.writeHead(503).end() // the receiver's own fault: the first delivery of each event
    }
    delivered.set(id, JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>)
    res.writeHead(204).end()
    if (delivered.size >= want) resolveAll()
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  const child = spawn(
    process.execPath,
    [
      CLI,
      'watch',
      resource,
      '--since',
      'beginning',
      '--user',
      'ALL',
      '--interval',
      '1h',
      '--callback',
      url,
      '--signing-key-env',
      'HOOK_KEY',
      '--retry-delay',
      '10ms',
      '--state-dir',
      join(t.dir, 'watch-hook'),
    ],
    {
      env: { ...process.env, NO_COLOR: '1', ...env, HOOK_KEY: 'k-123' } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const started = performance.now()
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const early = await Promise.race([all.then(() => undefined), exited])
  child.kill('SIGTERM')
  const code = await exited
  receiver.closeAllConnections()
  await new Promise((r) => receiver.close(r))
  matrix.push({
    command: 'watch --callback (SIGTERM)',
    fault,
    exit: code,
    records: delivered.size,
    ms: Math.round(performance.now() - started),
  })
  expect({ fault, early, code, delivered: delivered.size, stderr }).toMatchObject({
    early: undefined,
    code: 0,
    delivered: want,
  })
}

/** `conformance --target`: exit 1 exactly when a check failed (a fault the suite saw is a finding), else 0. */
async function conformance(t: Target, fault: string) {
  const out = join(t.dir, 'conformance.json')
  const r = await cli(t, fault, 'conformance --target', [
    'conformance',
    '--target',
    t.env.CONCUR_BASE_URL!,
    '--reporter',
    'json',
    '--out',
    out,
  ])
  const report = JSON.parse(await readFile(out, 'utf8')) as { summary: { passed: number; failed: number } }
  expect({ fault, code: r.code }).toEqual({ fault, code: report.summary.failed > 0 ? 1 : 0 })
  expect(report.summary.passed).toBeGreaterThan(100)
  r.row.note = `${report.summary.passed} passed, ${report.summary.failed} failed`
  if (fault === 'none' || fault === 'delay') expect(report.summary.failed).toBe(0)
}

/** `auth login` (password on stdin) and `auth status --json`; returns the env of a profile-only user. */
async function login(t: Target, fault: string) {
  const { CONCUR_USERNAME, CONCUR_PASSWORD, ...rest } = t.env
  const l = await cli(
    t,
    fault,
    'auth login',
    [
      'auth',
      'login',
      '--client-id',
      t.env.CONCUR_CLIENT_ID!,
      '--username',
      CONCUR_USERNAME!,
      '--password-stdin',
      '--base-url',
      t.env.CONCUR_BASE_URL!,
    ],
    { ...rest, CONCUR_USERNAME: undefined, CONCUR_PASSWORD: undefined },
    `${CONCUR_PASSWORD}\n`,
  )
  expect({ fault, code: l.code, stderr: l.stderr }).toMatchObject({ code: 0 })
  const s = await cli(t, fault, 'auth status --json', ['auth', 'status', '--json'], rest)
  expect({ fault, code: s.code }).toEqual({ fault, code: 0 })
  expect(s.stdout).not.toContain(CONCUR_PASSWORD!)
  return { ...rest, CONCUR_USERNAME: undefined, CONCUR_PASSWORD: undefined }
}

const FORMATS = ['ndjson', 'json', 'csv'] as const
type Run = readonly [format: (typeof FORMATS)[number], concurrency: '1' | '8']
/** The extract runs of a kind: every format and both concurrencies without faults, one run else. */
function extractPlan(kind: string, index: number): readonly Run[] {
  if (kind === 'none')
    return [
      ['ndjson', '1'],
      ['json', '8'],
      ['csv', '8'],
      ['ndjson', '8'],
    ]
  if (kind === 'mix')
    return [
      ['ndjson', '1'],
      ['csv', '8'],
    ]
  return [[FORMATS[index % 3]!, index % 2 === 0 ? '1' : '8']]
}

async function runKind(kind: string, index: number) {
  const t = await startTarget(kind)
  try {
    let env = t.env
    if (kind === 'expired token') {
      // Signed in an hour ago on the mock's clock: every command meets an expired access token.
      env = await login(t, kind)
      await adminCall(t.running, 'POST', '/_mock/clock', { advanceSeconds: 3601 })
    }
    await extractRuns(t, kind, env, extractPlan(kind, index))
    await watchOnce(t, kind, env)
    if (['none', 'mix', 'expired token', '503', 'reset'].includes(kind)) await watchCallback(t, kind, env)
    if (['none', 'mix', '503'].includes(kind)) await conformance(t, kind)
    if (kind === 'none' || kind === 'mix') await login(t, kind)
    if (kind === 'expired token') {
      // The mock refused the stale token (Concur's 403 "Token expired") and the CLI got a new one.
      const journal = t.mock.state.journal.list()
      const refused = journal.findIndex((e) => e.status === 403 && e.path.startsWith('/api/'))
      expect(refused).toBeGreaterThanOrEqual(0)
      const renewed = journal
        .slice(refused)
        .some((e) => e.method === 'POST' && e.path.startsWith('/oauth2/v0/token'))
      expect(renewed).toBe(true)
    }
    if (KINDS[kind]!.length > 0) {
      const { faults } = await adminCall<{ faults: { fired: number }[] }>(t.running, 'GET', '/_mock/faults')
      expect(
        faults.reduce((n, f) => n + f.fired, 0),
        `${kind} fired`,
      ).toBeGreaterThan(0)
    }
  } finally {
    await t.running.close()
    await rm(t.dir, { recursive: true, force: true })
  }
}

beforeAll(async () => {
  const mock = createMockConcur(OPTIONS)
  const running = await mock.listen({ port: 0 })
  manifests = {}
  for (const resource of RESOURCES) {
    const company = mock.state.companies[0]!.id
    const body = await adminCall<{
      companies: { resources: Record<string, { count: number; sha256: string }> }[]
    }>(running, 'GET', `/_mock/manifest?company=${company}&resource=${resource}&user=ALL`)
    manifests[resource] = body.companies[0]!.resources[resource]!
  }
  // The expected rows, read in-process through the library (the CLI runs are what is tested).
  const c = mock.state.companies[0]!
  const tokens = await passwordGrant({
    clientId: c.apps[0]!.clientId,
    clientSecret: c.apps[0]!.clientSecret,
    username: c.users[0]!.loginId,
    password: c.users[0]!.password,
    baseUrl: running.datacenters.us,
  })
  baselineOrigin = running.datacenters.us!
  const client = createConcurClient({
    auth: staticToken(tokens.accessToken.reveal(), baselineOrigin),
  })
  baseline = {}
  for (const resource of RESOURCES) {
    baseline[resource] = (await client.resource(resource).list({ user: 'ALL' }).toArray()) as Record<
      string,
      unknown
    >[]
    expect(digestRecords(baseline[resource]!)).toEqual(manifests[resource])
  }
  await client.close()
  await running.close()
})

describe('callout test under connector-side faults (Concur does not retry callouts: a fault is a finding)', () => {
  it('ends 0 without faults, 1 when answers fail or come late, 4 when the connector resets every connection', async () => {
    const credentials = { user: 'concur', password: 'connector-password-9' }
    const connector = createConnector({
      credentials,
      handlers: {
        fetchAttendee: () => [{ ExternalID: 'A-1', FirstName: 'Chris', LastName: 'Miller' }],
        fetchList: (req) => [
          {
            code: req.longCode ? `${req.longCode}-SF` : 'SF',
            shortCode: 'SF',
            text: 'San Francisco',
            matchValue: 'San Francisco',
          },
        ],
        notify: () => {},
      },
    })
    let n = 0
    const faulty = (fault: string) => async (request: Request) => {
      n += 1
      if (fault === '503' && n % 2 === 0)
        return new Response('busy', { status: 503, headers: { 'retry-after': '0' } })
      if (fault === 'delay' && n % 2 === 0) await new Promise((r) => setTimeout(r, 700))
      if (fault === 'truncated body' && n % 2 === 0) {
        const res = await connector.fetch(request)
        const body = await res.text()
        return new Response(body.slice(0, Math.floor(body.length / 2)), res)
      }
      return connector.fetch(request)
    }
    const expected: Record<string, number> = { none: 0, '503': 1, delay: 1, 'truncated body': 1 }
    for (const fault of Object.keys(expected)) {
      n = 0
      const server = await serveConnector({ app: { fetch: faulty(fault) }, insecureHttp: true, port: 0 })
      try {
        const r = await runCli(
          [
            'callout',
            'test',
            '--url',
            server.url,
            '--user',
            credentials.user,
            '--timeout',
            '500',
            '--reporter',
            'json',
          ],
          { env: { CONCURKIT_CONNECTOR_PASSWORD: credentials.password } },
        )
        const report = JSON.parse(r.stdout) as {
          summary: { passed: number; failed: number; skipped: number }
        }
        matrix.push({
          command: 'callout test',
          fault,
          exit: r.code,
          note: `${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.skipped} not served`,
        })
        expect({ fault, code: r.code }).toEqual({ fault, code: expected[fault] })
        expect(r.stdout).not.toContain(credentials.password)
      } finally {
        await server.close()
      }
    }
    const resets = createNetServer((socket) => socket.resetAndDestroy())
    await new Promise<void>((r) => resets.listen(0, '127.0.0.1', r))
    const port = (resets.address() as AddressInfo).port
    const r = await runCli(['callout', 'test', '--url', `http://127.0.0.1:${port}`, '--user', 'concur'], {
      env: { CONCURKIT_CONNECTOR_PASSWORD: credentials.password },
    })
    await new Promise((done) => resets.close(done))
    matrix.push({ command: 'callout test', fault: 'reset', exit: r.code, note: 'unreachable' })
    expect(r.code).toBe(4)
  }, 60_000)
})

afterAll(async () => {
  const file = process.env.CONCURKIT_FAULT_MATRIX
  if (file) await writeFile(file, `${JSON.stringify({ manifests, matrix }, null, 1)}\n`)
})

describe('the built CLI under each fault kind of the seeded mix (one mock per kind)', () => {
  // Three kinds at a time: child processes on a shared two-core machine.
  const kinds = Object.keys(KINDS)
  const lanes = [0, 1, 2].map((lane) => kinds.filter((_, i) => i % 3 === lane))
  for (const lane of lanes) {
    it.concurrent(`${lane.join(', ')}: documented exit codes, manifest count and checksum`, async () => {
      for (const kind of lane) await runKind(kind, kinds.indexOf(kind))
    }, 240_000)
  }
})
