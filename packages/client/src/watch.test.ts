import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MockFixture, startMock } from '../test/helpers/mock.ts'
import type { ConcurClient } from './client.js'
import { type CursorStore, fileCursorStore, memoryCursorStore, type SyncCursor } from './cursor.js'
import { type ChangeEvent, changeEventId, parseDuration, watch } from './watch.js'
import {
  deliverEvents,
  deliverWebhooks,
  signWebhook,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_REASONS,
  WebhookDeliveryError,
} from './webhook.js'

const KEY = 'k3y-for-tests'

describe('webhook signatures', () => {
  const body = '{"id":"abc","type":"created"}'
  const t = 1_700_000_000

  it('signs t=<unix>,v1=<hex HMAC-SHA256 of "t.body"> and verifies it', () => {
    const header = signWebhook(body, KEY, t)
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/)
    expect(verifyWebhookSignature({ body, header, key: KEY, now: t + 10 })).toEqual({
      valid: true,
      timestamp: t,
    })
    expect(verifyWebhookSignature({ body: Buffer.from(body), header, key: KEY, now: t })).toMatchObject({
      valid: true,
    })
    // the same signature whatever the header container
    expect(
      verifyWebhookSignature({ body, headers: { 'Concurkit-Signature': header }, key: KEY, now: t }).valid,
    ).toBe(true)
    expect(
      verifyWebhookSignature({
        body,
        headers: new Headers({ 'concurkit-signature': header }),
        key: KEY,
        now: t,
      }).valid,
    ).toBe(true)
  })

  it('refuses a tampered body, a wrong key, a tampered timestamp', () => {
    const header = signWebhook(body, KEY, t)
    const mismatch = { valid: false, reason: WEBHOOK_SIGNATURE_REASONS.MISMATCH }
    expect(
      verifyWebhookSignature({ body: body.replace('created', 'updated'), header, key: KEY, now: t }),
    ).toMatchObject(mismatch)
    expect(verifyWebhookSignature({ body, header, key: 'other-key', now: t })).toMatchObject(mismatch)
    const shifted = header.replace(`t=${t}`, `t=${t + 1}`)
    expect(verifyWebhookSignature({ body, header: shifted, key: KEY, now: t })).toMatchObject(mismatch)
  })

  it('refuses old (replayed) and far-future timestamps', () => {
    const header = signWebhook(body, KEY, t)
    const expired = { valid: false, reason: WEBHOOK_SIGNATURE_REASONS.EXPIRED }
    expect(verifyWebhookSignature({ body, header, key: KEY, now: t + 301 })).toMatchObject(expired)
    expect(verifyWebhookSignature({ body, header, key: KEY, now: t + 300 }).valid).toBe(true)
    expect(verifyWebhookSignature({ body, header, key: KEY, now: t - 301 })).toMatchObject(expired)
    expect(
      verifyWebhookSignature({ body, header, key: KEY, now: t + 30, toleranceSeconds: 10 }),
    ).toMatchObject(expired)
  })

  it('reports missing and malformed headers, accepts any key of a rotation', () => {
    const reason = (r: ReturnType<typeof verifyWebhookSignature>) => (r.valid ? 'valid' : r.reason)
    expect(reason(verifyWebhookSignature({ body, headers: {}, key: KEY }))).toBe('signature_missing')
    expect(reason(verifyWebhookSignature({ body, header: 'v1=zz', key: KEY }))).toBe('signature_malformed')
    expect(reason(verifyWebhookSignature({ body, header: `t=${t}`, key: KEY, now: t }))).toBe(
      'signature_malformed',
    )
    const header = signWebhook(body, 'new-key', t)
    expect(verifyWebhookSignature({ body, header, key: ['old-key', 'new-key'], now: t }).valid).toBe(true)
    const both = `${header},v1=${'0'.repeat(64)}`
    expect(verifyWebhookSignature({ body, header: both, key: 'new-key', now: t }).valid).toBe(true)
    expect(() => signWebhook(body, '', t)).toThrow(/signing key/)
  })
})

describe('parseDuration and event ids', () => {
  it('parses ms, s, m, h; refuses nonsense', () => {
    expect(parseDuration('500ms')).toBe(500)
    expect(parseDuration('30s')).toBe(30_000)
    expect(parseDuration('5m')).toBe(300_000)
    expect(parseDuration('1h')).toBe(3_600_000)
    expect(parseDuration('2')).toBe(2000)
    expect(parseDuration(250)).toBe(250)
    expect(() => parseDuration('soon')).toThrow(/not a duration/)
    expect(() => parseDuration(-1)).toThrow()
  })

  it('an event id depends only on resource, object id and modification instant', () => {
    const a = changeEventId('expense-reports', 'R1', '2026-01-01T00:00:00.000Z')
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(changeEventId('expense-reports', 'R1', '2026-01-01T00:00:00.000Z')).toBe(a)
    expect(changeEventId('expense-reports', 'R1', '2026-01-01T00:00:00.001Z')).not.toBe(a)
    expect(changeEventId('expense-entries', 'R1', '2026-01-01T00:00:00.000Z')).not.toBe(a)
  })
})

/** A store that records every write, to see when the cursor moves. */
function recordingStore(): CursorStore & { writes: SyncCursor[] } {
  const inner = memoryCursorStore()
  const writes: SyncCursor[] = []
  return {
    writes,
    get: (k) => inner.get(k),
    async set(k, c) {
      writes.push(structuredClone(c))
      await inner.set(k, c)
    },
  }
}

describe('watch against the mock', () => {
  let f: MockFixture
  let client: ConcurClient
  let dir: string
  beforeAll(async () => {
    f = await startMock({ seed: 5, size: 12 })
    client = await f.client()
    dir = await mkdtemp(join(tmpdir(), 'concurkit-watch-'))
  })
  afterAll(async () => {
    await f.close()
    await rm(dir, { recursive: true, force: true })
  })

  const create = (name: string) =>
    f.adminCall<{ ID: string }>('POST', '/_mock/dataset/expense-reports', {
      action: 'create',
      fields: { Name: name },
    })
  const update = (id: string, name: string) =>
    f.adminCall('POST', '/_mock/dataset/expense-reports', { action: 'update', id, fields: { Name: name } })
  const tick = (seconds = 1) => f.adminCall('POST', '/_mock/clock', { advanceSeconds: seconds })

  it('yields created/updated events in order and moves the cursor only once an event is handled', async () => {
    const store = recordingStore()
    // the first start stores its cursor before anything is read
    const first = watch(client, 'expense-reports', { cursorStore: store, once: true, interval: '1s' })
    for await (const _ of first) expect.unreachable('no change yet')
    expect(store.writes).toHaveLength(1)
    const initial = store.writes[0]!
    expect(initial.highWater).toBeDefined()

    const a = await create('Watch A')
    await tick()
    const b = await create('Watch B')
    await tick()
    await update(a.ID, 'Watch A (renamed)')

    const w = watch(client, 'expense-reports', { cursorStore: store, once: true })
    const it = w[Symbol.asyncIterator]()
    const e1 = (await it.next()).value as ChangeEvent
    expect(e1).toMatchObject({ type: 'created', resource: 'expense-reports', objectId: b.ID })
    expect(e1.objectUri).toMatch(new RegExp(`/api/v3.0/expense/reports/${b.ID}$`))
    expect(e1.record.Name).toBe('Watch B')
    expect(Object.values(e1.record)).not.toContain(null) // null values dropped by default
    expect(store.writes).toHaveLength(1) // handed out, not yet handled: the cursor has not moved
    const e2 = (await it.next()).value as ChangeEvent
    expect(e2).toMatchObject({ type: 'updated', objectId: a.ID })
    expect(e2.record.Name).toBe('Watch A (renamed)')
    expect(store.writes).toHaveLength(2) // e1 handled
    expect(store.writes[1]!.highWater).toBe(String(e1.record.LastModifiedDate))
    expect(e2.id).toBe(changeEventId('expense-reports', a.ID, e2.occurredAt))
    // crash: e2 handed out but never acknowledged → the next watch delivers it again, same id
    await it.return?.()
    expect(store.writes).toHaveLength(2)

    const again = watch(client, 'expense-reports', { cursorStore: store, once: true })
    const replay: ChangeEvent[] = []
    for await (const e of again) replay.push(e)
    expect(replay.map((e) => e.id)).toEqual([e2.id])
    expect(store.writes).toHaveLength(3) // acknowledged when the iteration ended normally

    const none = watch(client, 'expense-reports', { cursorStore: store, once: true })
    for await (const _ of none) expect.unreachable('nothing new')
  })

  it('ack() stores the cursor explicitly; a file cursor survives a new watcher', async () => {
    const path = join(dir, 'cursors.json')
    const store = fileCursorStore(path)
    const since = new Date(f.mock.state.clock.now())
    const w0 = watch(client, 'expense-reports', { cursorStore: store, once: true, key: 'k', since })
    for await (const _ of w0) expect.unreachable('nothing yet')
    const c = await create('Watch C')
    const w = watch(client, 'expense-reports', { cursorStore: store, once: true, key: 'k', dropNulls: false })
    const it = w[Symbol.asyncIterator]()
    const e = (await it.next()).value as ChangeEvent
    expect(e.objectId).toBe(c.ID)
    expect(Object.values(e.record)).toContain(null) // dropNulls: false keeps them
    await w.ack()
    await it.return?.()
    const stored = JSON.parse(await readFile(path, 'utf8')) as Record<string, SyncCursor>
    expect(stored.k).toMatchObject({ resource: 'expense-reports', boundaryIds: [c.ID] })
    const next = watch(client, 'expense-reports', { cursorStore: store, once: true, key: 'k' })
    for await (const _ of next) expect.unreachable('acknowledged before the stop')
  })

  it('watches entries (no modified filter in the API: compared client-side)', async () => {
    const store = memoryCursorStore()
    const since = new Date(f.mock.state.clock.now())
    const w0 = watch(client, 'expense-entries', { cursorStore: store, once: true, since })
    for await (const _ of w0) expect.unreachable('nothing yet')
    const r = await create('With an entry')
    const entry = await f.adminCall<{ ID: string }>('POST', '/_mock/dataset/expense-entries', {
      action: 'create',
      fields: {
        ReportID: r.ID,
        ExpenseTypeCode: 'LODNG',
        TransactionAmount: 120,
        TransactionCurrencyCode: 'USD',
        TransactionDate: '2026-01-02T00:00:00',
      },
    })
    const events: ChangeEvent[] = []
    for await (const e of watch(client, 'expense-entries', { cursorStore: store, once: true })) events.push(e)
    expect(events.map((e) => [e.objectId, e.type])).toEqual([[entry.ID, 'updated']])
  })

  it('refuses resources without a modified date and filters that fight the cursor', () => {
    expect(() => watch(client, 'locations', { cursorStore: memoryCursorStore() })).toThrow(/modified date/)
    expect(() =>
      watch(client, 'expense-reports', {
        cursorStore: memoryCursorStore(),
        filter: { modifiedDateAfter: '2024-01-01' },
      }),
    ).toThrow(/modifiedDateAfter/)
  })

  it('stops cleanly when the signal fires between polls', async () => {
    const controller = new AbortController()
    const w = watch(client, 'expense-reports', {
      cursorStore: memoryCursorStore(),
      since: new Date(f.mock.state.clock.now() + 3_600_000),
      interval: '10s',
      signal: controller.signal,
      onPoll: () => {
        setTimeout(() => controller.abort(), 20)
      },
    })
    const started = Date.now()
    for await (const _ of w) expect.unreachable('no change')
    expect(Date.now() - started).toBeLessThan(5000)
  })
})

/** An in-memory event source that records acknowledgements. */
function source(ids: string[]) {
  const acked: string[] = []
  let last: string | undefined
  return {
    acked,
    async ack() {
      if (last !== undefined) acked.push(last)
      last = undefined
    },
    async *[Symbol.asyncIterator]() {
      for (const id of ids) {
        last = id
        yield { id }
      }
    },
  }
}

describe('deliverEvents', () => {
  it('retries with backoff, acknowledges only after a delivery, dead-letters what keeps failing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'concurkit-dl-'))
    try {
      const src = source(['a', 'b', 'c'])
      const tries = new Map<string, number>()
      const deadLetter = join(dir, 'dead.ndjson')
      const result = await deliverEvents(src, {
        attempts: 3,
        minDelay: 1,
        maxDelay: 5,
        deadLetter,
        async deliver(e) {
          const n = (tries.get(e.id) ?? 0) + 1
          tries.set(e.id, n)
          expect(src.acked).not.toContain(e.id)
          if (e.id === 'a' && n < 3) throw new Error('receiver down')
          if (e.id === 'b') throw new Error('always failing')
        },
      })
      expect(result).toMatchObject({ delivered: 2, deadLettered: 1, attempts: 7, stopped: false })
      expect(Object.fromEntries(tries)).toEqual({ a: 3, b: 3, c: 1 })
      expect(src.acked).toEqual(['a', 'b', 'c'])
      const lines = (await readFile(deadLetter, 'utf8')).trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(JSON.parse(lines[0]!)).toMatchObject({
        event: { id: 'b' },
        attempts: 3,
        error: 'always failing',
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('without a dead-letter file an event that keeps failing ends the run, unacknowledged', async () => {
    const src = source(['a', 'b'])
    await expect(
      deliverEvents(src, {
        attempts: 2,
        minDelay: 1,
        deliver: async (e) => {
          if (e.id === 'b') throw new Error('no')
        },
      }),
    ).rejects.toBeInstanceOf(WebhookDeliveryError)
    expect(src.acked).toEqual(['a'])
  })

  it('a stop during a backoff leaves the event unacknowledged', async () => {
    const controller = new AbortController()
    const src = source(['a', 'b'])
    const result = await deliverEvents(src, {
      minDelay: 10_000,
      signal: controller.signal,
      deliver: async (e) => {
        if (e.id === 'b') {
          setTimeout(() => controller.abort(), 10)
          throw new Error('down')
        }
      },
    })
    expect(result).toMatchObject({ delivered: 1, stopped: true })
    expect(src.acked).toEqual(['a'])
  })
})

describe('deliverWebhooks', () => {
  let server: Server
  let url: string
  const received: { headers: IncomingMessage['headers']; body: string; status: number }[] = []
  let failFirst = 0
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const status = failFirst-- > 0 ? 500 : 204
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status })
        res.writeHead(status).end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('POSTs signed JSON with the event id; a 500 is retried with the same id and body', async () => {
    failFirst = 2
    const src = source(['e1', 'e2'])
    const result = await deliverWebhooks(src, { url, key: KEY, minDelay: 1, maxDelay: 5 })
    expect(result).toMatchObject({ delivered: 2, attempts: 4 })
    expect(received.map((r) => [JSON.parse(r.body).id, r.status])).toEqual([
      ['e1', 500],
      ['e1', 500],
      ['e1', 204],
      ['e2', 204],
    ])
    for (const r of received) {
      expect(r.headers['content-type']).toBe('application/json')
      expect(r.headers['concurkit-event-id']).toBe(JSON.parse(r.body).id)
      expect(verifyWebhookSignature({ body: r.body, headers: r.headers, key: KEY }).valid).toBe(true)
    }
    expect(received.map((r) => r.headers['concurkit-delivery-attempt'])).toEqual(['1', '2', '3', '1'])
    expect(src.acked).toEqual(['e1', 'e2'])
  })

  it('refuses a bad URL; a refused connection is retried then fails', async () => {
    await expect(deliverWebhooks(source([]), { url: 'not a url' })).rejects.toThrow(/not a URL/)
    await expect(deliverWebhooks(source([]), { url: 'ftp://x/' })).rejects.toThrow(/http/)
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((r) => closed.close(() => r()))
    const err = await deliverWebhooks(source(['x']), {
      url: `http://127.0.0.1:${port}/`,
      attempts: 2,
      minDelay: 1,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WebhookDeliveryError)
    expect((err as WebhookDeliveryError).attempts).toBe(2)
  })
})
