import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extract } from '../src/index.ts'
import { digester, type MockFixture, startMockProcess } from './helpers/mock.ts'

/**
 * Expense reports in the mock company: three entries each, so 100,002 entries. The run time is the
 * mock's: it generates every page on demand (~50–95 ms per 100 entries on a busy 2-core machine, the
 * same with raw undici requests as through the client), and the manifest is one more full pass.
 */
const REPORTS = 33_334

describe('a full extract under Concur-like faults (mock in its own process)', () => {
  let f: Omit<MockFixture, 'mock'>
  let dir: string
  beforeAll(async () => {
    f = await startMockProcess({ seed: 5, size: REPORTS })
    dir = await mkdtemp(join(tmpdir(), 'concurkit-faults-'))
  }, 60_000)
  afterAll(async () => {
    await f?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('100,000 expense entries through 10% 500s, 5% 429 + Retry-After, 2% resets, 1% truncated bodies: the manifest’s exact count and checksum', async () => {
    const path = '/api/v3.0/expense/entries'
    const rules = [
      { path, probability: 0.1, status: 500 },
      { path, probability: 0.05, status: 429, retryAfter: 1 },
      { path, probability: 0.02, reset: true },
      { path, probability: 0.01, truncate: true },
    ]
    // Admin calls are never faulted; the manifest is one server-side pass over every entry.
    const expected = await f.manifest('expense-entries', { user: 'ALL' })
    expect(expected.count).toBeGreaterThanOrEqual(100_000)
    for (const rule of rules) await f.adminCall('POST', '/_mock/faults', rule)

    // Retry-After: 1 s is honoured up to maxTimeout (20 ms here, so the test stays fast).
    const client = await f.client()
    const out = join(dir, 'entries.ndjson')
    const [result] = await extract({
      client,
      resources: 'expense-entries',
      format: 'ndjson',
      out,
      filter: { user: 'ALL' },
      list: { limit: 100 },
    })
    expect(result!.records).toBe(expected.count)

    // Recompute the manifest's checksum from the file (records as written, `URI` left out).
    const d = digester()
    const ids = new Set<string>()
    const lines = createInterface({ input: createReadStream(out), crlfDelay: Number.POSITIVE_INFINITY })
    for await (const line of lines) {
      const { URI: _uri, ...record } = JSON.parse(line) as Record<string, unknown>
      ids.add(String(record.ID))
      d.add(record)
    }
    expect(ids.size).toBe(expected.count)
    expect(d.result()).toEqual(expected)

    // Every kind of fault fired, and the client retried through them.
    const { faults } = await f.adminCall<{ faults: { fired: number; status?: number }[] }>(
      'GET',
      '/_mock/faults',
    )
    for (const rule of faults) expect(rule.fired).toBeGreaterThan(0)
    expect(client.transport.stats.retries + faults.reduce((a, r) => a + r.fired, 0)).toBeGreaterThan(100)
  }, 400_000)
})
