// The sequential ceiling: a hand-written undici `request` loop following NextPage and streaming
// each page to the file (NDJSON lines or CSV rows) with back-pressure.
// env BENCH_ARGS = JSON {url, token, out, format}

import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { stringify } from 'csv-stringify/sync'
import { Agent, request } from 'undici'

const o = JSON.parse(process.env.BENCH_ARGS)
const t0 = performance.now()
const dispatcher = new Agent({ connections: 1 })
const file = createWriteStream(o.out)
const headers = { authorization: `Bearer ${o.token}`, accept: 'application/json' }
let next = `${o.url}/api/v3.0/expense/entries?user=ALL&limit=100`
let records = 0
let pages = 0
let columns
while (next) {
  const res = await request(next, { headers, dispatcher })
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} on page ${pages}`)
  const page = await res.body.json()
  let chunk = ''
  if (o.format === 'csv') {
    if (!columns) {
      columns = Object.keys(page.Items[0] ?? {})
      chunk += stringify([columns])
    }
    const rows = page.Items.map((it) =>
      columns.map((c) => {
        const v = it[c]
        return v !== null && typeof v === 'object' ? JSON.stringify(v) : v
      }),
    )
    chunk += stringify(rows)
  } else {
    for (const it of page.Items) chunk += `${JSON.stringify(it)}\n`
  }
  records += page.Items.length
  pages++
  if (!file.write(chunk)) await once(file, 'drain')
  next = page.NextPage
}
file.end()
await once(file, 'finish')
await dispatcher.close()
process.send({
  type: 'result',
  records,
  pages,
  ms: performance.now() - t0,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
})
