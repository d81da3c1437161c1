import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createExportService } from './export-service.js'

const mock = createMockConcur({ seed: 21, size: 30 })
let running: RunningMock
let dir: string

beforeAll(async () => {
  running = await mock.listen()
  dir = mkdtempSync(join(tmpdir(), 'export-service-'))
})
afterAll(async () => {
  await running.close()
  rmSync(dir, { recursive: true, force: true })
})

function service() {
  const company = mock.state.companies[0]!
  const admin = company.users[0]!
  return createExportService({
    clientId: company.apps[0]!.clientId,
    clientSecret: company.apps[0]!.clientSecret,
    baseUrl: running.datacenters[company.datacenter]!,
    tokenFile: join(dir, 'tokens.json'),
    login: { username: admin.loginId, password: admin.password },
  })
}

it('exports company card transactions to CSV, one row per record', async () => {
  const svc = service()
  try {
    const out = join(dir, 'card-charges.csv')
    const result = await svc.exportCsv('company-card-transactions', out)
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[]
    expect(result.records).toBeGreaterThan(0)
    expect(rows).toHaveLength(result.records)
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['TransactionAmount']))
    // The tokens live in a private file; the CSV holds no credentials.
    expect(statSync(join(dir, 'tokens.json')).mode & 0o077).toBe(0)
    expect(readFileSync(out, 'utf8')).not.toContain(mock.state.companies[0]!.users[0]!.password)
  } finally {
    await svc.close()
  }
})

it('signs in once: a second service instance reuses the stored tokens', async () => {
  const svc = service()
  try {
    const grants = () => mock.state.journal.list().filter((e) => e.path === '/oauth2/v0/token').length
    const before = grants()
    const result = await svc.exportCsv('expense-delegators', join(dir, 'delegators.csv'))
    expect(result.records).toBeGreaterThanOrEqual(0)
    expect(grants()).toBe(before)
  } finally {
    await svc.close()
  }
})
