import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEncoder } from '@concurkit/client/internal'
import { digestRecords, getResource } from '@concurkit/contract'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, credentialsEnv, runCli } from './cli-helpers.ts'

// 500 reports at the client's page size (100) = 5 pages: enough to interrupt between pages
const mock = createMockConcur({ seed: 7, size: 500, companies: 1, datacenters: ['us'] })
const RESOURCE = 'expense-reports'
let running: RunningMock
let dir: string
let env: Record<string, string | undefined>

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
  dir = await mkdtemp(join(tmpdir(), 'concurkit-extract-'))
  const c = mock.state.companies[0]!
  env = {
    ...credentialsEnv(c),
    CONCUR_BASE_URL: running.datacenters.us,
    CONCURKIT_CONFIG_DIR: join(dir, 'config'),
  }
})
afterAll(async () => {
  await running.close()
  await rm(dir, { recursive: true, force: true })
})

async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${running.admin}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  expect(res.status, `${method} ${path}`).toBeLessThan(300)
  return res.json()
}

/** The mock's manifest entry for the resource, company-wide (`user=ALL`, as `--user ALL` reads). */
async function manifest(): Promise<{ count: number; sha256: string }> {
  const c = mock.state.companies[0]!
  const body = (await admin('GET', `/_mock/manifest?company=${c.id}&resource=${RESOURCE}&user=ALL`)) as {
    companies: { resources: Record<string, { count: number; sha256: string }> }[]
  }
  return body.companies[0]!.resources[RESOURCE]!
}

/** Count and manifest checksum of records (contract's `digestRecords`: canonical JSON without `URI`). */
const digest = (records: readonly Record<string, unknown>[]) => digestRecords(records)

const extractArgs = (out: string, ...more: string[]) => [
  'extract',
  RESOURCE,
  '--user',
  'ALL',
  '--out',
  out,
  ...more,
]

describe('concurkit extract (built CLI, child process) against the mock', () => {
  let ndjson: Record<string, unknown>[]

  it('NDJSON, JSON and CSV each equal the manifest (count and checksum)', async () => {
    const m = await manifest()
    expect(m.count).toBe(500)

    const nd = join(dir, 'reports.ndjson')
    const a = await runCli(extractArgs(nd, '--format', 'ndjson'), { env })
    expect(a.code, a.stderr).toBe(0)
    expect(a.stderr).toMatch(/^extracted 500 records \(5 pages\) of expense-reports in [\d.]+ s → /)
    ndjson = (await readFile(nd, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(digest(ndjson)).toEqual(m)

    const js = join(dir, 'reports.json')
    const b = await runCli(extractArgs(js, '--format', 'json'), { env })
    expect(b.code, b.stderr).toBe(0)
    expect(digest(JSON.parse(await readFile(js, 'utf8')) as Record<string, unknown>[])).toEqual(m)

    // CSV: the manifest's records (proven above) written as the documented CSV encoding
    const csv = join(dir, 'reports.csv')
    const c = await runCli(extractArgs(csv, '--format', 'csv'), { env })
    expect(c.code, c.stderr).toBe(0)
    const text = await readFile(csv, 'utf8')
    const encoder = createEncoder('csv', getResource(RESOURCE))
    expect(text).toBe(encoder.encode(ndjson, 0))
    const lines = text.trimEnd().split('\n')
    expect(lines[0]!.split(',')).toContain('ID')
    // one line per record (these records hold no line breaks), header first
    expect(lines.length - 1).toBe(m.count)
    for (const r of ndjson.slice(0, 20)) expect(text).toContain(String(r.ID))
    expect(await readdir(dir)).toEqual(
      expect.arrayContaining(['reports.ndjson', 'reports.json', 'reports.csv']),
    )
    expect((await readdir(dir)).filter((f) => f.includes('.part'))).toEqual([])
  })

  it('SIGINT mid-extract leaves no output file; running again (--resume) completes it byte-identical', async () => {
    const out = join(dir, 'interrupted.ndjson')
    const fault = (await admin('POST', '/_mock/faults', {
      method: 'GET',
      path: '/api/v3.0/expense/reports',
      delayMs: 400,
    })) as { id: string }
    const child = spawn(process.execPath, [CLI, ...extractArgs(out)], {
      env: { ...process.env, NO_COLOR: '1', ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    let stdout = ''
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    // interrupt once the first page is checkpointed (and before the last one)
    const checkpoint = `${out}.part.checkpoint.json`
    const deadline = Date.now() + 20_000
    while (!(await stat(checkpoint).catch(() => undefined))) {
      expect(Date.now(), 'no checkpoint appeared').toBeLessThan(deadline)
      await new Promise((r) => setTimeout(r, 25))
    }
    const pagesBefore = (JSON.parse(await readFile(checkpoint, 'utf8')) as { pages?: number }).pages
    expect(pagesBefore).toBeLessThan(5)
    child.kill('SIGINT')
    const code = await exited
    await admin('DELETE', `/_mock/faults/${fault.id}`)

    expect(code).toBe(4)
    expect(stdout).toBe('')
    expect(stderr.trim().split('\n')).toEqual([
      'error: interrupted: no output written; run the same command again to resume',
    ])
    expect(await stat(out).catch(() => undefined)).toBeUndefined()
    const left = await readdir(dir)
    expect(left).not.toContain('interrupted.ndjson')
    expect(left).toContain('interrupted.ndjson.part')

    const resumed = await runCli(extractArgs(out, '--resume'), { env })
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stderr).toMatch(/extracted 500 records .*\(resumed\)/)
    expect(await readFile(out, 'utf8')).toBe(await readFile(join(dir, 'reports.ndjson'), 'utf8'))
    expect((await readdir(dir)).filter((f) => f.startsWith('interrupted.ndjson.'))).toEqual([])
  })

  it('an unknown resource, a bad date and an unwritable --out: one line, documented exit code, no file', async () => {
    const scratch = await mkdtemp(join(dir, 'errors-'))
    const out = join(scratch, 'out.ndjson')

    const unknown = await runCli(['extract', 'expense-reportz', '--out', out], { env })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim().split('\n')).toEqual([
      'error: unknown resource "expense-reportz" (see `concurkit resources`)',
    ])

    const badDate = await runCli(extractArgs(out, '--from', '2024-13-45'), { env })
    expect(badDate.code).toBe(2)
    expect(badDate.stderr.trim().split('\n')).toHaveLength(1)
    expect(badDate.stderr).toMatch(/^error: .*2024-13-45/)

    const notADir = join(scratch, 'a-file')
    await writeFile(notADir, 'x')
    for (const target of [join(scratch, 'missing', 'out.ndjson'), join(notADir, 'out.ndjson'), scratch]) {
      const res = await runCli(extractArgs(target), { env })
      expect(res.code, target).toBe(2)
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
      expect(res.stderr).toMatch(/^error: --out /)
    }
    expect(await readdir(scratch)).toEqual(['a-file'])
    for (const r of [unknown, badDate]) {
      expect(r.stdout).toBe('')
      expect(r.stderr).not.toContain(String(env.CONCUR_PASSWORD))
      expect(r.stderr).not.toContain('    at ')
    }
  })
})
