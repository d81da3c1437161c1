import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rename, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { getResource, type ResourceDefinition, type ResourceName, V3DateTime } from '@concurkit/contract'
import { CLIENT_ERROR_CODES, ConcurClientError, invalidArgument } from './errors.js'

/** The SQL type of a table column, derived from the registry row's zod item schema. */
export type ColumnType = 'VARCHAR' | 'DOUBLE' | 'BIGINT' | 'BOOLEAN' | 'TIMESTAMP' | 'JSON'

/** One typed column of a resource's table (Parquet file or DuckDB table). */
export interface TableColumn {
  readonly name: string
  readonly type: ColumnType
}

/**
 * A documented relation between two resources: `from.column` holds the id of a `to` record
 * (reports → entries → itemizations, allocations, attendee associations).
 */
export interface TableRelation {
  readonly from: ResourceName
  readonly column: string
  readonly to: ResourceName
  readonly toColumn: string
}

/**
 * The documented relations of the report resources, as foreign-key columns. A DuckDB load writes
 * them to the `concurkit_relations` table and as column comments.
 */
export const TABLE_RELATIONS: readonly TableRelation[] = Object.freeze([
  { from: 'expense-entries', column: 'ReportID', to: 'expense-reports', toColumn: 'ID' },
  { from: 'expense-itemizations', column: 'EntryID', to: 'expense-entries', toColumn: 'ID' },
  { from: 'expense-itemizations', column: 'ReportID', to: 'expense-reports', toColumn: 'ID' },
  { from: 'expense-allocations', column: 'EntryID', to: 'expense-entries', toColumn: 'ID' },
  { from: 'entry-attendee-associations', column: 'EntryID', to: 'expense-entries', toColumn: 'ID' },
  { from: 'entry-attendee-associations', column: 'AttendeeID', to: 'expense-attendees', toColumn: 'ID' },
])

interface ZodLike {
  readonly _zod: { readonly def: Record<string, unknown> & { readonly type: string }; readonly bag?: unknown }
  readonly format?: string | null
}

function columnType(schema: ZodLike): ColumnType {
  let s = schema
  // wrappers that do not change the stored value
  for (;;) {
    if ((s as unknown) === V3DateTime) return 'TIMESTAMP'
    const def = s._zod.def
    if (
      ['nullable', 'optional', 'default', 'prefault', 'catch', 'readonly', 'nonoptional'].includes(def.type)
    )
      s = def.innerType as ZodLike
    else if (def.type === 'pipe') s = def.out as ZodLike
    else break
  }
  switch (s._zod.def.type) {
    case 'string':
    case 'enum':
    case 'literal':
      return s._zod.def.type === 'literal' &&
        (s._zod.def.values as unknown[]).some((v) => typeof v !== 'string')
        ? 'JSON'
        : 'VARCHAR'
    case 'number':
      return s.format === 'safeint' || s.format === 'int32' ? 'BIGINT' : 'DOUBLE'
    case 'int':
    case 'bigint':
      return 'BIGINT'
    case 'boolean':
      return 'BOOLEAN'
    default:
      return 'JSON'
  }
}

/**
 * Typed columns of a resource: the keys of its item schema in declaration order, typed from their
 * zod schemas (strings → VARCHAR, v3.0 date-times → TIMESTAMP, integers → BIGINT, numbers → DOUBLE,
 * booleans → BOOLEAN, objects, arrays and unions → JSON). Fields outside the schema are not kept.
 *
 * @example
 * tableColumns(getResource('expense-reports')).find((c) => c.name === 'Total') // { name: 'Total', type: 'DOUBLE' }
 */
export function tableColumns(def: Pick<ResourceDefinition, 'item' | 'name'>): TableColumn[] {
  const shape = (def.item as unknown as { shape?: Record<string, ZodLike> }).shape
  if (!shape || typeof shape !== 'object') invalidArgument(`${def.name}: its item schema is not an object`)
  return Object.entries(shape).map(([name, schema]) => ({ name, type: columnType(schema) }))
}

/**
 * The table of a resource in a database: its name with `_` for `-` (`expense-reports` → `expense_reports`).
 *
 * @example
 * tableName('expense-entries') // 'expense_entries'
 */
export function tableName(resource: ResourceName): string {
  return resource.replaceAll('-', '_')
}

/** The columns that identify a record: the row's `keyFields`, else its `idField`. */
export function keyColumns(def: Pick<ResourceDefinition, 'idField' | 'keyFields'>): string[] {
  return [...(def.keyFields ?? [def.idField])]
}

/** Where a table's records come from: an NDJSON file, or records (any iterable). */
export type TableSource = string | Iterable<unknown> | AsyncIterable<unknown>

type DuckDb = typeof import('@duckdb/node-api')

async function loadDuckDb(): Promise<DuckDb> {
  try {
    return await import('@duckdb/node-api')
  } catch (err) {
    throw new ConcurClientError(
      CLIENT_ERROR_CODES.INVALID_ARGUMENT,
      'Parquet and DuckDB output need the optional package @duckdb/node-api (npm install @duckdb/node-api)',
      { cause: err },
    )
  }
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`

/** `read_json(…)` of an NDJSON file with the resource's typed columns (fields outside them ignored). */
function readJson(file: string, columns: readonly TableColumn[]): string {
  const spec = columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ')
  return `read_json(${literal(file)}, format = 'newline_delimited', columns = {${spec}})`
}

/** Writes records to an NDJSON file in `dir` (or returns the file a string source names). */
async function staged(source: TableSource, dir: () => Promise<string>, name: string): Promise<string> {
  if (typeof source === 'string') return source
  const file = join(await dir(), `${name}.ndjson`)
  const out = createWriteStream(file)
  for await (const record of source as AsyncIterable<unknown>) {
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'close')
  return file
}

function resolveDef(resource: ResourceName | ResourceDefinition): ResourceDefinition {
  return typeof resource === 'string' ? getResource(resource) : resource
}

/** Options of `writeParquet()`. */
export interface WriteParquetOptions {
  /** The resource (its registry row types the columns). */
  readonly resource: ResourceName | ResourceDefinition
  /** Its records: an NDJSON file (as `extract()` writes) or any iterable of records. */
  readonly from: TableSource
  /** The Parquet file; written beside it as `<out>.part` and renamed when complete. */
  readonly out: string
}

/** What a Parquet or DuckDB write did. */
export interface TableWriteResult {
  readonly resource: ResourceName
  /** The Parquet file, or the DuckDB table. */
  readonly target: string
  /** Records written: for Parquet every record of the source, for DuckDB the distinct records merged. */
  readonly records: number
}

/**
 * Writes one resource's records as a Parquet file with typed columns (DuckDB's writer; Snappy, which every Parquet reader decodes), atomically.
 *
 * @example
 * await extract({ client, resources: 'expense-reports', format: 'ndjson', out: 'reports.ndjson' })
 * await writeParquet({ resource: 'expense-reports', from: 'reports.ndjson', out: 'reports.parquet' })
 */
export async function writeParquet(options: WriteParquetOptions): Promise<TableWriteResult> {
  const def = resolveDef(options.resource)
  const columns = tableColumns(def)
  const { DuckDBInstance } = await loadDuckDb()
  let scratch: string | undefined
  const part = `${options.out}.part`
  const instance = await DuckDBInstance.create(':memory:')
  const con = await instance.connect()
  try {
    const file = await staged(
      options.from,
      async () => (scratch ??= await mkdtemp(join(tmpdir(), 'concurkit-parquet-'))),
      def.name,
    )
    const select = `SELECT ${columns.map((c) => ident(c.name)).join(', ')} FROM ${readJson(file, columns)}`
    const copied = await con.runAndReadAll(
      `COPY (${select}) TO ${literal(part)} (FORMAT parquet, COMPRESSION snappy)`,
    )
    const records = Number(copied.getRows()[0]?.[0] ?? 0)
    await rename(part, options.out)
    return { resource: def.name, target: options.out, records }
  } catch (err) {
    await rm(part, { force: true })
    throw tableError(err, `${def.name} → ${options.out}`)
  } finally {
    con.closeSync()
    instance.closeSync()
    if (scratch) await rm(scratch, { recursive: true, force: true })
  }
}

/** Options of `writeDuckDb()`. */
export interface WriteDuckDbOptions {
  /** The DuckDB database file (created when missing). */
  readonly database: string
  /** One entry per resource: its records as an NDJSON file or any iterable. */
  readonly tables: readonly {
    readonly resource: ResourceName | ResourceDefinition
    readonly from: TableSource
  }[]
}

/**
 * Loads resources into a DuckDB database file: one table per resource (`tableName()`), typed columns,
 * a primary key on the row's id (or key fields), merged by id (a record already there is replaced,
 * so incremental runs update in place), the documented relations in `concurkit_relations` and as
 * column comments. All tables load in one transaction: a failed load changes nothing.
 *
 * @example
 * await writeDuckDb({ database: 'concur.duckdb', tables: [{ resource: 'expense-reports', from: 'reports.ndjson' }] })
 * // SELECT count(*) FROM expense_reports
 */
export async function writeDuckDb(options: WriteDuckDbOptions): Promise<TableWriteResult[]> {
  const { DuckDBInstance } = await loadDuckDb()
  const existed = await stat(options.database).then(
    () => true,
    () => false,
  )
  // a missing directory fails here, before DuckDB would
  if (!existed)
    await stat(dirname(options.database)).catch((err) =>
      Promise.reject(tableError(err, `duckdb:${options.database}`)),
    )
  let scratch: string | undefined
  let instance: Awaited<ReturnType<typeof DuckDBInstance.create>>
  try {
    // Row order within a table means nothing here; not keeping it lets DuckDB insert with less memory.
    instance = await DuckDBInstance.create(options.database, { preserve_insertion_order: 'false' })
  } catch (err) {
    throw tableError(err, `duckdb:${options.database}`)
  }
  const con = await instance.connect()
  const results: TableWriteResult[] = []
  let failed = false
  try {
    const sources: { def: ResourceDefinition; file: string }[] = []
    for (const t of options.tables) {
      const def = resolveDef(t.resource)
      const file = await staged(
        t.from,
        async () => (scratch ??= await mkdtemp(join(tmpdir(), 'concurkit-duckdb-'))),
        def.name,
      )
      sources.push({ def, file })
    }
    await con.run('BEGIN TRANSACTION')
    await con.run(
      'CREATE TABLE IF NOT EXISTS concurkit_relations (from_table VARCHAR, from_column VARCHAR, to_table VARCHAR, to_column VARCHAR, PRIMARY KEY (from_table, from_column))',
    )
    for (const { def, file } of sources) {
      const table = tableName(def.name)
      const columns = tableColumns(def)
      const keys = keyColumns(def)
      const list = columns.map((c) => ident(c.name)).join(', ')
      const exists = await con.runAndReadAll(
        `SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ${literal(table)}`,
      )
      const isNew = Number(exists.getRows()[0]?.[0] ?? 0) === 0
      await con.run(
        `CREATE TABLE IF NOT EXISTS ${ident(table)} (${columns
          .map((c) => `${ident(c.name)} ${c.type}`)
          .join(', ')}, PRIMARY KEY (${keys.map(ident).join(', ')}))`,
      )
      // One row per key: a source that repeats a record (overlapping pages of an incremental
      // run) would otherwise make the merge touch the same row twice. A new table needs no
      // conflict handling (about 20 % faster).
      const merged = await con.runAndReadAll(
        `INSERT ${isNew ? '' : 'OR REPLACE '}INTO ${ident(table)} (${list}) SELECT DISTINCT ON (${keys.map(ident).join(', ')}) ${list} FROM ${readJson(file, columns)}`,
      )
      results.push({ resource: def.name, target: table, records: Number(merged.getRows()[0]?.[0] ?? 0) })
      for (const r of TABLE_RELATIONS.filter((x) => x.from === def.name)) {
        await con.run(
          `INSERT OR REPLACE INTO concurkit_relations VALUES (${[tableName(r.from), r.column, tableName(r.to), r.toColumn].map(literal).join(', ')})`,
        )
        await con.run(
          `COMMENT ON COLUMN ${ident(table)}.${ident(r.column)} IS ${literal(`references ${tableName(r.to)}.${r.toColumn}`)}`,
        )
      }
    }
    await con.run('COMMIT')
    return results
  } catch (err) {
    failed = true
    await con.run('ROLLBACK').catch(() => {})
    throw tableError(err, `duckdb:${options.database}`)
  } finally {
    con.closeSync()
    instance.closeSync()
    if (scratch) await rm(scratch, { recursive: true, force: true })
    if (failed && !existed) {
      await rm(options.database, { force: true })
      await rm(`${options.database}.wal`, { force: true })
    }
  }
}

function tableError(err: unknown, where: string): Error {
  if (ConcurClientError.is(err)) return err
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err)
  return new ConcurClientError(CLIENT_ERROR_CODES.OUTPUT, `${where}: ${message}`, { cause: err })
}
