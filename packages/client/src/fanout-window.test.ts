import { passwordGrant } from '@concurkit/auth'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConcurClient } from './client.js'
import { changesSince } from './cursor.js'
import { CLIENT_ERROR_CODES, ConcurClientError } from './errors.js'
import { staticToken } from './http.js'

// A fan-out row (payment requests: one detail read per digest) over 3 parent pages, with one slow
// detail read on each page. Reads of the next parent pages must not wait for the slowest read of
// the page before (a sliding window over parents), while pages stay whole, in order, exactly once.
const mock = createMockConcur({ seed: 2501, size: 30, companies: 1, datacenters: ['us'] })
const c = mock.state.companies[0]!
const DELAY_MS = 1000
let running: RunningMock
let client: ReturnType<typeof createConcurClient>

beforeAll(async () => {
  running = await mock.listen({ host: '127.0.0.1', port: 0 })
  const base = running.datacenters.us!
  const tokens = await passwordGrant({
    clientId: c.apps[0]!.clientId,
    clientSecret: c.apps[0]!.clientSecret,
    username: c.users[0]!.loginId,
    password: c.users[0]!.password,
    baseUrl: base,
  })
  client = createConcurClient({ auth: staticToken(tokens.accessToken.reveal(), base), concurrency: 4 })
})
afterAll(async () => {
  await client.transport.close()
  await running.close()
})

async function slow(path: string): Promise<string> {
  const res = await fetch(`${running.admin}/_mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'GET', path, delayMs: DELAY_MS }),
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: string }).id
}

describe('fan-out rows read details through a sliding window over parent pages', () => {
  it('overlaps the slow reads of successive parent pages and keeps pages whole, ordered and exactly once', async () => {
    const rows = client.resource('payment-requests')
    const digests = await rows.parent!.list({}, { limit: 10 }).toArray()
    expect(digests).toHaveLength(30)
    const ids = digests.map((d) => String(d.ID))
    const faults = await Promise.all(
      [ids[0]!, ids[10]!, ids[20]!].map((id) => slow(`/api/v3.0/invoice/paymentrequest/${id}`)),
    )
    try {
      const t0 = performance.now()
      const pages: string[][] = []
      for await (const page of rows.pages({}, { limit: 10 })) pages.push(page.items.map((r) => String(r.ID)))
      const ms = performance.now() - t0
      expect(pages).toEqual([ids.slice(0, 10), ids.slice(10, 20), ids.slice(20, 30)])
      // Waiting per page would take 3 × DELAY_MS; the window overlaps the three slow reads.
      expect(ms).toBeGreaterThanOrEqual(DELAY_MS - 50)
      expect(ms).toBeLessThan(2 * DELAY_MS)
    } finally {
      for (const id of faults) await fetch(`${running.admin}/_mock/faults/${id}`, { method: 'DELETE' })
    }
  })

  it('skips the detail reads not started yet when the walk is left early', async () => {
    const rows = client.resource('payment-requests')
    // A rule with no delay only counts the detail reads it matches.
    const res = await fetch(`${running.admin}/_mock/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'GET', path: '/api/v3.0/invoice/paymentrequest/*', delayMs: 0 }),
    })
    const { id } = (await res.json()) as { id: string }
    try {
      const first: string[] = []
      for await (const page of rows.pages({}, { limit: 10 })) {
        first.push(...page.items.map((r) => String(r.ID)))
        break
      }
      expect(first).toHaveLength(10)
      await new Promise((r) => setTimeout(r, 300))
      const { faults } = (await (await fetch(`${running.admin}/_mock/faults`)).json()) as {
        faults: { id: string; matched: number }[]
      }
      const matched = faults.find((f) => f.id === id)!.matched
      // The first page's 10 reads, and at most the reads in flight (concurrency 4) beyond them.
      expect(matched).toBeGreaterThanOrEqual(10)
      expect(matched).toBeLessThanOrEqual(14)
    } finally {
      await fetch(`${running.admin}/_mock/faults/${id}`, { method: 'DELETE' })
    }
  })

  it('yields a page as soon as its reads are done, not after the parent pages read ahead of it', async () => {
    const rows = client.resource('payment-requests')
    // Every parent page (a digest page of 10) takes DELAY_MS: reading two of them ahead before the
    // first page came out would hold it back for 3 × DELAY_MS.
    const fault = await slow('/api/v3.0/invoice/paymentrequestdigests')
    try {
      const t0 = performance.now()
      let firstMs = 0
      let pages = 0
      for await (const page of rows.pages({}, { limit: 10 })) {
        expect(page.items).toHaveLength(10)
        if (pages++ === 0) firstMs = performance.now() - t0
      }
      expect(pages).toBe(3)
      expect(firstMs).toBeGreaterThanOrEqual(DELAY_MS - 50)
      expect(firstMs).toBeLessThan(2 * DELAY_MS)
    } finally {
      await fetch(`${running.admin}/_mock/faults/${fault}`, { method: 'DELETE' })
    }
  })

  it('ends with an abort error when the signal fires, never as if the records had ended', async () => {
    const rows = client.resource('payment-requests')
    const fault = await slow('/api/v3.0/invoice/paymentrequestdigests')
    const controller = new AbortController()
    const seen: number[] = []
    try {
      const walk = (async () => {
        for await (const page of rows.pages({}, { limit: 10, signal: controller.signal })) {
          seen.push(page.items.length)
          controller.abort()
        }
      })()
      const err = await walk.then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(seen).toEqual([10])
      expect(err).toBeInstanceOf(ConcurClientError)
      expect((err as ConcurClientError).code).toBe(CLIENT_ERROR_CODES.ABORTED)
    } finally {
      await fetch(`${running.admin}/_mock/faults/${fault}`, { method: 'DELETE' })
    }
  })

  it('reads no parent page ahead for an incremental sync, so the cursor covers only the pages yielded', async () => {
    const rows = client.resource('payment-requests')
    const changes = changesSince(rows, undefined, { limit: 10 })
    for await (const page of changes.pages()) {
      expect(page.items).toHaveLength(10)
      break
    }
    const parent = changesSince(rows.parent!, undefined, { limit: 10 })
    for await (const _ of parent.pages()) break
    expect(changes.cursor()).toEqual({ ...parent.cursor(), resource: 'payment-requests' })
  })
})
