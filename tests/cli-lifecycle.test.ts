import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminGrant, CLI, credentialsEnv, runCli, spawn } from './cli-helpers.ts'

// Deprecation as Concur signals it, seen through the built CLI.
const mock = createMockConcur({ seed: 11, size: 20, companies: 1, datacenters: ['us'] })
let running: RunningMock
let dir: string
let env: Record<string, string>

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
  dir = await mkdtemp(join(tmpdir(), 'concurkit-lifecycle-'))
  const c = mock.state.companies[0]!
  env = {
    ...credentialsEnv(c),
    CONCUR_BASE_URL: running.datacenters.us!,
    CONCURKIT_CONFIG_DIR: join(dir, 'config'),
  }
})
afterAll(async () => {
  await running.close()
  await rm(dir, { recursive: true, force: true })
})

describe('lifecycle in the CLI (built CLI, child process)', () => {
  it('`resources` shows each retired resource with its status and replacement', async () => {
    const text = await runCli(['resources'])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('deprecated since 2021-04-16 → List Item v4 (/list/v4/items)')
    expect(text.stdout).toContain('decommissioned 2025-01-21 → Identity v4.1 (/profile/identity/v4.1/Users)')
    const json = await runCli(['resources', '--json'])
    const rows = JSON.parse(json.stdout) as { name: string; lifecycle: { status: string } }[]
    const status = Object.fromEntries(rows.map((r) => [r.name, r.lifecycle.status]))
    expect(status.locations).toBe('deprecated')
    expect(status['user-information']).toBe('decommissioned')
    expect(status['expense-reports']).toBe('active')
  })

  it('`extract` of a deprecated resource warns once on stderr, naming the replacement; an active one does not', async () => {
    const out = join(dir, 'locations.ndjson')
    const res = await runCli(['extract', 'locations', '--out', out], { env })
    expect(res.code, res.stderr).toBe(0)
    const warnings = res.stderr.split('\n').filter((l) => l.startsWith('warning:'))
    expect(warnings).toEqual([
      'warning: locations (/api/v3.0/common/locations) is deprecated by Concur since 2025-10-10; use Localities v5 (/localities/v5/locations)',
    ])
    expect((await readFile(out, 'utf8')).trim().split('\n').length).toBeGreaterThan(0)
    const active = await runCli(
      ['extract', 'expense-reports', '--user', 'ALL', '--out', join(dir, 'r.ndjson')],
      {
        env,
      },
    )
    expect(active.code, active.stderr).toBe(0)
    expect(active.stderr).not.toContain('warning:')
  })

  it('`mock --lifecycle strict` answers a decommissioned endpoint 410 with its signals; a bad mode is a usage error', async () => {
    const child = spawn(process.execPath, [CLI, 'mock', '--port', '0', '--json', '--lifecycle', 'strict'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
      const d = JSON.parse(line) as {
        datacenters: Record<string, string>
        companies: {
          clientId: string
          clientSecret: string
          users: { loginId: string; password: string }[]
        }[]
      }
      const c = d.companies[0]!
      const base = Object.values(d.datacenters)[0]!
      const { access_token, geolocation } = await adminGrant(fetch, base, c, c.users[0]!)
      const users = await fetch(`${geolocation}/api/v3.0/common/users`, {
        headers: { authorization: `Bearer ${access_token}`, accept: 'application/json' },
      })
      expect(users.status).toBe(410)
      expect(users.headers.get('sunset')).toBe('Tue, 21 Jan 2025 00:00:00 GMT')
      const reports = await fetch(`${geolocation}/api/v3.0/expense/reports`, {
        headers: { authorization: `Bearer ${access_token}` },
      })
      expect(reports.status).toBe(200)
    } finally {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
    const bad = await runCli(['mock', '--lifecycle', 'lax'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/lifecycle/)
  })
})
