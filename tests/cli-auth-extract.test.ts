import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { credentialsEnv, runCli } from './cli-helpers.ts'

const mock = createMockConcur({ seed: 42, companies: 1, datacenters: ['us'] })
let running: RunningMock
let dir: string

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
  dir = await mkdtemp(join(tmpdir(), 'concurkit-auth-'))
})
afterAll(async () => {
  await running.close()
  await rm(dir, { recursive: true, force: true })
})

describe('auth login → extract → auth logout (built CLI against the mock)', () => {
  it('passes secrets by stdin/env only and never prints them', async () => {
    const c = mock.state.companies[0]!
    const app = c.apps[0]!
    const user = c.users[0]!
    const base = running.datacenters.us!
    const env = {
      CONCURKIT_CONFIG_DIR: dir,
      CONCUR_CLIENT_SECRET: app.clientSecret,
      CONCUR_CLIENT_ID: undefined,
      CONCUR_USERNAME: undefined,
      CONCUR_PASSWORD: undefined,
    }
    const outputs: string[] = []

    const login = await runCli(
      [
        'auth',
        'login',
        '--client-id',
        app.clientId,
        '--username',
        user.loginId,
        '--password-stdin',
        '--base-url',
        base,
      ],
      { env, input: `${user.password}\n` },
    )
    outputs.push(login.stdout, login.stderr)
    expect(login.code, login.stderr).toBe(0)
    expect((await stat(join(dir, 'profiles.json'))).mode & 0o777).toBe(0o600)

    const status = await runCli(['auth', 'status', '--json'], { env })
    outputs.push(status.stdout, status.stderr)
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout)).toMatchObject({ authenticated: true, clientId: app.clientId })

    const out = join(dir, 'cards.ndjson')
    const extract = await runCli(['extract', 'company-card-transactions', '--out', out], { env })
    outputs.push(extract.stdout, extract.stderr)
    expect(extract.code, extract.stderr).toBe(0)
    const lines = (await readFile(out, 'utf8')).trim().split('\n').filter(Boolean)
    expect(lines.length).toBeGreaterThan(0)
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow()

    const logout = await runCli(['auth', 'logout'], { env })
    outputs.push(logout.stdout, logout.stderr)
    expect(logout.code).toBe(0)
    const after = await runCli(['auth', 'status', '--json'], { env })
    expect(after.code).toBe(3)
    expect(JSON.parse(after.stdout)).toMatchObject({ authenticated: false })

    const again = await runCli(['extract', 'company-card-transactions', '--out', join(dir, 'x.ndjson')], {
      env,
    })
    outputs.push(again.stdout, again.stderr)
    expect(again.code).toBe(3)
    // One error line; card charges are deprecated, so `extract` names the replacement first.
    const errorLines = again.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('warning: '))
    expect(errorLines).toHaveLength(1)
    expect(errorLines[0]).toMatch(/^error: no profile "default"/)

    const all = outputs.join('\n')
    for (const secret of [user.password, app.clientSecret]) expect(all).not.toContain(secret)
    expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./)
  })

  it('extract with credentials in the environment needs no stored profile', async () => {
    const c = mock.state.companies[0]!
    const env = {
      CONCURKIT_CONFIG_DIR: join(dir, 'empty'),
      ...credentialsEnv(c),
      CONCUR_BASE_URL: running.datacenters.us!,
    }
    const res = await runCli(['extract', 'company-card-transactions', '--format', 'json', '--out', '-'], {
      env,
    })
    expect(res.code, res.stderr).toBe(0)
    expect(Array.isArray(JSON.parse(res.stdout))).toBe(true)
    expect(res.stdout + res.stderr).not.toContain(c.users[0]!.password)
  })

  it('an unknown resource is a usage error (exit 2)', async () => {
    const res = await runCli(['extract', 'no-such-thing', '--out', join(dir, 'y')], {
      env: { CONCURKIT_CONFIG_DIR: dir },
    })
    expect(res.code).toBe(2)
    expect(res.stderr).toContain('no-such-thing')
  })
})
