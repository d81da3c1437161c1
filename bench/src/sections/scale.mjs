// 2. Dataset scale: first-page and last-page latency and the mock's RSS at 10k, 1M and 10M reports.
// The method follows packages/mock-concur/bench/v3-pages.ts (median of sequential pages of 100 reports,
// `user=ALL`, the last page reached with the mock's own signed offset for position size − 100), but the
// mock runs alone in a child process and is called over a socket, and RSS is the child's after a full GC.
import { request } from 'undici'
import { encodeOffset } from '../../../packages/mock-concur/dist/resources/offset.js'
import { median, passwordToken, percentile, startChild } from '../lib.mjs'

const PATH = '/api/v3.0/expense/reports?user=ALL&limit=100'

async function timePage(url, token, n) {
  const times = []
  let items = 0
  let next
  for (let i = 0; i < n + 3; i++) {
    const t = performance.now()
    const res = await request(url, { headers: { authorization: `Bearer ${token}` } })
    const body = await res.body.json()
    const ms = performance.now() - t
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
    items = body.Items.length
    next = body.NextPage
    if (i >= 3) times.push(ms)
  }
  return { medianMs: median(times), p99Ms: percentile(times, 99), items, next }
}

export async function scale({ quick, log }) {
  const n = quick ? 10 : 30
  const rows = []
  for (const size of [10_000, 1_000_000, 10_000_000]) {
    const mock = await startChild('mock-server.mjs', [String(size)])
    try {
      const token = (await passwordToken(mock)).access_token
      const first = await timePage(`${mock.url}${PATH}`, token, n)
      const offset = encodeOffset(mock.seed, mock.company, 'expense-reports', size - 100)
      const last = await timePage(`${mock.url}${PATH}&offset=${offset}`, token, n)
      if (first.items !== 100 || last.items !== 100 || last.next !== null)
        throw new Error(`size ${size}: unexpected pages (${first.items}, ${last.items}, next ${last.next})`)
      const { rssMb } = await mock.ask('rss')
      rows.push({
        size,
        firstMs: first.medianMs,
        lastMs: last.medianMs,
        firstP99Ms: first.p99Ms,
        lastP99Ms: last.p99Ms,
        rssMb,
      })
      log(
        `  ${size} reports: first ${first.medianMs.toFixed(1)} ms, last ${last.medianMs.toFixed(1)} ms, rss ${rssMb.toFixed(1)} MB`,
      )
    } finally {
      await mock.stop()
    }
  }
  const big = rows[rows.length - 1]
  return {
    requests: n,
    rows,
    last_vs_first_page: Math.max(...rows.map((r) => r.lastMs / r.firstMs)),
    last_vs_first_page_10m: big.lastMs / big.firstMs,
    rss_growth_mb: big.rssMb - rows[0].rssMb,
  }
}
