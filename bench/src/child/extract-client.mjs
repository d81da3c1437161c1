// @concurkit/client extracting expense entries to a file, alone in this process.
// env BENCH_ARGS = JSON {url, token, out, format, partitionBy?: 'user', concurrency?}
import { createConcurClient, extract, staticToken } from '@concurkit/client'

const o = JSON.parse(process.env.BENCH_ARGS)
const t0 = performance.now()
const client = createConcurClient({
  auth: staticToken(o.token, o.url),
  baseUrl: o.url,
  ...(o.concurrency ? { concurrency: o.concurrency } : {}),
})
let partitions
if (o.partitionBy === 'user') {
  // Every login of the company, listed through the API (an administrator without `user` sees them
  // all); each partition is one user's entries, paged by NextPage.
  partitions = []
  for await (const u of client.resource('user-information').list()) partitions.push({ user: u.LoginID })
  if (partitions.length === 0) throw new Error('the users list is empty')
}
const [r] = await extract({
  client,
  resources: 'expense-entries',
  format: o.format,
  out: o.out,
  filter: { user: 'ALL' },
  resume: false,
  ...(partitions ? { partitions, concurrency: o.concurrency ?? 8 } : {}),
})
const ms = performance.now() - t0
await client.close()
process.send({
  type: 'result',
  records: r.records,
  pages: r.pages,
  partitions: partitions?.length ?? 1,
  ms,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
})
