// `writeParquet` of @concurkit/client (DuckDB's Parquet writer) on an NDJSON file, alone in this process.
// env BENCH_ARGS = JSON {input, out, resource}
import { writeParquet } from '@concurkit/client'

const o = JSON.parse(process.env.BENCH_ARGS)
const t0 = performance.now()
const r = await writeParquet({ resource: o.resource, from: o.input, out: o.out })
process.send({
  type: 'result',
  records: r.records,
  ms: performance.now() - t0,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
})
