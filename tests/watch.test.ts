import type { ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { verifyWebhookSignature } from '@concurkit/client'
import { changeEventId } from '@concurkit/client/internal'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, credentialsEnv, spawn } from './cli-helpers.ts'

const KEY = 'e2e-webhook-signing-key'
const mock = createMockConcur({ seed: 17, size: 4, companies: 1, datacenters: ['us'] })
let running: RunningMock
let dir: string
let receiver: Server
let hookUrl: string

interface Delivery {
  eventId: string
  attempt: string | undefined
  status: number
  signed: boolean
  event: {
    id: string
    type: string
    objectId: string
    objectUri: string
    occurredAt: string
    record: unknown
  }
}
const deliveries: Delivery[] = []
/** Answer 500 to this many of the next requests. */
let failNext = 0
/** Hold the next request this long before answering (a delivery in flight). */
let holdNext = 0
let onHold: (() => void) | undefined

beforeAll(async () => {
  running = await mock.listen({ host: '127.0.0.1', port: 0 })
  dir = await mkdtemp(join(tmpdir(), 'concurkit-watch-e2e-'))
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const status = failNext > 0 ? 500 : 200
      if (failNext > 0) failNext -= 1
      const hold = holdNext
      holdNext = 0
      const answer = () => {
        deliveries.push({
          eventId: String(req.headers['concurkit-event-id']),
          attempt: req.headers['concurkit-delivery-attempt'] as string | undefined,
          status,
          signed: verifyWebhookSignature({ body, headers: req.headers, key: KEY, toleranceSeconds: 60 })
            .valid,
          event: JSON.parse(body) as Delivery['event'],
        })
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'down')
      }
      if (hold > 0) {
        onHold?.()
        setTimeout(answer, hold)
      } else answer()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
})

afterAll(async () => {
  await new Promise<void>((r) => receiver.close(() => r()))
  await running.close()
  await rm(dir, { recursive: true, force: true })
})

async function until(what: string, check: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

async function change(body: Record<string, unknown>): Promise<{ ID: string; eventId: string }> {
  const res = await fetch(`${running.admin}/_mock/dataset/expense-reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(200)
  const { ID, record } = (await res.json()) as { ID: string; record: { LastModifiedDate: string } }
  const at = new Date(`${record.LastModifiedDate}Z`).toISOString()
  return { ID, eventId: changeEventId('expense-reports', ID, at) }
}
const create = (name: string) => change({ action: 'create', fields: { Name: name } })
const rename = (id: string, name: string) => change({ action: 'update', id, fields: { Name: name } })

interface Watcher {
  child: ChildProcess
  stderr: () => string
  exit: Promise<number | null>
}

function startWatcher(): Watcher {
  const c = mock.state.companies[0]!
  const child = spawn(
    process.execPath,
    [
      CLI,
      'watch',
      'expense-reports',
      '--interval',
      '1s',
      '--callback',
      hookUrl,
      '--signing-key-env',
      'KEY',
      '--state-dir',
      join(dir, 'state'),
      '--retry-delay',
      '100ms',
    ],
    {
      env: {
        ...process.env,
        NO_COLOR: '1',
        KEY,
        CONCURKIT_CONFIG_DIR: dir,
        ...credentialsEnv(c),
        CONCUR_BASE_URL: running.datacenters.us!,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let err = ''
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
  })
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, stderr: () => err, exit }
}

const ok = (id: string) => deliveries.filter((d) => d.eventId === id && d.status === 200).length

describe('concurkit watch --callback (built CLI, mock, local receiver)', () => {
  it('delivers every change once, retries a failing receiver, survives a stop and a restart', async () => {
    const expected: string[] = []
    let w = startWatcher()
    try {
      await until('the watcher to start', () => w.stderr().includes('watching expense-reports'))

      // created reports and a modification arrive, signed
      const a = await create('E2E A')
      const b = await create('E2E B')
      expected.push(a.eventId, b.eventId)
      await until('A and B', () => ok(a.eventId) === 1 && ok(b.eventId) === 1)
      const first = deliveries.find((d) => d.eventId === a.eventId)!
      expect(first.event).toMatchObject({ type: 'created', objectId: a.ID })
      expect(first.event.objectUri).toBe(`${running.datacenters.us}/api/v3.0/expense/reports/${a.ID}`)

      // the receiver fails for a while: retried with the same event id, then delivered
      failNext = 3
      const a2 = await rename(a.ID, 'E2E A (renamed)')
      expected.push(a2.eventId)
      await until('A renamed, after three 500s', () => ok(a2.eventId) === 1)
      const tries = deliveries.filter((d) => d.eventId === a2.eventId)
      expect(tries.map((d) => d.status)).toEqual([500, 500, 500, 200])
      expect(tries.map((d) => d.attempt)).toEqual(['1', '2', '3', '4'])
      expect(tries[3]!.event).toMatchObject({ type: 'updated', objectId: a.ID })

      // SIGTERM while a delivery is in flight: the watcher waits for it, acknowledges it, exits 0
      holdNext = 700
      const held = new Promise<void>((r) => {
        onHold = r
      })
      const c = await create('E2E C')
      expected.push(c.eventId)
      await held
      w.child.kill('SIGTERM')
      expect(await w.exit).toBe(0)
      expect(ok(c.eventId)).toBe(1)
      expect(w.stderr()).toMatch(/stopped: delivered 4 event/)

      // changes while stopped arrive after the restart; nothing delivered before is repeated
      const b2 = await rename(b.ID, 'E2E B (renamed)')
      const d = await create('E2E D')
      expected.push(b2.eventId, d.eventId)
      w = startWatcher()
      await until('B renamed and D', () => ok(b2.eventId) === 1 && ok(d.eventId) === 1)
      await new Promise((r) => setTimeout(r, 1500)) // at least one more poll: no repeat
      w.child.kill('SIGTERM')
      expect(await w.exit).toBe(0)
    } finally {
      if (w.child.exitCode === null) w.child.kill('SIGKILL')
    }

    const delivered = deliveries.filter((x) => x.status === 200).map((x) => x.eventId)
    expect([...delivered].sort()).toEqual([...expected].sort()) // exactly once each, nothing else
    expect(deliveries.every((x) => x.signed)).toBe(true)
    expect(deliveries.every((x) => x.event.id === x.eventId)).toBe(true)
  })
})
