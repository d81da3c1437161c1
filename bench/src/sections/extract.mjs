// 3. Extract: @concurkit/client vs a hand-written undici loop (the sequential ceiling) vs a naive fetch
// loop, each in its own process against the mock in another; then with 50 ms added per page, the
// client's partitioned extract vs the undici loop. Every output is checked against /_mock/manifest.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { passwordToken, runChild, startChild } from '../lib.mjs'
import { csvIds, manifest, ndjsonChecksum, ndjsonChecksumAnyOrder } from '../verify.mjs'

const RESOURCE = 'expense-entries'
// Entries are three per report.
const reportsFor = (entries) => Math.ceil(entries / 3)

export async function withMock(entries, fn) {
  const mock = await startChild('mock-server.mjs', [String(reportsFor(entries))])
  try {
    const token = (await passwordToken(mock)).access_token
    const truth = await manifest(mock.url, token, mock.company, RESOURCE)
    return await fn(mock, token, truth)
  } finally {
    await mock.stop()
  }
}

export async function runOne(program, args, { truth, format, anyOrder = false, execArgv = [] }) {
  const r = await runChild(`extract-${program}.mjs`, [], {
    execArgv,
    env: { BENCH_ARGS: JSON.stringify(args) },
  })
  let check
  if (format === 'ndjson') {
    const sum = anyOrder ? await ndjsonChecksumAnyOrder(args.out) : await ndjsonChecksum(args.out)
    check = { ok: sum.count === truth.count && sum.sha256 === truth.sha256 && sum.duplicates === 0, ...sum }
  } else {
    const ids = await csvIds(args.out)
    check = { ok: ids.count === truth.count && ids.duplicates === 0, ...ids }
  }
  rmSync(args.out, { force: true })
  if (!check.ok)
    throw new Error(
      `${program} ${format}: ${check.count} records (${check.duplicates} repeated or out of order) vs manifest ${truth.count}`,
    )
  return {
    records: r.records,
    pages: r.pages,
    partitions: r.partitions,
    ms: r.ms,
    recordsPerS: (r.records / r.ms) * 1000,
    maxRssMb: r.maxRssMb,
    cpuMs: r.cpuMs,
    checked: true,
  }
}

export async function extractBench({ quick, tmp, log }) {
  const loopEntries = quick ? 10_000 : 1_000_000
  // CSV repeats the comparison on fewer records (the full NDJSON run already takes minutes per program).
  const csvEntries = quick ? 0 : 200_000
  const latencyEntries = quick ? 6_000 : 30_000
  const formats = quick ? ['ndjson'] : ['ndjson', 'csv']
  const out = {}
  // Loopback: what does each program cost on top of the mock's own page generation?
  out.loopback = { entries: {} }
  for (const format of formats) {
    await withMock(format === 'csv' ? csvEntries : loopEntries, async (mock, token, truth) => {
      out.loopback.entries[format] = truth.count
      const row = {}
      for (const program of ['client', 'undici', 'naive']) {
        const args = { url: mock.url, token, out: join(tmp, `${program}.${format}`), format }
        row[program] = await runOne(program, args, {
          truth,
          format,
          execArgv: program === 'naive' ? ['--max-old-space-size=16384'] : [],
        })
        log(
          `  loopback ${format} ${program}: ${Math.round(row[program].recordsPerS)} records/s, peak RSS ${row[program].maxRssMb.toFixed(0)} MB`,
        )
      }
      out.loopback[format] = row
    })
  }
  // 50 ms per page: latency bounds the walk; the client partitions by user.
  await withMock(latencyEntries, async (mock, token, truth) => {
    const fault = await fetch(`${mock.url}/_mock/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/api/v3.0/expense/entries*', delayMs: 50 }),
    })
    if (fault.status !== 201) throw new Error(`fault rule answered ${fault.status}`)
    out.latency = { entries: truth.count, delayMs: 50, concurrency: 16 }
    for (const format of formats) {
      const row = {}
      row.undici = await runOne(
        'undici',
        { url: mock.url, token, out: join(tmp, `lat-undici.${format}`), format },
        { truth, format },
      )
      row.client = await runOne(
        'client',
        {
          url: mock.url,
          token,
          out: join(tmp, `lat-client.${format}`),
          format,
          partitionBy: 'user',
          concurrency: 16,
        },
        { truth, format, anyOrder: true },
      )
      log(
        `  +50 ms/page ${format}: undici ${Math.round(row.undici.recordsPerS)} records/s, client (${row.client.partitions} user partitions) ${Math.round(row.client.recordsPerS)} records/s`,
      )
      out.latency[format] = row
    }
  })
  const l = out.loopback.ndjson
  return {
    ...out,
    extract_vs_undici: l.client.recordsPerS / l.undici.recordsPerS,
    extract_vs_naive: l.client.recordsPerS / l.naive.recordsPerS,
    extract_latency_vs_undici: out.latency.ndjson.client.recordsPerS / out.latency.ndjson.undici.recordsPerS,
    // Issue 25's name for the same comparison (goal ≥ 8×).
    fanout_vs_sequential: out.latency.ndjson.client.recordsPerS / out.latency.ndjson.undici.recordsPerS,
    // Every client run counts, the partitioned ones included.
    extract_peak_rss_mb: Math.max(
      ...formats.flatMap((f) => [out.loopback[f].client.maxRssMb, out.latency[f].client.maxRssMb]),
    ),
  }
}
