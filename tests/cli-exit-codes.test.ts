import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer as createNetServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createConnector } from '@concurkit/callout-kit'
import { type RunningConnector, serveConnector } from '@concurkit/callout-kit/node'
import { createMockConcur, type MockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, credentialsEnv, runCli, spawn } from './cli-helpers.ts'

/**
 * No command ever ends with an exit code outside the documented set: 0, 1, 2, 3, 4, and 130/143
 * for a command without a graceful stop that SIGINT/SIGTERM ends. Every command is driven through
 * its failure modes (unreachable target, refused credentials, faults, bad input, signals) as a
 * child process of the built CLI, and each must end with the code its documentation names.
 */

const DOCUMENTED = new Set([0, 1, 2, 3, 4, 130, 143])

let mock: MockConcur
let running: RunningMock
/** A second mock whose every report request fails (503 + Retry-After 0, and a throttling 400). */
let failing: RunningMock
let connector: RunningConnector
/** A port that accepts connections and never answers. */
let silent: Server
let silentPort: number
let silentConnections = 0
let closedPort: number
let dir: string
let env: Record<string, string | undefined>
const connectorPassword = 'connector-password-42'

async function freePort(): Promise<number> {
  const s = createNetServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as { port: number }
  await new Promise((r) => s.close(r))
  return port
}

beforeAll(async () => {
  mock = createMockConcur({ seed: 9, companies: 1, datacenters: ['us'], size: 10 })
  running = await mock.listen({ port: 0 })
  const failingMock = createMockConcur({ seed: 9, companies: 1, datacenters: ['us'], size: 10 })
  failing = await failingMock.listen({ port: 0 })
  for (const rule of [
    {
      path: '/api/v3.0/expense/entries*',
      status: 400,
      body: { Error: { Message: 'Request limit exceeded.' } },
    },
    { path: '/api/**', status: 503, retryAfter: 0 },
  ]) {
    const res = await fetch(`${failing.admin}/_mock/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    })
    expect(res.status).toBeLessThan(300)
  }
  connector = await serveConnector({
    app: createConnector({
      credentials: { user: 'concur', password: connectorPassword },
      handlers: { notify: () => {} },
    }),
    insecureHttp: true,
    port: 0,
  })
  silent = createNetServer(() => {
    silentConnections += 1
  })
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
  silentPort = (silent.address() as { port: number }).port
  closedPort = await freePort()
  dir = await mkdtemp(join(tmpdir(), 'concurkit-exit-'))
  const c = mock.state.companies[0]!
  env = {
    ...credentialsEnv(c),
    CONCUR_BASE_URL: running.datacenters.us,
    CONCURKIT_CONFIG_DIR: join(dir, 'config'),
    CONCURKIT_CONNECTOR_PASSWORD: connectorPassword,
  }
})

afterAll(async () => {
  await running?.close()
  await failing?.close()
  await connector?.close()
  silent?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

interface Case {
  mode: string
  args: string[]
  expected: number
  env?: Record<string, string | undefined>
  input?: string
  /** Text the one-line error must contain. */
  says?: RegExp
}

function cases(): Case[] {
  const unreachable = `http://127.0.0.1:${closedPort}`
  const out = (name: string) => join(dir, name)
  const wrong = { CONCUR_PASSWORD: 'not-the-password' }
  const down = { CONCUR_BASE_URL: failing.datacenters.us }
  return [
    { mode: 'ok', args: ['resources'], expected: 0 },
    // unreachable target
    {
      mode: 'unreachable',
      args: ['extract', 'expense-reports', '--out', out('u.ndjson')],
      env: { CONCUR_BASE_URL: unreachable },
      expected: 4,
      says: /ECONNREFUSED/,
    },
    {
      mode: 'unreachable',
      args: ['watch', 'expense-reports', '--once'],
      env: { CONCUR_BASE_URL: unreachable },
      expected: 4,
    },
    { mode: 'unreachable', args: ['conformance', '--target', unreachable], expected: 4 },
    {
      mode: 'unreachable',
      args: ['auth', 'login', '--username', 'someone', '--password-stdin', '--base-url', unreachable],
      input: 'pw\n',
      expected: 4,
    },
    {
      mode: 'unreachable',
      args: ['callout', 'test', '--url', `http://127.0.0.1:${closedPort}`, '--user', 'concur'],
      expected: 4,
    },
    {
      mode: 'unreachable (no answer)',
      args: [
        'callout',
        'test',
        '--url',
        `http://127.0.0.1:${silentPort}`,
        '--user',
        'concur',
        '--timeout',
        '300',
      ],
      expected: 4,
    },
    {
      mode: 'port in use',
      args: ['mock', '--port', new URL(running.admin).port],
      expected: 4,
      says: /cannot listen/,
    },
    // refused credentials
    {
      mode: 'refused credentials',
      args: ['extract', 'expense-reports', '--out', out('r.ndjson')],
      env: wrong,
      expected: 3,
    },
    { mode: 'refused credentials', args: ['watch', 'expense-reports', '--once'], env: wrong, expected: 3 },
    {
      mode: 'refused credentials',
      args: ['conformance', '--target', running.datacenters.us!],
      env: wrong,
      expected: 3,
    },
    {
      mode: 'refused credentials',
      args: ['auth', 'login', '--username', String(env.CONCUR_USERNAME), '--password-stdin'],
      env: { CONCUR_USERNAME: undefined, CONCUR_PASSWORD: undefined },
      input: 'not-the-password\n',
      expected: 3,
    },
    {
      mode: 'refused credentials',
      args: ['auth', 'status'],
      env: { CONCURKIT_CONFIG_DIR: join(dir, 'empty-config') },
      expected: 3,
    },
    {
      mode: 'refused credentials',
      args: ['callout', 'test', '--url', connector.url, '--user', 'concur'],
      env: { CONCURKIT_CONNECTOR_PASSWORD: 'wrong-password' },
      expected: 1,
    },
    // faults: every report request fails
    {
      mode: 'faults (503 always)',
      args: ['extract', 'expense-reports', '--user', 'ALL', '--out', out('f.ndjson')],
      env: down,
      expected: 4,
      says: /→ 503: .* after 7 attempts \(gave up: all 6 retries used\)/,
    },
    {
      mode: 'faults (throttling 400 always)',
      args: ['extract', 'expense-entries', '--user', 'ALL', '--out', out('t.ndjson')],
      env: down,
      expected: 4,
      says: /→ 400: Request limit exceeded\. .*after 7 attempts/,
    },
    {
      mode: 'faults (503 always)',
      args: ['watch', 'expense-reports', '--once', '--user', 'ALL', '--since', 'beginning'],
      env: down,
      expected: 4,
      says: /after 7 attempts/,
    },
    {
      mode: 'faults (503 always)',
      args: [
        'conformance',
        '--target',
        failing.datacenters.us!,
        '--reporter',
        'json',
        '--out',
        out('c.json'),
      ],
      env: down,
      expected: 1,
    },
    // bad input
    { mode: 'bad input', args: ['frobnicate'], expected: 2 },
    { mode: 'bad input', args: ['resources', '--bogus'], expected: 2 },
    { mode: 'bad input', args: ['extract', 'expense-reportz', '--out', out('b.ndjson')], expected: 2 },
    {
      mode: 'bad input',
      args: ['extract', 'expense-reports', '--from', '2024-13-45', '--out', out('b.ndjson')],
      expected: 2,
    },
    { mode: 'bad input', args: ['watch', 'expense-reports', '--interval', 'soon'], expected: 2 },
    { mode: 'bad input', args: ['mock', '--port', 'abc'], expected: 2 },
    { mode: 'bad input', args: ['conformance', '--reporter', 'xml'], expected: 2 },
    {
      mode: 'bad input',
      args: ['auth', 'login', '--username', 'u', '--password-stdin'],
      input: '',
      expected: 2,
    },
    { mode: 'bad input', args: ['callout', 'test', '--user', 'concur'], expected: 2 },
    { mode: 'bad input', args: ['callout', 'test', '--url', 'ftp://x', '--user', 'concur'], expected: 2 },
  ]
}

const codes: { mode: string; command: string; code: number | null }[] = []

describe('every command through its failure modes (built CLI, child processes)', () => {
  it('ends with the documented exit code, one readable line, no stack, no secret', async () => {
    const all = cases()
    // Four at a time: child processes on a shared machine.
    const queue = [...all]
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const r = await runCli(c.args, {
            env: { ...env, ...c.env },
            timeoutMs: 40_000,
            ...(c.input === undefined ? {} : { input: c.input }),
          })
          codes.push({ mode: c.mode, command: c.args.slice(0, 2).join(' '), code: r.code })
          const what = { mode: c.mode, args: c.args.join(' '), code: r.code, stderr: r.stderr.slice(0, 400) }
          expect(what).toMatchObject({ code: c.expected })
          expect(DOCUMENTED.has(r.code)).toBe(true)
          expect(r.stderr).not.toMatch(/^\s+at /m)
          for (const secret of [env.CONCUR_PASSWORD!, env.CONCUR_CLIENT_SECRET!, connectorPassword])
            expect(`${r.stdout}${r.stderr}`).not.toContain(secret)
          const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'))
          // At most one `error: …` line; without one, the report (or status) on stdout says why.
          expect({ ...what, errorLines: errors.length }).toMatchObject({
            errorLines: c.expected >= 2 && r.stdout.length === 0 ? 1 : expect.any(Number),
          })
          expect(errors.length).toBeLessThanOrEqual(1)
          if (c.says) expect(errors.join('\n')).toMatch(c.says)
        }
      }),
    )
    expect(codes.length).toBe(all.length)
  }, 90_000)

  it('SIGINT and SIGTERM: extract 4 (resumable), watch and mock 0, the others 130 / 143', async () => {
    // Slow answers, so each command is mid-request when the signal comes: entries for extract,
    // reports for watch, everything on a mock of its own for conformance.
    const post = async (target: RunningMock, rule: unknown) => {
      const res = await fetch(`${target.admin}/_mock/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rule),
      })
      return ((await res.json()) as { id: string }).id
    }
    const slowMock = createMockConcur({ seed: 9, companies: 1, datacenters: ['us'], size: 10 })
    const slow = await slowMock.listen({ port: 0 })
    await post(slow, { path: '/api/**', delayMs: 20_000 })
    const rules = [
      await post(running, { path: '/api/v3.0/expense/entries*', delayMs: 20_000 }),
      await post(running, { path: '/api/v3.0/expense/reports*', delayMs: 20_000 }),
    ]
    const matched = (m: MockConcur, path: string) =>
      m.state.faults.rules.filter((r) => r.path === path).reduce((n, r) => n + r.matched, 0)
    const killed = (signal: NodeJS.Signals) => (signal === 'SIGINT' ? 130 : 143)
    const hung = (signal: NodeJS.Signals) => [
      {
        command: 'extract',
        args: ['extract', 'expense-entries', '--user', 'ALL', '--out', join(dir, `sig-${signal}.ndjson`)],
        ready: () => matched(mock, '/api/v3.0/expense/entries*'),
        expected: 4,
      },
      {
        command: 'watch',
        args: ['watch', 'expense-reports', '--interval', '1h', '--state-dir', join(dir, `w-${signal}`)],
        ready: () => matched(mock, '/api/v3.0/expense/reports*'),
        expected: 0,
      },
      { command: 'mock', args: ['mock', '--port', '0', '--json'], ready: /"admin"/, expected: 0 },
      {
        command: 'conformance --target',
        args: ['conformance', '--target', slow.datacenters.us!],
        ready: () => matched(slowMock, '/api/**'),
        expected: killed(signal),
      },
      {
        command: 'auth login --authorization-code',
        args: ['auth', 'login', '--authorization-code'],
        ready: /open this URL/,
        expected: killed(signal),
      },
      {
        command: 'callout test',
        args: ['callout', 'test', '--url', `http://127.0.0.1:${silentPort}`, '--user', 'concur'],
        ready: () => silentConnections,
        expected: killed(signal),
      },
    ]
    try {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        await Promise.all(
          hung(signal).map(async (c) => {
            const start = typeof c.ready === 'function' ? c.ready() : 0
            const child = spawn(process.execPath, [CLI, ...c.args], {
              env: { ...process.env, NO_COLOR: '1', ...env } as NodeJS.ProcessEnv,
              stdio: ['ignore', 'pipe', 'pipe'],
            })
            let output = ''
            child.stdout.on('data', (d: Buffer) => {
              output += d.toString()
            })
            child.stderr.on('data', (d: Buffer) => {
              output += d.toString()
            })
            const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
            const ready = () => (typeof c.ready === 'function' ? c.ready() > start : c.ready.test(output))
            const deadline = Date.now() + 25_000
            while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
            expect({ command: c.command, ready: ready() }).toEqual({ command: c.command, ready: true })
            child.kill(signal)
            const code = await exited
            codes.push({ mode: signal, command: c.command, code })
            expect({ command: c.command, signal, code, output: output.slice(-300) }).toMatchObject({
              code: c.expected,
            })
            expect(DOCUMENTED.has(code ?? -1)).toBe(true)
            expect(output).not.toMatch(/^\s+at /m)
          }),
        )
      }
    } finally {
      for (const id of rules) await fetch(`${running.admin}/_mock/faults/${id}`, { method: 'DELETE' })
      await slow.close()
    }
  }, 90_000)

  afterAll(async () => {
    const file = process.env.CONCURKIT_EXIT_CODES
    if (file) await writeFile(file, `${JSON.stringify(codes, null, 1)}\n`)
  })
})
