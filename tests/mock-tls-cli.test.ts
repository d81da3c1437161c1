/**
 * `concurkit mock --tls` as a user runs it (the BUILT CLI as a child process): the CA file in the
 * `--json` line and the human output, clients that trust it by the usual means (curl --cacert,
 * NODE_EXTRA_CA_CERTS for `concurkit conformance --target`, Python's REQUESTS_CA_BUNDLE), and the
 * TLS options' errors.
 */
import { execFile, execFileSync, spawn } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, runCli } from './cli-helpers.ts'
import { type MockProcess, startMockCli } from './mock-tls-helpers.ts'

function has(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
const HAS_CURL = has('curl', ['--version'])
const HAS_REQUESTS = has('python3', ['-c', 'import requests'])

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr })
    })
  })
}

describe('concurkit mock --tls --json', () => {
  let mock: MockProcess
  beforeAll(async () => {
    mock = await startMockCli(['--tls', '--datacenters', 'us,eu2', '--size', '10'])
  })
  afterAll(async () => {
    await mock?.stop()
  })

  it('prints https datacenters and the CA file; SIGTERM removes the generated directory', async () => {
    const { json } = mock
    expect(json.datacenters.us).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(json.datacenters.eu2).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(json.admin).toBe(json.datacenters.us)
    expect(json.companies.every((c) => c.geolocation.startsWith('https://'))).toBe(true)
    expect(json.companies.every((c) => typeof c.requestToken === 'string' && c.requestToken.length > 0)).toBe(
      true,
    )
    expect(readFileSync(json.tls!.ca, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/)
    expect(statSync(dirname(json.tls!.ca)).mode & 0o777).toBe(0o700)
    expect(mock.stderr()).toBe('')
    const other = await startMockCli(['--tls'])
    const dir = dirname(other.json.tls!.ca)
    expect(existsSync(dir)).toBe(true)
    expect(await other.stop()).toBe(0)
    expect(existsSync(dir)).toBe(false)
  })

  it.skipIf(!HAS_CURL)(
    'curl --cacert gets a token and a page; curl without it refuses (exit 60)',
    async () => {
      const c = mock.json.companies[0]!
      const token = await run('curl', [
        '-sS',
        '--cacert',
        mock.json.tls!.ca,
        `${c.geolocation}/oauth2/v0/token`,
        '-d',
        'grant_type=password',
        '-d',
        `client_id=${c.clientId}`,
        '-d',
        `client_secret=${c.clientSecret}`,
        '-d',
        'credtype=authtoken',
        '-d',
        `username=${c.id}`,
        '-d',
        `password=${c.requestToken}`,
      ])
      expect(token.code).toBe(0)
      const body = JSON.parse(token.stdout) as { access_token: string; geolocation: string }
      expect(body.geolocation).toBe(c.geolocation)
      const page = await run('curl', [
        '-sS',
        '--cacert',
        mock.json.tls!.ca,
        '-H',
        `Authorization: Bearer ${body.access_token}`,
        '-H',
        'Accept: application/json',
        `${c.geolocation}/api/v3.0/expense/reports?user=ALL&limit=3`,
      ])
      expect(page.code).toBe(0)
      expect((JSON.parse(page.stdout) as { NextPage: string }).NextPage.startsWith(`${c.geolocation}/`)).toBe(
        true,
      )
      const refused = await run('curl', ['-sS', `${c.geolocation}/oauth2/v0/jwks`], { CURL_CA_BUNDLE: '' })
      expect(refused.code).toBe(60)
    },
  )

  it.skipIf(!HAS_REQUESTS)('Python requests trusts it through REQUESTS_CA_BUNDLE', async () => {
    const script =
      'import requests,sys; r = requests.get(sys.argv[1]); print(r.status_code, len(r.json()["keys"]))'
    const res = await run('python3', ['-c', script, `${mock.json.admin}/oauth2/v0/jwks`], {
      REQUESTS_CA_BUNDLE: mock.json.tls!.ca,
    })
    expect(res.stdout.trim()).toBe('200 1')
  })

  it('concurkit conformance --target passes against it with NODE_EXTRA_CA_CERTS, and fails readably without', async () => {
    const c = mock.json.companies[0]!
    const admin = c.users.find((u) => u.roles.includes('WebServicesAdmin'))!
    const env = {
      CONCUR_CLIENT_ID: c.clientId,
      CONCUR_CLIENT_SECRET: c.clientSecret,
      CONCUR_USERNAME: admin.loginId,
      CONCUR_PASSWORD: admin.password,
    }
    const args = ['conformance', '--target', c.geolocation]
    const trusted = await runCli(args, {
      env: { ...env, NODE_EXTRA_CA_CERTS: mock.json.tls!.ca },
      timeoutMs: 60_000,
    })
    expect(trusted.stdout).toMatch(/\b[1-9]\d* passed, 0 failed\b/)
    expect(trusted.code).toBe(0)
    const untrusted = await runCli([...args, '--only', 'oauth.password.grant'], {
      env: { ...env, NODE_EXTRA_CA_CERTS: undefined },
    })
    expect(untrusted.code).not.toBe(0)
    expect(`${untrusted.stdout}${untrusted.stderr}`).toMatch(/certificate is not trusted/)
  })
})

describe('concurkit mock TLS options', () => {
  let work: string
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'concurkit-tls-cli-'))
  })
  afterAll(() => {
    rmSync(work, { recursive: true, force: true })
  })

  it('--tls-dir writes ca.pem there, keeps it after stopping, and the human output names it', async () => {
    const dir = join(work, 'certs')
    const child = spawn(process.execPath, [CLI, 'mock', '--port', '0', '--tls-dir', dir], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.setEncoding('utf8')
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no output: ${out}`)), 20_000)
      child.stdout.on('data', (d: string) => {
        out += d
        if (out.includes('Ctrl+C stops')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(out).toMatch(/^datacenter us {8}https:\/\/127\.0\.0\.1:\d+$/m)
    expect(out).toContain(`CA certificate       ${join(dir, 'ca.pem')}`)
    expect(out).not.toMatch(/PRIVATE KEY/)
    expect(readFileSync(join(dir, 'ca.pem'), 'utf8')).toContain('BEGIN CERTIFICATE')
  })

  it('refuses bad TLS options with exit code 2 and one line', async () => {
    const caDir = join(work, 'ca-source')
    const source = await startMockCli(['--tls-dir', caDir])
    await source.stop()
    const cert = join(caDir, 'ca.pem')
    const key = join(work, 'other.key')
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    writeFileSync(key, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 })
    const cases: [string[], RegExp][] = [
      [['--tls-ca-cert', cert], /--tls-ca-cert and --tls-ca-key go together/],
      [['--tls-ca-key', key], /--tls-ca-cert and --tls-ca-key go together/],
      [
        ['--tls-ca-cert', join(work, 'missing.pem'), '--tls-ca-key', key],
        /--tls-ca-cert: cannot read .*missing\.pem \(ENOENT\)/,
      ],
      [
        ['--tls-ca-cert', cert, '--tls-ca-key', key],
        /--tls: the CA key does not belong to the CA certificate/,
      ],
      [
        ['--tls-ca-cert', key, '--tls-ca-key', key],
        /--tls: the CA certificate is not a PEM X\.509 certificate/,
      ],
    ]
    for (const [args, message] of cases) {
      const res = await runCli(['mock', '--port', '0', ...args])
      expect(res.code, args.join(' ')).toBe(2)
      expect(res.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(res.stderr).toMatch(message)
      expect(res.stderr).not.toMatch(/PRIVATE KEY|\n\s+at /)
    }
  })
})
