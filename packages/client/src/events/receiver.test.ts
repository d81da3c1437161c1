import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { signConcurEvent } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { toChangeEvent } from './change.js'
import { createEventReceiver, type ReceivedEvent } from './receiver.js'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const NOW = Date.parse('2026-05-01T12:00:00.000Z')

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../fixtures/concur-examples-v4/${name}`, import.meta.url), 'utf8')

function delivery(overrides: Record<string, unknown> = {}) {
  const event = {
    id: 'e1',
    correlationId: 'c1',
    eventType: 'statusChanged',
    topic: 'public.concur.expense.report',
    timeStamp: new Date(NOW - 1000).toISOString(),
    facts: { reportId: 'R1', href: 'https://us.example/r/R1' },
    ...overrides,
  }
  const body = JSON.stringify(event)
  return { body, signature: signConcurEvent(body, privateKey) }
}

const headers = (signature?: string) => (name: string) =>
  name === 'concur-signature' ? signature : name === 'concur-correlationid' ? 'c1' : undefined

describe('createEventReceiver', () => {
  it('accepts a signed event once, refuses tampered, unsigned, stale and malformed deliveries', async () => {
    const rejected: string[] = []
    const r = createEventReceiver({ publicKey, now: () => NOW, onRejected: (x) => rejected.push(x.reason) })
    const d = delivery()
    expect(await r.receive(d.body, headers(d.signature))).toBe(200)
    // A redelivery (same id) is acknowledged, not handed out again.
    expect(await r.receive(d.body, headers(d.signature))).toBe(200)
    expect(await r.receive(d.body.replace('R1', 'R2'), headers(d.signature))).toBe(401)
    expect(await r.receive(d.body, headers(undefined))).toBe(401)
    expect(await r.receive(d.body, headers('not base64 !'))).toBe(401)
    const stale = delivery({ id: 'e0', timeStamp: new Date(NOW - 73 * 3_600_000).toISOString() })
    expect(await r.receive(stale.body, headers(stale.signature))).toBe(400)
    const junk = 'not json'
    expect(await r.receive(junk, headers(signConcurEvent(junk, privateKey)))).toBe(400)
    r.close()
    const got: ReceivedEvent[] = []
    for await (const e of r) got.push(e)
    expect(got.map((e) => e.event.id)).toEqual(['e1'])
    expect(got[0]!.correlationId).toBe('c1')
    expect(r.stats).toEqual({ accepted: 1, duplicates: 1, rejected: 5 })
    expect(rejected).toContain('signature mismatch')
  })

  it('acks only after onEvent resolved; a failing handler answers 503 so Concur retries', async () => {
    let fail = true
    const handled: string[] = []
    const r = createEventReceiver({
      publicKey,
      now: () => NOW,
      onEvent: (e) => {
        if (fail) throw new Error('downstream down')
        handled.push(e.event.id)
      },
    })
    const d = delivery()
    expect(await r.receive(d.body, headers(d.signature))).toBe(503)
    fail = false
    expect(await r.receive(d.body, headers(d.signature))).toBe(200)
    expect(await r.receive(d.body, headers(d.signature))).toBe(200)
    expect(handled).toEqual(['e1'])
  })

  it('serves fetch-style requests (Hono) and refuses other methods', async () => {
    const r = createEventReceiver({ publicKey, now: () => NOW })
    const d = delivery()
    const res = await r.fetch(
      new Request('http://x/hook', {
        method: 'POST',
        body: d.body,
        headers: { 'concur-signature': d.signature },
      }),
    )
    expect(res.status).toBe(200)
    expect((await r.fetch(new Request('http://x/hook'))).status).toBe(405)
  })

  it("loads Concur's published keys and refuses a bad key at once", () => {
    const keys = [
      fixture('ess-v4-signature-public-key-after-2025-10-22.pem'),
      fixture('ess-v4-signature-public-key-before-2025-10-22.pem'),
    ]
    const r = createEventReceiver({ publicKey: keys })
    expect(r.stats.accepted).toBe(0)
    expect(() => createEventReceiver({ publicKey: 'not a key' })).toThrow(/PUBLIC KEY/)
  })

  it('maps an event to the change event shape of watch', () => {
    const sample = JSON.parse(fixture('event-expense-report-statusChanged-submit.json'))
    expect(toChangeEvent(sample)).toEqual({
      id: sample.id,
      type: 'updated',
      resource: 'expense-reports',
      objectId: 'CB899F7D9F73420A8D8B',
      objectUri: sample.facts.href,
      record: sample,
      occurredAt: sample.timeStamp,
    })
    expect(toChangeEvent(JSON.parse(fixture('event-expense-report-reportDeleted.json'))).type).toBe('deleted')
  })
})
