// 6. Tables: the Parquet writer chosen by measurement. The same NDJSON file of expense entries (the
// client's extract from the mock, checked against /_mock/manifest) becomes a Parquet file through
// `writeParquet` (DuckDB's writer) and through hyparquet-writer (pure JavaScript, the same typed
// columns), and a DuckDB table through `writeDuckDb`; each program alone in its process. Both Parquet
// files are read back by DuckDB and must hold the manifest's records with the same sums.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { runChild } from '../lib.mjs'
import { ndjsonChecksum } from '../verify.mjs'
import { withMock } from './extract.mjs'

const RESOURCE = 'expense-entries'
const WRITERS = [
  ['duckdbParquet', 'tables-parquet-duckdb.mjs', 'parquet'],
  ['hyparquet', 'tables-parquet-hyparquet.mjs', 'parquet'],
  ['duckdbTable', 'tables-duckdb.mjs', 'duckdb'],
]

async function figures(file, kind) {
  const instance = await DuckDBInstance.create(':memory:')
  const con = await instance.connect()
  try {
    const from = kind === 'duckdb' ? `${RESOURCE.replace('-', '_')}` : `'${file}'`
    if (kind === 'duckdb') await con.run(`ATTACH '${file}' AS t (READ_ONLY); USE t`)
    const [row] = (
      await con.runAndReadAll(
        `SELECT count(*)::BIGINT AS n, count(DISTINCT ID)::BIGINT AS ids, sum(round(TransactionAmount * 100))::BIGINT AS cents, max(TransactionDate)::VARCHAR AS latest FROM ${from}`,
      )
    ).getRowObjectsJS()
    return { n: Number(row.n), ids: Number(row.ids), cents: Number(row.cents), latest: row.latest }
  } finally {
    con.closeSync()
    instance.closeSync()
  }
}

export async function tablesBench({ quick, tmp, log }) {
  const entries = quick ? 20_000 : 300_000
  return withMock(entries, async (mock, token, truth) => {
    const input = join(tmp, 'tables-entries.ndjson')
    await runChild('extract-client.mjs', [], {
      env: { BENCH_ARGS: JSON.stringify({ url: mock.url, token, out: input, format: 'ndjson' }) },
    })
    const sum = await ndjsonChecksum(input)
    if (sum.count !== truth.count || sum.sha256 !== truth.sha256)
      throw new Error(`the NDJSON input does not match the manifest (${sum.count} vs ${truth.count})`)
    const out = { entries: truth.count, inputBytes: statSync(input).size, writers: {} }
    let reference
    for (const [name, script, kind] of WRITERS) {
      const file = join(tmp, `tables-${name}.${kind}`)
      const r = await runChild(script, [], {
        env: { BENCH_ARGS: JSON.stringify({ input, out: file, resource: RESOURCE }) },
      })
      const f = await figures(file, kind)
      if (f.n !== truth.count || f.ids !== truth.count)
        throw new Error(`${name}: ${f.n} rows, ${f.ids} ids vs manifest ${truth.count}`)
      reference ??= f
      if (f.cents !== reference.cents || f.latest !== reference.latest)
        throw new Error(`${name}: sums differ from the first writer's (${f.cents} vs ${reference.cents})`)
      out.writers[name] = {
        ms: r.ms,
        recordsPerS: (r.records / r.ms) * 1000,
        maxRssMb: r.maxRssMb,
        bytes: statSync(file).size,
        checked: true,
      }
      log(
        `  ${name}: ${Math.round(out.writers[name].recordsPerS)} records/s, peak RSS ${r.maxRssMb.toFixed(0)} MB, ${(out.writers[name].bytes / 1e6).toFixed(1)} MB`,
      )
    }
    return out
  })
}
