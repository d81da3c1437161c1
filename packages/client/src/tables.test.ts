import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getResource } from '@concurkit/contract'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { tableColumns, tableName, writeDuckDb, writeParquet } from './tables.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'concurkit-tables-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function query(database: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(database)
  const con = await instance.connect()
  try {
    return (await con.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[]
  } finally {
    con.closeSync()
    instance.closeSync()
  }
}

const report = (id: string, total: number, name = `report ${id}`) => ({
  ID: id,
  URI: `https://example.test/${id}`,
  Name: name,
  Total: total,
  CreateDate: '2026-01-02T03:04:05.5',
  ReceiptsReceived: true,
  Custom1: { Type: 'Text', Value: 'x', Code: null, ListItemID: null },
  NotInTheSchema: 'dropped',
})

describe('tableColumns', () => {
  it('types the columns of a registry row from its zod schema, in declaration order', () => {
    const columns = tableColumns(getResource('expense-reports'))
    const type = (name: string) => columns.find((c) => c.name === name)?.type
    expect(columns[0]).toEqual({ name: 'Name', type: 'VARCHAR' })
    expect(type('Total')).toBe('DOUBLE')
    expect(type('CreateDate')).toBe('TIMESTAMP')
    expect(type('ReceiptsReceived')).toBe('BOOLEAN')
    expect(type('ID')).toBe('VARCHAR')
    expect(type('Custom1')).toBe('JSON')
    expect(tableColumns(getResource('expense-entries')).find((c) => c.name === 'Journey')?.type).toBe('JSON')
  })

  it('maps integers, enums, arrays and unions', () => {
    const item = z.object({
      n: z.number().int().nullable(),
      e: z.enum(['A', 'B']).optional(),
      a: z.array(z.string()),
      u: z.union([z.string(), z.number()]),
    })
    expect(tableColumns({ name: 'expense-reports', item }).map((c) => c.type)).toEqual([
      'BIGINT',
      'VARCHAR',
      'JSON',
      'JSON',
    ])
  })

  it('names tables with underscores', () => {
    expect(tableName('entry-attendee-associations')).toBe('entry_attendee_associations')
  })
})

describe('writeParquet', () => {
  it('writes typed columns from records and leaves no temporary file', async () => {
    const out = join(dir, 'reports.parquet')
    const result = await writeParquet({
      resource: 'expense-reports',
      from: [report('R1', 10.5), report('R2', 0)],
      out,
    })
    expect(result).toEqual({ resource: 'expense-reports', target: out, records: 2 })
    const rows = await query(':memory:', `SELECT ID, Total, CreateDate, Custom1 FROM '${out}' ORDER BY ID`)
    expect(rows.map((r) => [r.ID, r.Total, (r.CreateDate as Date).toISOString()])).toEqual([
      ['R1', 10.5, '2026-01-02T03:04:05.500Z'],
      ['R2', 0, '2026-01-02T03:04:05.500Z'],
    ])
    expect(JSON.parse(rows[0]!.Custom1 as string)).toEqual({
      Type: 'Text',
      Value: 'x',
      Code: null,
      ListItemID: null,
    })
    const types = await query(':memory:', `DESCRIBE SELECT * FROM '${out}'`)
    expect(types.find((t) => t.column_name === 'Total')?.column_type).toBe('DOUBLE')
    expect(types.some((t) => t.column_name === 'NotInTheSchema')).toBe(false)
    expect(readdirSync(dir).filter((f) => f.startsWith('reports.parquet'))).toEqual(['reports.parquet'])
  })

  it('a record that does not fit its column fails with CONCUR_OUTPUT_ERROR and writes nothing', async () => {
    const out = join(dir, 'bad.parquet')
    await expect(
      writeParquet({ resource: 'expense-reports', from: [{ ...report('R1', 1), Total: 'abc' }], out }),
    ).rejects.toMatchObject({ code: 'CONCUR_OUTPUT_ERROR' })
    expect(readdirSync(dir).filter((f) => f.startsWith('bad.parquet'))).toEqual([])
  })
})

describe('writeDuckDb', () => {
  it('creates one table per resource with a primary key and merges later loads by id', async () => {
    const database = join(dir, 'merge.duckdb')
    await writeDuckDb({
      database,
      tables: [
        { resource: 'expense-reports', from: [report('R1', 1), report('R2', 2), report('R3', 3)] },
        { resource: 'expense-entries', from: [{ ID: 'E1', ReportID: 'R1', TransactionAmount: 1 }] },
      ],
    })
    const second = await writeDuckDb({
      database,
      tables: [
        {
          resource: 'expense-reports',
          // R2 changed (twice in the same source: it still becomes one row), R4 is new
          from: [report('R2', 20, 'renamed'), report('R2', 20, 'renamed'), report('R4', 4)],
        },
      ],
    })
    expect(second).toEqual([{ resource: 'expense-reports', target: 'expense_reports', records: 2 }])
    const rows = await query(database, 'SELECT ID, Name, Total FROM expense_reports ORDER BY ID')
    expect(rows).toEqual([
      { ID: 'R1', Name: 'report R1', Total: 1 },
      { ID: 'R2', Name: 'renamed', Total: 20 },
      { ID: 'R3', Name: 'report R3', Total: 3 },
      { ID: 'R4', Name: 'report R4', Total: 4 },
    ])
    const keys = await query(
      database,
      "SELECT table_name, constraint_column_names FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' ORDER BY table_name",
    )
    expect(keys.filter((k) => k.table_name !== 'concurkit_relations')).toEqual([
      { table_name: 'expense_entries', constraint_column_names: ['ID'] },
      { table_name: 'expense_reports', constraint_column_names: ['ID'] },
    ])
    expect(await query(database, 'SELECT * FROM concurkit_relations')).toEqual([
      {
        from_table: 'expense_entries',
        from_column: 'ReportID',
        to_table: 'expense_reports',
        to_column: 'ID',
      },
    ])
    const [comment] = await query(
      database,
      "SELECT comment FROM duckdb_columns() WHERE table_name = 'expense_entries' AND column_name = 'ReportID'",
    )
    expect(comment?.comment).toBe('references expense_reports.ID')
  })

  it('a failed load changes nothing (one transaction) and leaves no new database file', async () => {
    const database = join(dir, 'atomic.duckdb')
    await writeDuckDb({ database, tables: [{ resource: 'expense-reports', from: [report('R1', 1)] }] })
    await expect(
      writeDuckDb({
        database,
        tables: [
          { resource: 'expense-reports', from: [report('R2', 2)] },
          { resource: 'expense-entries', from: [{ ID: 'E1', TransactionAmount: 'not a number' }] },
        ],
      }),
    ).rejects.toMatchObject({ code: 'CONCUR_OUTPUT_ERROR' })
    expect(await query(database, 'SELECT ID FROM expense_reports')).toEqual([{ ID: 'R1' }])
    expect(
      await query(
        database,
        "SELECT count(*)::INT AS n FROM duckdb_tables() WHERE table_name = 'expense_entries'",
      ),
    ).toEqual([{ n: 0 }])

    const fresh = join(dir, 'fresh.duckdb')
    await expect(
      writeDuckDb({
        database: fresh,
        tables: [{ resource: 'expense-reports', from: [{ ID: 'R1', Total: 'x' }] }],
      }),
    ).rejects.toMatchObject({ code: 'CONCUR_OUTPUT_ERROR' })
    expect(existsSync(fresh)).toBe(false)
  })
})
