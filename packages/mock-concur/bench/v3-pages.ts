/**
 * Page latency and memory of the v3.0 expense reports at 10 million reports (first page vs last page).
 * Run: node --expose-gc <tsx>/dist/cli.mjs --conditions=@concurkit/source bench/v3-pages.ts
 */

import { encodeOffset } from '../src/internal.js'
import { createMockConcur } from '../src/mock.js'
import { issueToken } from '../src/resources/v3-testing.js'

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})

async function measure(size: number) {
  const mock = createMockConcur({ seed: 42, size, companies: 1, datacenters: ['us'] })
  const c = mock.state.companies[0]!
  const admin = await issueToken(mock, { user: 0 })
  const base = mock.state.baseUrl('us')
  const get = async (path: string) => {
    const t = performance.now()
    const res = await mock.fetch(`${base}${path}`, { headers: { authorization: `Bearer ${admin}` } })
    const body = (await res.json()) as { Items: unknown[] }
    if (res.status !== 200 || body.Items.length === 0) throw new Error(`${path}: ${res.status}`)
    return performance.now() - t
  }
  const offset = (pos: number) => encodeOffset(42, c.id, 'expense-reports', pos)
  const median = async (path: string, n = 30) => {
    for (let i = 0; i < 3; i++) await get(path)
    const times: number[] = []
    for (let i = 0; i < n; i++) times.push(await get(path))
    times.sort((a, b) => a - b)
    return times[Math.floor(n / 2)]!
  }
  const q = '/api/v3.0/expense/reports?user=ALL&limit=100'
  const result = {
    size,
    firstMs: await median(q),
    lastMs: await median(`${q}&offset=${offset(size - 100)}`),
    filteredFirstMs: await median(`${q}&approvalStatusCode=A_PEND`),
    filteredLastMs: await median(`${q}&approvalStatusCode=A_PEND&offset=${offset(size - 2000)}`),
    dateWindowLastMs: await median(`${q}&createDateAfter=2025-12-30`),
    entriesLastMs: await median(
      `/api/v3.0/expense/entries?user=ALL&limit=100&offset=${encodeOffset(42, c.id, 'expense-entries', size * 3 - 100)}`,
    ),
  }
  gc()
  gc()
  return { ...result, rssMb: process.memoryUsage().rss / 2 ** 20, mock }
}

const small = await measure(10_000)
const big = await measure(10_000_000)
const fmt = (r: typeof small) =>
  `size=${r.size} first=${r.firstMs.toFixed(1)}ms last=${r.lastMs.toFixed(1)}ms filteredFirst=${r.filteredFirstMs.toFixed(1)}ms filteredLast=${r.filteredLastMs.toFixed(1)}ms dateWindow=${r.dateWindowLastMs.toFixed(1)}ms entriesLast=${r.entriesLastMs.toFixed(1)}ms rss=${r.rssMb.toFixed(1)}MB`
process.stdout.write(
  `${fmt(small)}\n${fmt(big)}\nrss growth 10k→10M: ${(big.rssMb - small.rssMb).toFixed(1)} MB\n`,
)
process.stdout.write(`node ${process.version}\n`)
