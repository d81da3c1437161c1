// The same Parquet file written by hyparquet-writer (pure JavaScript), alone in this process: NDJSON
// read line by line, the same typed columns (`tableColumns`), row groups of 10,000 records.
// env BENCH_ARGS = JSON {input, out, resource}
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { tableColumns } from '@concurkit/client'
import { getResource } from '@concurkit/contract'
import { fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer'

const o = JSON.parse(process.env.BENCH_ARGS)
const t0 = performance.now()
const columns = tableColumns(getResource(o.resource))
const TYPE = {
  VARCHAR: 'STRING',
  DOUBLE: 'DOUBLE',
  BIGINT: 'INT64',
  BOOLEAN: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMP',
  JSON: 'JSON',
}
const value = (type, v) => {
  if (v === null || v === undefined) return null
  if (type === 'TIMESTAMP') return new Date(`${v}Z`)
  if (type === 'BIGINT') return BigInt(v)
  return v
}
const columnData = (rows) =>
  columns.map((c) => ({
    name: c.name,
    type: TYPE[c.type],
    nullable: true,
    data: rows.map((r) => value(c.type, r[c.name])),
  }))
const writer = new ParquetWriter({
  writer: fileWriter(o.out),
  schema: schemaFromColumnData({ columnData: columnData([]) }),
})
let batch = []
let records = 0
for await (const line of createInterface({
  input: createReadStream(o.input),
  crlfDelay: Number.POSITIVE_INFINITY,
})) {
  if (!line) continue
  batch.push(JSON.parse(line))
  records++
  if (batch.length === 10_000) {
    await writer.write({ columnData: columnData(batch), rowGroupSize: 10_000 })
    batch = []
  }
}
if (batch.length) await writer.write({ columnData: columnData(batch), rowGroupSize: 10_000 })
writer.finish()
process.send({
  type: 'result',
  records,
  ms: performance.now() - t0,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
})
