// 2. Dataset scale: first-page and last-page latency and the mock's RSS at 10k, 1M and 10M reports.
// The method follows packages/mock-concur/bench/v3-pages.ts (sequential pages of 100 reports,
// `user=ALL`, positions reached with the mock's own signed offsets), but the mock runs alone in a child
// process and is called over a socket, every request asks for a DIFFERENT page (so the mock's cache of
// rendered pages never answers: this measures generation at that depth), and RSS is the child's after
// a full GC.

import { encodeOffset } from '@concurkit/mock-concur/internal'
import { request } from 'undici'
import { median, passwordToken, percentile, startChild } from '../lib.mjs'

const PATH = '/api/v3.0/expense/reports?user=ALL&limit=100'
const WARMUP = 3

/** Requests each URL once, in order; the first WARMUP are not timed. */
async function timePages(urls, token) {
  const times = []
  const pages = []
  for (const [i, url] of urls.entries()) {
    const t = performance.now()
    const res = await request(url, { headers: { authorization: `Bearer ${token}` } })
    const body = await res.body.json()
    const ms = performance.now() - t
    if (res.statusCode !== 200) throw new Error(`page ${i} answered ${res.statusCode}`)
    pages.push({ items: body.Items.length, next: body.NextPage })
    if (i >= WARMUP) times.push(ms)
  }
  return { medianMs: median(times), p99Ms: percentile(times, 99), pages }
}

export async function scale({ quick, log }) {
  const n = quick ? 10 : 30
  const rows = []
  for (const size of [10_000, 1_000_000, 10_000_000]) {
    const mock = await startChild('mock-server.mjs', [String(size)])
    try {
      const token = (await passwordToken(mock)).access_token
      const at = (pos) =>
        pos === 0
          ? `${mock.url}${PATH}`
          : `${mock.url}${PATH}&offset=${encodeOffset(mock.seed, mock.company, 'expense-reports', pos)}`
      // The first n+3 pages from the start, and the last n+3 pages walking back from the end.
      const count = n + WARMUP
      const first = await timePages(
        Array.from({ length: count }, (_, k) => at(k * 100)),
        token,
      )
      const last = await timePages(
        Array.from({ length: count }, (_, k) => at(size - 100 * (k + 1))),
        token,
      )
      const full = [...first.pages, ...last.pages].every((p) => p.items === 100)
      if (!full || last.pages[0].next !== null)
        throw new Error(`size ${size}: a page was short, or the last page has a NextPage`)
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
