// `concurkit extract --to duckdb:<file>` and `--format parquet` (built CLI, child process): from a
// 10,000-report company, SQL over the DuckDB tables answers the manifest's figures (records per
// resource; each report's total is the sum of its entries' amounts) and an incremental run merges by
// id; a Parquet file written by DuckDB reads back with hyparquet (another implementation) as the same
// rows as the NDJSON extract (a 600-report company: every column of every row is compared).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tableColumns } from '@concurkit/client'
import { getResource, type ResourceName } from '@concurkit/contract'
import { createMockConcur, type MockConcur, type RunningMock } from '@concurkit/mock-concur'
import { DuckDBInstance } from '@duckdb/node-api'
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli-helpers.ts'

const mock = createMockConcur({ seed: 19, size: 10_000, companies: 1, datacenters: ['us'] })
// The Parquet read-back compares every column of every row: 600 reports (6 pages) are enough.
const small = createMockConcur({ seed: 23, size: 600, companies: 1, datacenters: ['us'] })
const RESOURCES: ResourceName[] = ['expense-reports', 'expense-entries', 'expense-itemizations']
let running: RunningMock
let runningSmall: RunningMock
let dir: string
let env: Record<string, string | undefined>
let smallEnv: Record<string, string | undefined>

function credentials(m: MockConcur, r: RunningMock, configDir: string): Record<string, string | undefined> {
  const c = m.state.companies[0]!
  const admin = c.users.find((u) => u.roles.includes('WebServicesAdmin'))!
  return {
    CONCUR_CLIENT_ID: c.apps[0]!.clientId,
    CONCUR_CLIENT_SECRET: c.apps[0]!.clientSecret,
    CONCUR_USERNAME: admin.loginId,
    CONCUR_PASSWORD: admin.password,
    CONCUR_BASE_URL: r.datacenters.us,
    CONCURKIT_CONFIG_DIR: configDir,
  }
}

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
  runningSmall = await small.listen({ port: 0 })
  dir = await mkdtemp(join(tmpdir(), 'concurkit-tables-'))
  env = credentials(mock, running, join(dir, 'config'))
  smallEnv = credentials(small, runningSmall, join(dir, 'config-small'))
})
afterAll(async () => {
  await running.close()
  await runningSmall.close()
  await rm(dir, { recursive: true, force: true })
})

async function adminApi(
  method: string,
  path: string,
  body?: unknown,
  base = running.admin,
): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  expect(res.status, `${method} ${path}`).toBeLessThan(300)
  return res.json()
}

/** The manifest's company-wide record count of a resource (`user=ALL`, as `--user ALL` reads). */
async function manifestCount(resource: ResourceName, m: MockConcur = mock): Promise<number> {
  const c = m.state.companies[0]!
  const base = m === mock ? running.admin : runningSmall.admin
  const body = (await adminApi(
    'GET',
    `/_mock/manifest?company=${c.id}&resource=${resource}&user=ALL`,
    undefined,
    base,
  )) as {
    companies: { resources: Record<string, { count: number }> }[]
  }
  return body.companies[0]!.resources[resource]!.count
}

async function sql(database: string, text: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' })
  const con = await instance.connect()
  try {
    return (await con.runAndReadAll(text)).getRowObjectsJS() as Record<string, unknown>[]
  } finally {
    con.closeSync()
    instance.closeSync()
  }
}

describe('concurkit extract to tables (built CLI)', () => {
  it('--to duckdb: one table per resource whose SQL answers the manifest of a 10,000-report company', async () => {
    const database = join(dir, 'concur.duckdb')
    const res = await runCli(['extract', ...RESOURCES, '--user', 'ALL', '--to', `duckdb:${database}`], {
      env,
      timeoutMs: 120_000,
    })
    expect(res.stderr).toMatch(/^extracted \d+ records .* → duckdb:/m)
    expect(res.code).toBe(0)
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['concur.duckdb']))
    expect((await readdir(dir)).filter((f) => f.includes('staging'))).toEqual([])

    for (const resource of RESOURCES) {
      const [row] = await sql(database, `SELECT count(*)::INTEGER AS n FROM ${resource.replaceAll('-', '_')}`)
      expect(row!.n, resource).toBe(await manifestCount(resource))
    }
    expect(await manifestCount('expense-reports')).toBe(10_000)

    // every report's total is the sum of its entries' amounts (in cents), and no entry is orphaned
    const [mismatch] = await sql(
      database,
      `SELECT count(*)::INTEGER AS n FROM expense_reports r
       LEFT JOIN (SELECT ReportID, sum(round(TransactionAmount * 100)) AS cents FROM expense_entries GROUP BY ReportID) e
         ON e.ReportID = r.ID
       WHERE coalesce(e.cents, 0) <> round(r.Total * 100)`,
    )
    expect(mismatch!.n).toBe(0)
    const [sums] = await sql(
      database,
      `SELECT (SELECT sum(round(Total * 100)) FROM expense_reports)::BIGINT AS reports,
              (SELECT sum(round(TransactionAmount * 100)) FROM expense_entries)::BIGINT AS entries,
              (SELECT count(*) FROM expense_entries e ANTI JOIN expense_reports r ON e.ReportID = r.ID)::INTEGER AS orphans`,
    )
    expect(sums!.reports).toBe(sums!.entries)
    expect(Number(sums!.reports)).toBeGreaterThan(0)
    expect(sums!.orphans).toBe(0)

    const relations = await sql(
      database,
      'SELECT from_table, from_column, to_table FROM concurkit_relations ORDER BY 1, 2',
    )
    expect(relations).toEqual([
      { from_table: 'expense_entries', from_column: 'ReportID', to_table: 'expense_reports' },
      { from_table: 'expense_itemizations', from_column: 'EntryID', to_table: 'expense_entries' },
      { from_table: 'expense_itemizations', from_column: 'ReportID', to_table: 'expense_reports' },
    ])
    const [types] = await sql(
      database,
      `SELECT max(CASE WHEN column_name = 'Total' THEN data_type END) AS total,
              max(CASE WHEN column_name = 'CreateDate' THEN data_type END) AS created
       FROM duckdb_columns() WHERE table_name = 'expense_reports'`,
    )
    expect(types).toEqual({ total: 'DOUBLE', created: 'TIMESTAMP' })
  }, 180_000)

  it('--incremental merges changed and new records by id', async () => {
    const database = join(dir, 'incremental.duckdb')
    const args = [
      'extract',
      'expense-reports',
      '--user',
      'ALL',
      '--incremental',
      '--to',
      `duckdb:${database}`,
    ]
    const first = await runCli(args, { env, timeoutMs: 120_000 })
    expect(first.code).toBe(0)
    const before = await sql(database, 'SELECT count(*)::INTEGER AS n FROM expense_reports')
    expect(before).toEqual([{ n: await manifestCount('expense-reports') }])

    await adminApi('POST', '/_mock/clock', { advanceSeconds: 120 })
    const [someId] = (
      await sql(database, 'SELECT ID FROM expense_reports ORDER BY ID LIMIT 1 OFFSET 17')
    ).map((r) => r.ID)
    await adminApi('POST', '/_mock/dataset/expense-reports', {
      action: 'update',
      id: someId,
      fields: { Name: 'Renamed between runs' },
    })
    const created = (await adminApi('POST', '/_mock/dataset/expense-reports', {
      action: 'create',
      fields: { Name: 'Created between runs' },
    })) as { ID: string }

    const second = await runCli(args, { env, timeoutMs: 120_000 })
    expect(second.code).toBe(0)
    const extracted = Number(/extracted (\d+) records/.exec(second.stderr)?.[1])
    expect(extracted).toBeGreaterThanOrEqual(2)
    expect(extracted).toBeLessThan(100) // only the changes, not the company
    const after = await sql(database, 'SELECT count(*)::INTEGER AS n FROM expense_reports')
    expect(after).toEqual([{ n: (before[0]!.n as number) + 1 }])
    expect(after[0]!.n).toBe(await manifestCount('expense-reports'))
    expect(
      await sql(
        database,
        `SELECT Name FROM expense_reports WHERE ID IN ('${someId}', '${created.ID}') ORDER BY Name`,
      ),
    ).toEqual([{ Name: 'Created between runs' }, { Name: 'Renamed between runs' }])
  }, 180_000)

  it('--format parquet: a file DuckDB writes reads back with hyparquet as the NDJSON rows', async () => {
    const parquet = join(dir, 'reports.parquet')
    const ndjson = join(dir, 'reports.ndjson')
    const a = await runCli(
      ['extract', 'expense-reports', '--user', 'ALL', '--format', 'parquet', '--out', parquet],
      {
        env: smallEnv,
        timeoutMs: 120_000,
      },
    )
    expect(a.code).toBe(0)
    const b = await runCli(['extract', 'expense-reports', '--user', 'ALL', '--out', ndjson], {
      env: smallEnv,
      timeoutMs: 120_000,
    })
    expect(b.code).toBe(0)

    const expected = (await readFile(ndjson, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(parquet) })) as Record<
      string,
      unknown
    >[]
    expect(rows).toHaveLength(expected.length)
    expect(rows.length).toBe(await manifestCount('expense-reports', small))
    expect(rows.length).toBe(600)

    const columns = tableColumns(getResource('expense-reports'))
    const normalise = (type: string, v: unknown): unknown => {
      if (v === null || v === undefined) return null
      if (type === 'TIMESTAMP')
        return v instanceof Date ? v.toISOString() : new Date(`${v as string}Z`).toISOString()
      if (type === 'JSON') return typeof v === 'string' ? JSON.parse(v) : v
      return v
    }
    const byId = new Map(rows.map((r) => [r.ID as string, r]))
    for (const record of expected) {
      const row = byId.get(record.ID as string)
      expect(row, record.ID as string).toBeDefined()
      for (const c of columns) {
        expect(normalise(c.type, row![c.name]), `${record.ID as string}.${c.name}`).toEqual(
          normalise(c.type, record[c.name]),
        )
      }
    }
  }, 180_000)
})

describe('concurkit extract to tables: bad targets', () => {
  it('are one-line usage errors (exit 2) before anything is extracted, leaving no file', async () => {
    const cases: [string[], string][] = [
      [['--to', 'sqlite:x.db'], '--to sqlite:x.db: expected duckdb:<file>'],
      [
        ['--to', `duckdb:${join(dir, 'a.duckdb')}`, '--out', join(dir, 'a.ndjson')],
        '--to duckdb:<file> and --out exclude each other',
      ],
      [
        ['--to', `duckdb:${join(dir, 'b.duckdb')}`, '--format', 'csv'],
        '--to duckdb:<file> writes tables: leave out --format',
      ],
      [['--format', 'parquet', '--out', '-'], '--format parquet writes files: --out <file> or <dir>'],
      [['--to', `duckdb:${join(dir, 'missing', 'c.duckdb')}`], 'does not exist'],
      [[], "required option '--out <file>' not specified"],
    ]
    const before = await readdir(dir)
    for (const [args, message] of cases) {
      const res = await runCli(['extract', 'expense-reports', ...args], { env })
      expect(res.code, args.join(' ')).toBe(2)
      expect(res.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(res.stderr).toContain(message)
    }
    expect(await readdir(dir)).toEqual(before)
  })

  it('a file that is not a DuckDB database is a one-line error (exit 4) and stays as it was', async () => {
    const notDb = join(dir, 'not-a-database.duckdb')
    await writeFile(notDb, 'plain text, not DuckDB\n')
    const res = await runCli(['extract', 'expense-attendee-types', '--to', `duckdb:${notDb}`], {
      env,
      timeoutMs: 60_000,
    })
    expect(res.code).toBe(4)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toMatch(/^error: duckdb:.*not-a-database\.duckdb: /)
    expect(await readFile(notDb, 'utf8')).toBe('plain text, not DuckDB\n')
  })
})
