import { type ChildProcess, spawn } from 'node:child_process'
import { webcrypto } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { verifyConcurEventSignature } from '@concurkit/contract'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, runCli } from './cli-helpers.ts'

/**
 * The Event Subscription Service end to end, with the built CLI as child processes: `concurkit mock
 * --tls`, `concurkit events listen` over HTTPS (a self-signed certificate the mock trusts, the mock's
 * client certificate required), `events subscribe|list|topics|unsubscribe`. The report is created,
 * submitted, approved and sent back through Expense v4 (the v3.0 writes publish events too), and the
 * events' hrefs are the reports' Expense v4 URLs.
 */

interface MockJson {
  datacenters: Record<string, string>
  admin: string
  tls: { ca: string }
  events: { publicKey: string; clientCa: string }
  companies: {
    id: string
    datacenter: string
    clientId: string
    clientSecret: string
    users: { loginId: string; password: string }[]
  }[]
}

interface ChangeLine {
  id: string
  type: string
  resource: string
  objectId: string
  objectUri: string
  occurredAt: string
  record: { id: string; eventType: string; facts: Record<string, unknown> }
}

const children: ChildProcess[] = []
const dir = mkdtempSync(join(tmpdir(), 'concurkit-events-e2e-'))
let mock: MockJson
let base: string
let agent: Agent
let env: Record<string, string>

/** Spawns the CLI; resolves with the child and its first stdout (or stderr) line matching `pattern`. */
function start(
  args: string[],
  stream: 'stdout' | 'stderr',
  pattern: RegExp,
): Promise<{ child: ChildProcess; line: string; out: () => string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString('utf8')
  })
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString('utf8')
  })
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`no ${pattern} within 20 s: ${out}${err}`)), 20_000)
    const look = () => {
      const text = stream === 'stdout' ? out : err
      const line = text.split('\n').find((l) => pattern.test(l))
      if (line) {
        clearTimeout(deadline)
        child.stdout!.off('data', look)
        child.stderr!.off('data', look)
        resolve({ child, line, out: () => out })
      }
    }
    child.stdout!.on('data', look)
    child.stderr!.on('data', look)
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}${err}`)))
  })
}

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await request(url, {
    method: method as 'GET',
    dispatcher: agent,
    headers: {
      ...(body === undefined
        ? {}
        : { 'content-type': typeof body === 'string' ? 'application/xml' : 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  const text = await res.body.text()
  return { status: res.statusCode, text, json: () => JSON.parse(text) }
}

const admin = (path: string, body?: unknown) =>
  call(body === undefined ? 'GET' : 'POST', `${mock.admin}/_mock${path}`, body)

async function token(fields: Record<string, string>): Promise<string> {
  const c = mock.companies[0]!
  const res = await request(`${base}/oauth2/v0/token`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: c.clientId, client_secret: c.clientSecret, ...fields }).toString(),
  })
  const json = (await res.body.json()) as { access_token: string }
  return json.access_token
}

/** The Identity UUID a user access token speaks for (its `sub`). */
const userIdOf = (jwt: string): string =>
  (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string }).sub

/** Creates a report through Expense v4 (POST long URL) as the token's user; resolves with its id. */
async function createV4(userToken: string, name: string): Promise<string> {
  const auth = { authorization: `Bearer ${userToken}` }
  const own = await call('GET', `${base}/api/v3.0/expense/reports?limit=1`, undefined, auth)
  const policyId = own.json().Items[0].PolicyID as string
  const userId = userIdOf(userToken)
  const res = await call(
    'POST',
    `${base}/expensereports/v4/users/${userId}/context/TRAVELER/reports`,
    { name, policyId },
    auth,
  )
  expect(res.status, res.text).toBe(201)
  return (res.json().uri as string).split('/').at(-1)!
}

/** A workflow action through Expense v4 (submit as the owner; approve / sendBack as the approver, MANAGER). */
async function workflowV4(
  action: 'submit' | 'approve' | 'sendBack',
  token: string,
  reportId: string,
  comment?: string,
): Promise<void> {
  const userId = userIdOf(token)
  const url =
    action === 'submit'
      ? `${base}/expensereports/v4/users/${userId}/reports/${reportId}/submit`
      : `${base}/expensereports/v4/users/${userId}/context/MANAGER/reports/${reportId}/${action}`
  const res = await call('PATCH', url, comment === undefined ? undefined : { comment }, {
    authorization: `Bearer ${token}`,
  })
  expect(res.status, res.text).toBe(204)
}

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Moves the mock clock and waits until every delivery that became due is done. */
async function advance(seconds: number): Promise<void> {
  expect((await admin('/clock', { advanceSeconds: seconds })).status).toBe(200)
  expect((await admin('/events/flush', {})).status).toBe(200)
}

/** A self-signed server certificate for 127.0.0.1 (what a developer makes with mkcert or openssl). */
async function selfSigned(): Promise<{ cert: string; key: string }> {
  await import('reflect-metadata')
  const x509 = await import('@peculiar/x509')
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=127.0.0.1',
    notBefore: new Date(Date.now() - 3_600_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }]),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  })
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  return {
    cert: cert.toString('pem'),
    key: `-----BEGIN PRIVATE KEY-----\n${der
      .toString('base64')
      .replace(/(.{64})/g, '$1\n')
      .trimEnd()}\n-----END PRIVATE KEY-----\n`,
  }
}

const files = {
  cert: join(dir, 'cert.pem'),
  key: join(dir, 'key.pem'),
  pub: join(dir, 'ess.pem'),
  clientCa: join(dir, 'client-ca.pem'),
}
let certPem: string

beforeAll(async () => {
  const started = await start(['mock', '--port', '0', '--tls', '--json', '--size', '20'], 'stdout', /^\{/)
  mock = JSON.parse(started.line) as MockJson
  const c = mock.companies[0]!
  base = mock.datacenters[c.datacenter]!
  const { readFileSync } = await import('node:fs')
  agent = new Agent({ connect: { ca: readFileSync(mock.tls.ca, 'utf8') } })
  env = {
    CONCUR_CLIENT_ID: c.clientId,
    CONCUR_CLIENT_SECRET: c.clientSecret,
    CONCUR_BASE_URL: base,
    NODE_EXTRA_CA_CERTS: mock.tls.ca,
  }
  const tls = await selfSigned()
  certPem = tls.cert
  writeFileSync(files.cert, tls.cert)
  writeFileSync(files.key, tls.key, { mode: 0o600 })
  writeFileSync(files.pub, mock.events.publicKey)
  writeFileSync(files.clientCa, mock.events.clientCa)
  // The mock trusts the receiver's self-signed certificate (Concur wants a CA-signed one).
  expect((await admin('/events/trust', { ca: tls.cert })).status).toBe(200)
}, 60_000)

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
  await agent?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('concurkit events (ESS) against concurkit mock --tls', () => {
  let reportId: string
  let userToken: string

  it('delivers exactly the two status changes of a submitted and approved report, signed, over mutual TLS', async () => {
    const c = mock.companies[0]!
    const topics = await runCli(['events', 'topics'], { env })
    expect(topics.code).toBe(0)
    expect(topics.stdout.split('\n')).toContain('public.concur.expense.report')

    // The report exists before the subscription: only what happens next is delivered.
    userToken = await token({
      grant_type: 'password',
      username: c.users[2]!.loginId,
      password: c.users[2]!.password,
    })
    reportId = await createV4(userToken, 'ESS e2e')

    const listener = await start(
      [
        'events',
        'listen',
        '--port',
        '0',
        '--tls-cert',
        files.cert,
        '--tls-key',
        files.key,
        '--client-ca',
        files.clientCa,
        '--public-key',
        files.pub,
      ],
      'stderr',
      /^listening on https:\/\/127\.0\.0\.1:\d+/,
    )
    const url = /https:\/\/127\.0\.0\.1:\d+/.exec(listener.line)![0]
    expect(listener.line).toContain('client certificate required')
    const sub = await runCli(
      [
        'events',
        'subscribe',
        '--id',
        'e2e-reports',
        '--topic',
        'public.concur.expense.report',
        '--endpoint',
        `${url}/concur`,
      ],
      { env },
    )
    expect(sub.stderr).toBe('')
    expect(sub.stdout).toBe("Subscription 'e2e-reports' saved successfully\n")
    const list = await runCli(['events', 'list', '--json'], { env })
    expect(JSON.parse(list.stdout)).toMatchObject([
      { id: 'e2e-reports', topic: 'public.concur.expense.report', filter: '.*', companyIds: [c.id] },
    ])

    await workflowV4('submit', userToken, reportId)
    const approver = await token({
      grant_type: 'password',
      username: c.users[1]!.loginId,
      password: c.users[1]!.password,
    })
    await workflowV4('approve', approver, reportId, 'ok')

    await until(() => listener.out().split('\n').filter(Boolean).length >= 2, 'two NDJSON lines')
    await admin('/events/flush', {})
    const lines = listener
      .out()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ChangeLine)
    expect(lines).toHaveLength(2)
    expect(new Set(lines.map((l) => l.id)).size).toBe(2)
    expect(
      lines.map((l) => [
        l.type,
        l.resource,
        l.objectId,
        l.record.eventType,
        l.record.facts.currentApprovalStatus,
      ]),
    ).toEqual([
      ['updated', 'expense-reports', reportId, 'statusChanged', 'A_PEND'],
      ['updated', 'expense-reports', reportId, 'statusChanged', 'A_APPR'],
    ])
    // What the mock sent verifies with the published key; the hrefs resolve on the mock.
    const log = (await admin('/events/deliveries')).json().deliveries as {
      eventId: string
      body: string
      signature: string
      outcome: string
    }[]
    for (const l of lines) {
      const sent = log.find((d) => d.eventId === l.id && d.outcome === 'delivered')!
      expect(verifyConcurEventSignature(sent.body, sent.signature, mock.events.publicKey)).toBe(true)
      // A tampered body is refused by the verifier.
      expect(
        verifyConcurEventSignature(sent.body.replace('A_', 'B_'), sent.signature, mock.events.publicKey),
      ).toBe(false)
      expect(l.objectUri).toBe(
        `${base}/expensereports/v4/users/${userIdOf(userToken)}/context/TRAVELER/reports/${reportId}`,
      )
      const res = await call('GET', l.objectUri, undefined, { authorization: `Bearer ${userToken}` })
      expect(res.status).toBe(200)
      expect(res.json()).toMatchObject({ reportId, approvalStatusId: 'A_APPR' })
    }
    // Without the mock's client certificate the receiver refuses the TLS handshake.
    const anonymous = await new Promise<string>((resolve) => {
      const req = httpsRequest(`${url}/concur`, { method: 'POST', ca: certPem }, (res) =>
        resolve(`status ${res.statusCode}`),
      )
      req.on('error', (err) => resolve((err as NodeJS.ErrnoException).code ?? err.message))
      req.end('{}')
    })
    expect(anonymous).not.toMatch(/^status 2/)

    const gone = await runCli(['events', 'unsubscribe', 'e2e-reports'], { env })
    expect(gone.stdout).toBe("Subscription 'e2e-reports' marked for deletion\n")
    listener.child.kill('SIGTERM')
  }, 60_000)

  it('keeps retrying while the receiver answers 503 for 10 minutes of mock time, then delivers in order; drops after 72 h', async () => {
    // The receiver forwards to a downstream; while that is down the receiver answers 503.
    let down = true
    const accepted: ChangeLine[] = []
    let refusedByDownstream = 0
    const downstream: Server = createServer((req, res) => {
      let body = ''
      req.on('data', (d: Buffer) => {
        body += d.toString('utf8')
      })
      req.on('end', () => {
        if (down) {
          refusedByDownstream++
          res.writeHead(503).end()
          return
        }
        accepted.push(JSON.parse(body) as ChangeLine)
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((r) => downstream.listen(0, '127.0.0.1', r))
    const callback = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/in`
    try {
      const listener = await start(
        [
          'events',
          'listen',
          '--port',
          '0',
          '--tls-cert',
          files.cert,
          '--tls-key',
          files.key,
          '--public-key',
          files.pub,
          '--callback',
          callback,
        ],
        'stderr',
        /^listening on https:/,
      )
      const url = /https:\/\/127\.0\.0\.1:\d+/.exec(listener.line)![0]
      const sub = await runCli(
        [
          'events',
          'subscribe',
          '--id',
          'e2e-forward',
          '--topic',
          'public.concur.expense.report',
          '--endpoint',
          url,
        ],
        { env },
      )
      expect(sub.code).toBe(0)

      // A tampered delivery is refused by the receiver (401) and never forwarded.
      const log0 = (await admin('/events/deliveries')).json().deliveries as {
        body: string
        signature: string
      }[]
      const tampered = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(
          url,
          {
            method: 'POST',
            ca: certPem,
            headers: { 'concur-signature': log0[0]!.signature, 'content-type': 'application/json' },
          },
          (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          },
        )
        req.on('error', reject)
        req.end(log0[0]!.body.replace('A_PEND', 'A_APPR'))
      })
      expect(tampered).toBe(401)

      // Four changes while the downstream is down: a v3.0 update, a v3.0 create, a v4 submit, a v4 send back.
      const c = mock.companies[0]!
      const put = await call(
        'PUT',
        `${base}/api/v3.0/expense/reports/${reportId}`,
        { Name: 'renamed' },
        { authorization: `Bearer ${userToken}` },
      )
      expect(put.status).toBe(200)
      const created = await call(
        'POST',
        `${base}/api/v3.0/expense/reports`,
        { Name: 'second' },
        { authorization: `Bearer ${userToken}` },
      )
      const second = created.json().ID as string
      await admin('/events/flush', {})
      await workflowV4('submit', userToken, second)
      const approver = await token({
        grant_type: 'password',
        username: c.users[1]!.loginId,
        password: c.users[1]!.password,
      })
      await workflowV4('sendBack', approver, second, 'receipts missing')
      await admin('/events/flush', {})
      // Ten minutes of mock time, a minute at a time: every attempt meets the outage.
      for (let i = 0; i < 10; i++) await advance(60)
      expect(accepted).toEqual([])
      const retries = (
        (await admin('/events/deliveries')).json().deliveries as {
          subscriptionId: string
          outcome: string
          status: number
        }[]
      ).filter((d) => d.subscriptionId === 'e2e-forward')
      expect(retries.length).toBeGreaterThanOrEqual(4)
      expect(retries.every((d) => d.outcome === 'retry' && d.status === 503)).toBe(true)
      expect(refusedByDownstream).toBe(retries.length)

      down = false
      await advance(15 * 60)
      await until(() => accepted.length >= 4, 'the four events after recovery')
      await admin('/events/flush', {})
      expect(
        accepted.map((a) => [a.objectId, a.record.eventType, a.record.facts.currentApprovalStatus ?? null]),
      ).toEqual([
        [reportId, 'reportUpdated', null],
        [second, 'reportCreated', null],
        [second, 'statusChanged', 'A_PEND'],
        [second, 'statusChanged', 'A_RESU'],
      ])
      expect(new Set(accepted.map((a) => a.id)).size).toBe(4)

      // Down for good: after 72 hours of mock time the event is dropped, and the journal says so.
      down = true
      const again = await call(
        'PUT',
        `${base}/api/v3.0/expense/reports/${second}`,
        { Name: 'lost' },
        { authorization: `Bearer ${userToken}` },
      )
      expect(again.status).toBe(200)
      await admin('/events/flush', {})
      await advance(71 * 3600)
      await advance(3600)
      const journal = (await admin('/journal')).json() as
        | { entries?: { note?: string }[] }
        | { note?: string }[]
      const entries = Array.isArray(journal) ? journal : (journal.entries ?? [])
      const dropped = entries.filter((e) => e.note?.includes('e2e-forward') && e.note.includes('dropped'))
      expect(dropped).toHaveLength(1)
      expect(dropped[0]!.note).toMatch(/reportUpdated .*not delivered within 72 h of publication/)
      expect(accepted).toHaveLength(4)
      listener.child.kill('SIGTERM')
    } finally {
      await new Promise((r) => downstream.close(r))
    }
  }, 60_000)

  it('refuses bad input with one readable line and a usage, auth or target exit code', async () => {
    const one = (r: { stderr: string }) => r.stderr.trim().split('\n')
    const junk = join(dir, 'junk.pem')
    writeFileSync(junk, 'not a key\n')
    const cases: [string[], Record<string, string | undefined>, number, RegExp][] = [
      [['events', 'listen', '--port', '0'], env, 2, /--public-key is required/],
      [['events', 'listen', '--port', '0', '--public-key', join(dir, 'missing.pem')], env, 2, /cannot read/],
      [['events', 'listen', '--port', '0', '--public-key', junk], env, 2, /PUBLIC KEY/],
      [
        ['events', 'listen', '--port', '0', '--public-key', files.pub, '--tls-cert', files.cert],
        env,
        2,
        /go together/,
      ],
      [
        ['events', 'subscribe', '--id', 'Bad_Id', '--topic', 't', '--endpoint', 'https://x.example'],
        env,
        2,
        /--id/,
      ],
      [
        ['events', 'subscribe', '--id', 'ok', '--topic', 't', '--endpoint', 'not a url'],
        env,
        2,
        /--endpoint/,
      ],
      [['events', 'topics'], { ...env, CONCUR_CLIENT_ID: undefined }, 2, /CONCUR_CLIENT_ID/],
      [['events', 'topics'], { ...env, CONCUR_CLIENT_SECRET: 'wrong-secret-value' }, 3, /./],
      [['events', 'unsubscribe', 'no-such-subscription'], env, 4, /404/],
    ]
    for (const [args, e, code, message] of cases) {
      const r = await runCli(args, { env: e })
      expect({ args, code: r.code }).toEqual({ args, code })
      expect(one(r)).toHaveLength(1)
      expect(r.stderr).toMatch(message)
      expect(r.stderr).not.toContain(mock.companies[0]!.clientSecret)
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/)
    }
  }, 60_000)
})
