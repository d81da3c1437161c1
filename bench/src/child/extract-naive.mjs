// The naive loop: `fetch` page after page, keep every record in memory, write the file at the end.
// env BENCH_ARGS = JSON {url, token, out, format}
import { closeSync, openSync, writeSync } from 'node:fs'
import { stringify } from 'csv-stringify/sync'

const o = JSON.parse(process.env.BENCH_ARGS)
const t0 = performance.now()
const headers = { authorization: `Bearer ${o.token}`, accept: 'application/json' }
const all = []
let pages = 0
let next = `${o.url}/api/v3.0/expense/entries?user=ALL&limit=100`
while (next) {
  const res = await fetch(next, { headers })
  if (res.status !== 200) throw new Error(`${res.status} on page ${pages}`)
  const page = await res.json()
  all.push(...page.Items)
  pages++
  next = page.NextPage
}
// Written at the end, in batches (one string of a million records would pass V8's string limit).
const fd = openSync(o.out, 'w')
const columns = Object.keys(all[0] ?? {})
const row = (it) =>
  columns.map((c) => {
    const v = it[c]
    return v !== null && typeof v === 'object' ? JSON.stringify(v) : v
  })
if (o.format === 'csv') writeSync(fd, stringify([columns]))
for (let i = 0; i < all.length; i += 1000) {
  const batch = all.slice(i, i + 1000)
  writeSync(
    fd,
    o.format === 'csv' ? stringify(batch.map(row)) : `${batch.map((it) => JSON.stringify(it)).join('\n')}\n`,
  )
}
closeSync(fd)
process.send({
  type: 'result',
  records: all.length,
  pages,
  ms: performance.now() - t0,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
})
