import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { digestRecords, ExpenseV4Report } from '@concurkit/contract'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, runCli } from './cli-helpers.ts'

/**
 * `concurkit extract expense-v4-reports` on the built CLI: Expense v4 cannot list reports, so the
 * row fans out from the v3.0 list and reads each report through the v4 short URL with a company
 * token (a profile stored by `concurkit auth login --company-id`). Count and checksum equal the
 * mock's manifest; an interrupted run resumes to the same bytes; a user token is refused.
 */

// 250 reports = 3 parent pages of 100: enough to interrupt between pages
const mock = createMockConcur({ seed: 2207, size: 250, companies: 1, datacenters: ['us'] })
const RESOURCE = 'expense-v4-reports'
let running: RunningMock
let dir: string
let env: Record<string, string | undefined>

async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${running.admin}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  expect(res.status, `${method} ${path}`).toBeLessThan(300)
  return res.json()
}

beforeAll(async () => {
  running = await mock.listen({ host: '127.0.0.1', port: 0 })
  dir = await mkdtemp(join(tmpdir(), 'concurkit-expense-v4-'))
  const c = mock.state.companies[0]!
  const { requestToken } = (await admin('POST', `/_mock/companies/${c.id}/request-token`, {})) as {
    requestToken: string
  }
  env = {
    CONCUR_CLIENT_SECRET: c.apps[0]!.clientSecret,
    CONCUR_BASE_URL: running.datacenters.us,
    CONCURKIT_CONFIG_DIR: join(dir, 'config'),
  }
  const login = await runCli(['auth', 'login', '--client-id', c.apps[0]!.clientId, '--company-id', c.id], {
    env: { ...env, CONCUR_REQUEST_TOKEN: requestToken },
  })
  expect(login.code, login.stderr).toBe(0)
}, 30_000)

afterAll(async () => {
  await running.close()
  await rm(dir, { recursive: true, force: true })
})

async function manifest(): Promise<{ count: number; sha256: string }> {
  const c = mock.state.companies[0]!
  const body = (await admin('GET', `/_mock/manifest?company=${c.id}&resource=${RESOURCE}`)) as {
    companies: { resources: Record<string, { count: number; sha256: string }> }[]
  }
  return body.companies[0]!.resources[RESOURCE]!
}

const lines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)

describe('concurkit extract expense-v4-reports (built CLI) against the mock', () => {
  it('reads every report exactly once: count and checksum equal the manifest', async () => {
    const m = await manifest()
    expect(m.count).toBe(250)
    const out = join(dir, 'v4.ndjson')
    const res = await runCli(['extract', RESOURCE, '--out', out], { env })
    expect(res.code, res.stderr).toBe(0)
    expect(res.stderr).toMatch(/^extracted 250 records .* of expense-v4-reports in [\d.]+ s → /)
    const records = await lines(out)
    expect(new Set(records.map((r) => r.reportId)).size).toBe(250)
    for (const r of records.slice(0, 10)) expect(ExpenseV4Report.safeParse(r).success).toBe(true)
    expect(digestRecords(records)).toEqual(m)
  }, 60_000)

  it('an interrupted extract resumes to the same bytes', async () => {
    const out = join(dir, 'interrupted.ndjson')
    // Every parent page waits 1.5 s: the report reads of a page run ahead of the next parent page,
    // so the extract is still waiting for a parent page when the first checkpoint appears, however
    // late this test (on a busy machine) sees it.
    const fault = (await admin('POST', '/_mock/faults', {
      method: 'GET',
      path: '/api/v3.0/expense/reports',
      delayMs: 1500,
    })) as { id: string }
    const child = spawn(process.execPath, [CLI, 'extract', RESOURCE, '--out', out], {
      env: { ...process.env, NO_COLOR: '1', ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const checkpoint = `${out}.part.checkpoint.json`
    const deadline = Date.now() + 30_000
    while (!(await stat(checkpoint).catch(() => undefined))) {
      expect(Date.now(), `no checkpoint appeared: ${stderr}`).toBeLessThan(deadline)
      await new Promise((r) => setTimeout(r, 25))
    }
    child.kill('SIGINT')
    const code = await exited
    await admin('DELETE', `/_mock/faults/${fault.id}`)
    expect(code).toBe(4)
    expect(await stat(out).catch(() => undefined)).toBeUndefined()

    const resumed = await runCli(['extract', RESOURCE, '--out', out, '--resume'], { env })
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stderr).toMatch(/extracted 250 records .*\(resumed\)/)
    expect(await readFile(out, 'utf8')).toBe(await readFile(join(dir, 'v4.ndjson'), 'utf8'))
    expect((await readdir(dir)).filter((f) => f.startsWith('interrupted.ndjson.'))).toEqual([])
  }, 60_000)

  it('refuses a user token with one readable line and no file', async () => {
    const c = mock.state.companies[0]!
    const out = join(dir, 'user.ndjson')
    const res = await runCli(['extract', RESOURCE, '--out', out], {
      env: {
        ...env,
        CONCUR_CLIENT_ID: c.apps[0]!.clientId,
        CONCUR_USERNAME: c.users[0]!.loginId,
        CONCUR_PASSWORD: c.users[0]!.password,
      },
    })
    expect(res.code).not.toBe(0)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toMatch(/company/i)
    expect(await stat(out).catch(() => undefined)).toBeUndefined()
  }, 30_000)
})
