import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { ResourceName } from '@concurkit/contract'
import { usageError } from '../errors.js'

/**
 * Table outputs of `concurkit extract`: `--format parquet` (one Parquet file per resource) and
 * `--to duckdb:<file>` (one table per resource in a DuckDB file). The records are first extracted as
 * NDJSON into a staging directory beside the target (`<target>.staging/`, so an interrupted run
 * resumes from its checkpoint like any extract), then written by `@concurkit/client`'s
 * `writeParquet`/`writeDuckDb`; the staging directory is removed once the target is complete.
 */
export interface TablePlan {
  readonly kind: 'parquet' | 'duckdb'
  /** The Parquet file or directory (`--out`), or the DuckDB file (`--to duckdb:<file>`). */
  readonly target: string
  readonly staging: string
  /** Where `extract()` writes NDJSON: a file for one resource, the staging directory for several. */
  readonly ndjsonOut: string
}

/** The file of `--to duckdb:<file>`; anything else is a usage error. */
export function duckDbTarget(to: string): string {
  const m = /^duckdb:(.+)$/.exec(to)
  if (!m) throw usageError(`--to ${to}: expected duckdb:<file>`)
  return m[1]!
}

/** Plans a table output for `resources` written to `target`. */
export function planTables(
  kind: TablePlan['kind'],
  target: string,
  resources: readonly ResourceName[],
): TablePlan {
  const staging = `${target}.staging`
  return {
    kind,
    target,
    staging,
    ndjsonOut: resources.length === 1 ? join(staging, `${resources[0]}.ndjson`) : staging,
  }
}

/**
 * Checks that the optional `@duckdb/node-api` is installed (before anything is extracted), then
 * creates the staging directory (kept across interrupted runs).
 */
export async function prepareStaging(plan: TablePlan): Promise<void> {
  try {
    await import('@duckdb/node-api')
  } catch {
    throw usageError(
      `${plan.kind === 'duckdb' ? '--to duckdb:' : '--format parquet'} needs the optional package @duckdb/node-api (npm install @duckdb/node-api)`,
    )
  }
  await mkdir(plan.staging, { recursive: true })
}

/** Writes the staged NDJSON to the target, then removes the staging directory. */
export async function writeTables(plan: TablePlan, resources: readonly ResourceName[]): Promise<void> {
  const { writeDuckDb, writeParquet } = await import('@concurkit/client')
  const staged = (name: ResourceName) => join(plan.staging, `${name}.ndjson`)
  if (plan.kind === 'duckdb') {
    await writeDuckDb({
      database: plan.target,
      tables: resources.map((r) => ({ resource: r, from: staged(r) })),
    })
  } else {
    if (resources.length > 1) await mkdir(plan.target, { recursive: true })
    for (const r of resources) {
      const out = resources.length === 1 ? plan.target : join(plan.target, `${r}.parquet`)
      await writeParquet({ resource: r, from: staged(r), out })
    }
  }
  await rm(plan.staging, { recursive: true, force: true })
}
