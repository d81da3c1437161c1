import type { ChildProcess } from 'node:child_process'
import { createConnector } from '@concurkit/callout-kit'
import { type RunningConnector, serveConnector } from '@concurkit/callout-kit/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, runCli, spawn } from './cli-helpers.ts'

/** The defaults a user meets first, run as a user runs them (the built CLI, child processes). */

interface MockInfo {
  datacenters: Record<string, string>
  admin: string
  companies: {
    id: string
    datacenter: string
    clientId: string
    users: { loginId: string; password: string; roles: string[] }[]
  }[]
}

/** Starts `concurkit mock --port 0 --json <extra>` and reads its one JSON line. */
async function startMock(extra: string[]): Promise<{ child: ChildProcess; info: MockInfo }> {
  const child = spawn(process.execPath, [CLI, 'mock', '--port', '0', '--json', '--size', '2', ...extra], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const info = await new Promise<MockInfo>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`mock did not start: ${out}`)), 20_000)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) {
        clearTimeout(timer)
        resolve(JSON.parse(out.split('\n')[0]!) as MockInfo)
      }
    })
    child.once('exit', (code) => reject(new Error(`mock exited ${code}: ${out}`)))
  })
  return { child, info }
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  child.kill('SIGTERM')
  return exited
}

/** An authorization request as a client sends it, with the parameters the consent form must keep. */
function authorizeUrl(info: MockInfo) {
  const c = info.companies[0]!
  const user = c.users[1]!
  const q = new URLSearchParams({
    client_id: c.clientId,
    redirect_uri: 'http://127.0.0.1:9/callback',
    response_type: 'code',
    scope: 'openid EXPRPT',
    state: 'state-1',
    login_hint: user.loginId,
    nonce: 'nonce-1',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  })
  return { url: `${info.datacenters[c.datacenter]}/oauth2/v0/authorize?${q}`, user, q }
}

const hiddenFields = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]),
  )

describe('concurkit mock: the consent page only with --consent', () => {
  it('without --consent the authorize request is approved at once (302 with a code)', async () => {
    const { child, info } = await startMock([])
    try {
      const { url, user } = authorizeUrl(info)
      const res = await fetch(url, { redirect: 'manual' })
      expect(res.status).toBe(302)
      const location = new URL(res.headers.get('location')!)
      expect(location.searchParams.get('code')).toBeTruthy()
      expect(location.searchParams.get('state')).toBe('state-1')
      expect(user.loginId).toBeTruthy()
    } finally {
      expect(await stop(child)).toBe(0)
    }
  })

  it('with --consent the form keeps login_hint, nonce, code_challenge and the rest, also after a wrong password', async () => {
    const { child, info } = await startMock(['--consent'])
    try {
      const { url, user, q } = authorizeUrl(info)
      const page = await fetch(url, { redirect: 'manual' })
      expect(page.status).toBe(200)
      const html = await page.text()
      const fields = hiddenFields(html)
      // Every parameter of the request, the scope narrowed to what the app may grant (same set here).
      const sent = Object.fromEntries(q)
      expect({ ...fields, scope: '' }).toEqual({ ...sent, scope: '' })
      expect(fields.scope!.split(' ').sort()).toEqual(sent.scope!.split(' ').sort())
      // The login id field is filled in from login_hint.
      expect(html).toContain(`name="username" autocomplete="username" value="${user.loginId}"`)

      const post = (extra: Record<string, string>) =>
        fetch(`${info.datacenters[info.companies[0]!.datacenter]}/oauth2/v0/authorize`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...fields, username: user.loginId, decision: 'allow', ...extra }),
        })
      const wrong = await post({ password: 'not-it' })
      expect(wrong.status).toBe(401)
      const again = await wrong.text()
      expect(hiddenFields(again)).toEqual(fields)
      expect(again).not.toContain('not-it')

      const ok = await post({ password: user.password })
      expect(ok.status).toBe(302)
      const location = new URL(ok.headers.get('location')!)
      expect(location.origin + location.pathname).toBe('http://127.0.0.1:9/callback')
      expect(location.searchParams.get('state')).toBe('state-1')
      expect(location.searchParams.get('code')).toBeTruthy()
    } finally {
      expect(await stop(child)).toBe(0)
    }
  })
})

describe('concurkit callout test against a connector that checks Basic auth before routing', () => {
  const credentials = { user: 'concur-connector', password: 'connector-secret-77' }
  let server: RunningConnector

  beforeAll(async () => {
    const connector = createConnector({
      credentials,
      handlers: {
        fetchList: (req) => [
          {
            code: req.longCode ? `${req.longCode}-SF` : 'SF',
            shortCode: 'SF',
            text: 'San Francisco',
            matchValue: 'San Francisco',
          },
        ],
        fetchAttendee: () => [{ ExternalID: 'A-1', FirstName: 'Chris', LastName: 'Miller' }],
        notify: () => {},
      },
    })
    const expected = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`
    // The common way to write one: every request must carry the connector's Basic credentials, so
    // Launch External URL (signed, without Basic auth) is answered 401, never routed.
    server = await serveConnector({
      insecureHttp: true,
      port: 0,
      app: {
        fetch: (request) =>
          request.headers.get('authorization') === expected
            ? connector.fetch(request)
            : new Response('Unauthorized', { status: 401, headers: { 'www-authenticate': 'Basic' } }),
      },
    })
  })
  afterAll(() => server?.close())

  const test = (require: string) =>
    runCli(
      [
        'callout',
        'test',
        '--url',
        server.url,
        '--user',
        credentials.user,
        '--require',
        require,
        '--reporter',
        'json',
      ],
      { env: { CONCURKIT_CONNECTOR_PASSWORD: credentials.password } },
    )

  it('--require fetchList,fetchAttendee,notify passes; the launch callouts are reported "not served"', async () => {
    const r = await test('fetchList,fetchAttendee,notify')
    expect(r.code, r.stdout).toBe(0)
    const report = JSON.parse(r.stdout) as {
      summary: { failed: number; passed: number }
      checks: { id: string; status: string; reason: string }[]
    }
    expect(report.summary.failed).toBe(0)
    const launch = report.checks.filter((c) => c.id.startsWith('launch-url'))
    expect(launch.map((c) => [c.id, c.status, c.reason])).toEqual([
      ['launch-url-v4', 'skip', expect.stringMatching(/^not served at \/\S+ \(HTTP 401\)$/)],
    ])
    for (const id of ['fetch-list-single', 'fetch-list-multi', 'fetch-attendee-v2', 'notify'])
      expect(report.checks.find((c) => c.id === id)?.status, id).toBe('pass')
    expect(r.stdout).not.toContain(credentials.password)
  })

  it('a required callout answering 401 fails (exit 1)', async () => {
    const r = await test('fetchList,launchExternalUrl')
    expect(r.code, r.stderr).toBe(1)
    const report = JSON.parse(r.stdout) as { checks: { id: string; status: string }[] }
    expect(report.checks.find((c) => c.id === 'launch-url-v4')?.status).toBe('fail')
    // Launch External URL v1 is decommissioned: `callout test` no longer plays it.
    expect(report.checks.some((c) => c.id.startsWith('launch-url-v1'))).toBe(false)
  })
})
