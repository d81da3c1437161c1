// @concurkit/client `extract()` of one fan-out row (one detail request per record) to NDJSON, alone
// in this process. env BENCH_ARGS = JSON {url, token, out, resource, concurrency}
import { createConcurClient, extract, staticToken } from '@concurkit/client'

const o = JSON.parse(process.env.BENCH_ARGS)
const t0 = performance.now()
const client = createConcurClient({
  auth: staticToken(o.token, o.url),
  baseUrl: o.url,
  concurrency: o.concurrency,
})
const [r] = await extract({ client, resources: o.resource, format: 'ndjson', out: o.out, resume: false })
const ms = performance.now() - t0
await client.close()
process.send({
  type: 'result',
  records: r.records,
  pages: r.pages,
  ms,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
})
