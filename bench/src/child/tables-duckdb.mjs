// `writeDuckDb` of @concurkit/client on an NDJSON file (a new database), alone in this process.
// env BENCH_ARGS = JSON {input, out, resource}
import { writeDuckDb } from '@concurkit/client'

const o = JSON.parse(process.env.BENCH_ARGS)
const t0 = performance.now()
const [r] = await writeDuckDb({ database: o.out, tables: [{ resource: o.resource, from: o.input }] })
process.send({
  type: 'result',
  records: r.records,
  ms: performance.now() - t0,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
})
