import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SPOOL } from '../src/extract.ts'
import { createConcurClient, type ExtractProgress, extract, type OutputFormat } from '../src/index.ts'
import { startThings, THINGS, type ThingsServer } from './helpers/things.ts'

const FAST = { minTimeout: 1, maxTimeout: 5, maxRetries: 12 }
const auth = { getAccessToken: async () => 'good' }
/** Adjacent createDate ranges between consecutive bounds: the partitions of a date-split extract. */
const createDateRanges = (bounds: readonly string[]) =>
  bounds.slice(0, -1).map((from, i) => ({ dateField: 'createDate', from, to: bounds[i + 1]! }))
/** Runs an extract and aborts it once `pages` pages are written; resolves with the pages reached. */
async function extractStoppedAfter(pages: number, options: Omit<Parameters<typeof extract>[0], 'signal'>) {
  const stop = new AbortController()
  let reached = 0
  await expect(
    extract({
      ...options,
      signal: stop.signal,
      onProgress: (p) => {
        reached = p.pages
        if (p.pages >= pages) stop.abort()
      },
    }),
  ).rejects.toThrow()
  return reached
}

describe('extract', () => {
  let s: ThingsServer
  let dir: string
  beforeAll(async () => {
    s = await startThings(1_234)
    dir = await mkdtemp(join(tmpdir(), 'concurkit-extract-'))
  })
  afterAll(async () => {
    await s.close()
    await rm(dir, { recursive: true, force: true })
  })
  const client = () => createConcurClient({ auth, baseUrl: s.url, resources: [THINGS], retry: FAST })

  it.each(['ndjson', 'csv', 'json'] as OutputFormat[])(
    'writes %s completely, atomically, with progress',
    async (format) => {
      const c = client()
      const out = join(dir, `all.${format}`)
      const progress: ExtractProgress[] = []
      const [r] = await extract({
        client: c,
        resources: 'expense-entries',
        format,
        out,
        onProgress: (p) => progress.push(p),
      })
      expect(r!.records).toBe(1_234)
      expect(r!.pages).toBe(13)
      expect(existsSync(`${out}.part`)).toBe(false)
      expect(existsSync(`${out}.part.checkpoint.json`)).toBe(false)
      const text = await readFile(out, 'utf8')
      if (format === 'ndjson') {
        const lines = text
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l))
        expect(lines.map((l) => l.ID)).toEqual(Array.from({ length: 1_234 }, (_, i) => s.record(i).ID))
      }
      if (format === 'json') expect((JSON.parse(text) as unknown[]).length).toBe(1_234)
      if (format === 'csv') {
        const lines = text.trimEnd().split('\n')
        expect(lines[0]).toBe('ID,URI,Name,Amount,CreateDate,LastModifiedDate,OwnerLoginID,Custom1,Comment')
        expect(lines.length).toBe(1_235)
        expect(lines[1]).toContain('"Thing 0 ""quoted"", with comma"')
      }
      expect(progress.at(-1)).toMatchObject({ records: 1_234, pages: 13, done: true })
      expect(progress.at(-1)!.rate).toBeGreaterThan(0)
      await c.close()
    },
  )

  it('resumes after SIGKILL and produces a byte-identical file', async () => {
    const slow = await startThings(3_000, { faults: { latencyMs: 25 } })
    const reference = join(dir, 'reference.ndjson')
    const c = createConcurClient({ auth, baseUrl: slow.url, resources: [THINGS], retry: FAST })
    await extract({ client: c, resources: 'expense-entries', format: 'ndjson', out: reference })

    const out = join(dir, 'killed.ndjson')
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@concurkit/source',
        fileURLToPath(new URL('./fixtures/extract-child.ts', import.meta.url)),
        slow.url,
        out,
        'ndjson',
      ],
      { stdio: 'ignore', cwd: fileURLToPath(new URL('..', import.meta.url)) },
    )
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, sig) => resolve(sig)),
    )
    const checkpoint = `${out}.part.checkpoint.json`
    const deadline = Date.now() + 15_000
    let records = 0
    while (Date.now() < deadline) {
      try {
        records = JSON.parse(await readFile(checkpoint, 'utf8')).records
      } catch {
        records = 0
      }
      if (records >= 500) break
      await new Promise((r) => setTimeout(r, 10))
    }
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    expect(records).toBeGreaterThanOrEqual(500)
    expect(existsSync(out)).toBe(false)
    const [r] = await extract({ client: c, resources: 'expense-entries', format: 'ndjson', out })
    expect(r!.resumed).toBe(true)
    expect(r!.records).toBe(3_000)
    expect(Buffer.compare(await readFile(out), await readFile(reference))).toBe(0)
    await c.close()
    await slow.close()
  })

  it('partitioned extraction is ≥3x a sequential walk at 150 ms per page, each record once', async () => {
    // The page latency dominates the CPU work, so the ratio holds on a busy machine too.
    const slow = await startThings(3_000, { faults: { latencyMs: 150 } })
    const c = createConcurClient({
      auth,
      baseUrl: slow.url,
      resources: [THINGS],
      retry: FAST,
      concurrency: 8,
    })
    const t0 = Date.now()
    const seq = join(dir, 'seq.ndjson')
    await extract({
      client: c,
      resources: 'expense-entries',
      format: 'ndjson',
      out: seq,
      list: { limit: 100 },
    })
    const sequential = Date.now() - t0
    // Eight createDate ranges covering 2024 and after, without overlap.
    const bounds = [
      '2024-01-01',
      '2024-02-15',
      '2024-04-01',
      '2024-05-15',
      '2024-07-01',
      '2024-08-15',
      '2024-10-01',
      '2024-11-15',
      '2030-01-01',
    ]
    const partitions = createDateRanges(bounds)
    const t1 = Date.now()
    const par = join(dir, 'par.ndjson')
    const [r] = await extract({
      client: c,
      resources: 'expense-entries',
      format: 'ndjson',
      out: par,
      partitions,
      concurrency: 8,
      list: { limit: 100 },
    })
    const parallel = Date.now() - t1
    expect(r!.records).toBe(3_000)
    expect(Buffer.compare(await readFile(par), await readFile(seq))).toBe(0)
    // Eight partitions ideally give 8x; 3x leaves room for a loaded machine.
    expect(sequential / parallel).toBeGreaterThanOrEqual(3)
    await c.close()
    await slow.close()
  })

  it('an interrupted partitioned extract runs again to the same bytes; results carry their SHA-256', async () => {
    const c = client()
    const seq = join(dir, 'seq-sha.ndjson')
    const [whole] = await extract({ client: c, resources: 'expense-entries', format: 'ndjson', out: seq })
    expect(whole!.sha256).toBe(
      createHash('sha256')
        .update(await readFile(seq))
        .digest('hex'),
    )
    const bounds = ['2000-01-01', '2024-03-01', '2024-06-01', '2024-09-01', '2030-01-01']
    const partitions = createDateRanges(bounds)
    const out = join(dir, 'par-stopped.ndjson')
    const options = {
      client: c,
      resources: 'expense-entries',
      format: 'ndjson',
      out,
      partitions,
      concurrency: 2,
      list: { limit: 25 },
    } as const
    await extractStoppedAfter(5, options)
    expect(existsSync(out)).toBe(false)
    const [r] = await extract(options)
    expect(r!.records).toBe(1_234)
    expect(Buffer.compare(await readFile(out), await readFile(seq))).toBe(0)
    expect(r!.sha256).toBe(whole!.sha256)
    expect(
      (await readdir(dir)).filter((f) => f.startsWith('par-stopped') && f !== 'par-stopped.ndjson'),
    ).toEqual([])
    await c.close()
  })

  it.each([
    ['every partition through its temp file', 0],
    ['some partitions in memory, others spilled part way', 40_000],
    ['every partition in memory', 64 * 1024 * 1024],
  ])('partitioned output is the sequential file byte for byte: %s', async (_, budget) => {
    const c = client()
    const seq = join(dir, `seq-spool-${budget}.csv`)
    const [whole] = await extract({ client: c, resources: 'expense-entries', format: 'csv', out: seq })
    const bounds = ['2000-01-01', '2024-02-01', '2024-04-01', '2024-06-01', '2024-09-01', '2030-01-01']
    const partitions = createDateRanges(bounds)
    const out = join(dir, `par-spool-${budget}.csv`)
    const [r] = await extract({
      client: c,
      resources: 'expense-entries',
      format: 'csv',
      out,
      partitions,
      concurrency: 3,
      list: { limit: 20 },
      [SPOOL]: budget,
    })
    expect(r!.records).toBe(1_234)
    expect(Buffer.compare(await readFile(out), await readFile(seq))).toBe(0)
    expect(r!.sha256).toBe(whole!.sha256)
    expect(
      (await readdir(dir)).filter((f) => f.startsWith(`par-spool-${budget}`) && !f.endsWith('.csv')),
    ).toEqual([])
    await c.close()
  })

  it('many one-page partitions held in memory join (in batched writes) to the sequential JSON file', async () => {
    const c = client()
    const seq = join(dir, 'seq-batch.json')
    const [whole] = await extract({ client: c, resources: 'expense-entries', format: 'json', out: seq })
    // 31 windows of 12 days (~40 records each, one page of 100) and the rest of time.
    const bounds = Array.from({ length: 31 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + 12 * i)).toISOString())
    const partitions = createDateRanges(['2000-01-01', ...bounds, '2030-01-01'])
    const out = join(dir, 'par-batch.json')
    const [r] = await extract({
      client: c,
      resources: 'expense-entries',
      format: 'json',
      out,
      partitions,
      concurrency: 16,
      list: { limit: 100 },
    })
    expect(r!.records).toBe(1_234)
    expect(r!.pages).toBe(partitions.length)
    expect(Buffer.compare(await readFile(out), await readFile(seq))).toBe(0)
    expect(r!.sha256).toBe(whole!.sha256)
    expect((await readdir(dir)).filter((f) => f.startsWith('par-batch') && f !== 'par-batch.json')).toEqual(
      [],
    )
    await c.close()
  })

  it('a partition that checkpoints leaves memory for its temp file, and an interrupted run resumes from it', async () => {
    // 150 ms per page: every partition of several pages is due a checkpoint after its first page.
    const slow = await startThings(400, { faults: { latencyMs: 150 } })
    const c = createConcurClient({ auth, baseUrl: slow.url, resources: [THINGS], retry: FAST })
    const seq = join(dir, 'seq-slow.ndjson')
    await extract({
      client: c,
      resources: 'expense-entries',
      format: 'ndjson',
      out: seq,
      list: { limit: 100 },
    })
    const bounds = ['2000-01-01', '2024-07-01', '2030-01-01']
    const partitions = createDateRanges(bounds)
    const out = join(dir, 'par-slow.ndjson')
    const options = {
      client: c,
      resources: 'expense-entries',
      format: 'ndjson',
      out,
      partitions,
      concurrency: 2,
      list: { limit: 40 },
    } as const
    const pages = await extractStoppedAfter(4, options)
    expect(pages).toBeGreaterThanOrEqual(4)
    // Both partitions wrote their temp files and checkpoints before the stop.
    const left = (await readdir(dir)).filter((f) => f.startsWith('par-slow.ndjson.part'))
    expect(left).toEqual(
      expect.arrayContaining([
        'par-slow.ndjson.part0.checkpoint.json',
        'par-slow.ndjson.part1.checkpoint.json',
      ]),
    )
    const [r] = await extract(options)
    expect(r!.resumed).toBe(true)
    expect(r!.records).toBe(400)
    expect(Buffer.compare(await readFile(out), await readFile(seq))).toBe(0)
    expect((await readdir(dir)).filter((f) => f.startsWith('par-slow.ndjson.'))).toEqual([])
    await c.close()
    await slow.close()
  })

  it.each(['csv', 'json', 'ndjson'] as OutputFormat[])(
    'partitioned %s equals the sequential file, also when the first and a middle partition are empty',
    async (format) => {
      const c = client()
      const seq = join(dir, `seq-parts.${format}`)
      await extract({ client: c, resources: 'expense-entries', format, out: seq })
      const bounds = ['2000-01-01', '2001-01-01', '2024-03-01', '2024-03-01', '2024-09-01', '2030-01-01']
      const partitions = createDateRanges(bounds)
      const par = join(dir, `par-parts.${format}`)
      const [r] = await extract({ client: c, resources: 'expense-entries', format, out: par, partitions })
      expect(r!.records).toBe(1_234)
      const text = await readFile(par, 'utf8')
      if (format === 'csv') expect(text.startsWith('ID,URI,Name,')).toBe(true)
      if (format === 'json') expect((JSON.parse(text) as unknown[]).length).toBe(1_234)
      expect(Buffer.compare(await readFile(par), await readFile(seq))).toBe(0)

      // Every partition empty: the same bytes as an empty sequential extract.
      const none = [{ dateField: 'createDate', from: '2000-01-01', to: '2001-01-01' }]
      const emptySeq = join(dir, `empty-seq.${format}`)
      await extract({ client: c, resources: 'expense-entries', format, out: emptySeq, filter: none[0] })
      const emptyPar = join(dir, `empty-par.${format}`)
      await extract({
        client: c,
        resources: 'expense-entries',
        format,
        out: emptyPar,
        partitions: [...none, { dateField: 'createDate', from: '2001-01-01', to: '2002-01-01' }],
      })
      const empty = await readFile(emptyPar, 'utf8')
      expect(empty).toBe(await readFile(emptySeq, 'utf8'))
      expect(empty).toBe(
        {
          csv: 'ID,URI,Name,Amount,CreateDate,LastModifiedDate,OwnerLoginID,Custom1,Comment\n',
          json: '[]\n',
          ndjson: '',
        }[format],
      )
      await c.close()
    },
  )
})
