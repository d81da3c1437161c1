import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { globToRegExp, MockConnectionReset } from './faults.js'
import { createMockConcur, type MockConcur, type RunningMock } from './mock.js'

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

async function addFault(mock: MockConcur, rule: Record<string, unknown>): Promise<string> {
  const res = await mock.app.request('/_mock/faults', json(rule))
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: string }).id
}

describe('path globs', () => {
  it('* stays within a segment, ** crosses segments, ? is one character', () => {
    expect(globToRegExp('/api/v3.0/expense/*').test('/api/v3.0/expense/reports')).toBe(true)
    expect(globToRegExp('/api/v3.0/expense/*').test('/api/v3.0/expense/reports/1')).toBe(false)
    expect(globToRegExp('/api/**').test('/api/v3.0/expense/reports/1')).toBe(true)
    expect(globToRegExp('/oauth2/v?/token').test('/oauth2/v0/token')).toBe(true)
    expect(globToRegExp('/a.b').test('/aXb')).toBe(false)
  })
})

describe('fault rules (in-process)', () => {
  it('answers a status with Concur’s body for the API family, Retry-After, and marks the journal', async () => {
    const mock = createMockConcur()
    const id = await addFault(mock, { method: 'get', path: '/api/v3.0/**', status: 503, retryAfter: 7 })
    const res = await mock.app.request('/api/v3.0/expense/reports')
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('7')
    const body = (await res.json()) as { Error: { Message: string } }
    expect(body.Error.Message).toBe('Service Unavailable')
    expect((await mock.app.request('/api/v3.0/expense/reports', { method: 'POST' })).status).not.toBe(503)
    const oauth = await mock.app.request('/oauth2/v0/jwks')
    expect(oauth.status).toBe(200)
    const journal = (await (await mock.app.request('/_mock/journal')).json()) as {
      entries: { path: string; status: number; note?: string }[]
    }
    expect(journal.entries[0]).toMatchObject({ path: '/api/v3.0/expense/reports', status: 503 })
    expect(journal.entries[0]!.note).toBe(`fault:${id} status`)
    expect(journal.entries[2]!.note).toBeUndefined()
  })

  it('uses the given body; retryAfter alone means 429; the OAuth2 family gets its own body', async () => {
    const mock = createMockConcur()
    await addFault(mock, { path: '/custom', status: 500, body: { oops: true } })
    await addFault(mock, { path: '/oauth2/v0/token', retryAfter: 3 })
    const custom = await mock.app.request('/custom')
    expect(custom.status).toBe(500)
    expect(await custom.json()).toEqual({ oops: true })
    const limited = await mock.app.request('/oauth2/v0/token', { method: 'POST' })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('3')
    expect(await limited.json()).toMatchObject({ error: expect.any(String), code: expect.any(Number) })
  })

  it('every n-th match fires; times caps it; DELETE removes one rule or all', async () => {
    const mock = createMockConcur()
    const id = await addFault(mock, { path: '/x', status: 500, every: 3 })
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await mock.app.request('/x')).status)
    expect(statuses).toEqual([404, 404, 500, 404, 404, 500])
    expect((await mock.app.request(`/_mock/faults/${id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await mock.app.request(`/_mock/faults/${id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await mock.app.request('/x')).status).toBe(404)
    await addFault(mock, { path: '/y', status: 502, times: 2 })
    await addFault(mock, { path: '/z', status: 502 })
    const ys = [(await mock.app.request('/y')).status, (await mock.app.request('/y')).status]
    expect([...ys, (await mock.app.request('/y')).status]).toEqual([502, 502, 404])
    const list = (await (await mock.app.request('/_mock/faults')).json()) as { faults: { fired: number }[] }
    expect(list.faults.map((f) => f.fired)).toEqual([2, 0])
    expect(await (await mock.app.request('/_mock/faults', { method: 'DELETE' })).json()).toEqual({
      deleted: 2,
    })
    expect((await mock.app.request('/z')).status).toBe(404)
  })

  it('probability draws from the seeded RNG: the same seed gives the same run', async () => {
    const run = async (seed: number) => {
      const mock = createMockConcur({ seed })
      await addFault(mock, { path: '/p', status: 500, probability: 0.5 })
      const out: number[] = []
      for (let i = 0; i < 40; i++) out.push((await mock.app.request('/p')).status)
      return out
    }
    const a = await run(11)
    expect(await run(11)).toEqual(a)
    expect(a.filter((s) => s === 500).length).toBeGreaterThan(5)
    expect(a.filter((s) => s === 404).length).toBeGreaterThan(5)
    expect(await run(12)).not.toEqual(a)
  })

  it('delayMs adds latency before the real answer', async () => {
    const mock = createMockConcur()
    await addFault(mock, { path: '/oauth2/v0/jwks', delayMs: 60 })
    const started = performance.now()
    const res = await mock.app.request('/oauth2/v0/jwks')
    expect(res.status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(55)
    expect(mock.state.journal.list()[0]!.latencyMs).toBeGreaterThanOrEqual(55)
  })

  it('reset makes the in-process request fail with ECONNRESET; truncate cuts the body', async () => {
    const mock = createMockConcur()
    await addFault(mock, { path: '/oauth2/v0/jwks', reset: true, times: 1 })
    await expect(mock.app.request('/oauth2/v0/jwks')).rejects.toBeInstanceOf(MockConnectionReset)
    await expect(mock.fetch(`${mock.state.baseUrl('us')}/oauth2/v0/jwks`)).resolves.toHaveProperty(
      'status',
      200,
    )
    expect(mock.state.journal.list()[0]).toMatchObject({ status: 0, note: expect.stringContaining('reset') })
    await addFault(mock, { path: '/oauth2/v0/jwks', truncate: true })
    const res = await mock.app.request('/oauth2/v0/jwks')
    expect(res.status).toBe(200)
    const declared = Number(res.headers.get('content-length'))
    await expect(res.text()).rejects.toThrow()
    expect(declared).toBeGreaterThan(100)
  })

  it('never applies to /_mock; refuses rules without an effect or with a bad body', async () => {
    const mock = createMockConcur()
    await addFault(mock, { path: '/**', status: 500 })
    expect((await mock.app.request('/_mock/faults')).status).toBe(200)
    const bad = [
      { path: '/x' },
      { path: '/x', status: 500, every: 2, probability: 0.5 },
      { path: '/x', status: 99 },
      { status: 500 },
      { path: '/x', status: 500, unknown: 1 },
    ]
    for (const rule of bad) {
      const res = await mock.app.request('/_mock/faults', json(rule))
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({ error: expect.any(String) })
    }
    const broken = await mock.app.request('/_mock/faults', { method: 'POST', body: '{nope' })
    expect(broken.status).toBe(400)
  })
})

describe('fault rules on real sockets', () => {
  let mock: MockConcur
  let running: RunningMock
  beforeAll(async () => {
    mock = createMockConcur()
    running = await mock.listen({ host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await running.close()
  })

  it('reset destroys the connection; the client sees a network error', async () => {
    await fetch(`${running.admin}/_mock/faults`, json({ path: '/oauth2/v0/jwks', reset: true, times: 1 }))
    const err = await fetch(`${running.datacenters.us}/oauth2/v0/jwks`).then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    )
    expect(err).toBeInstanceOf(TypeError)
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(err?.cause?.code)
    expect((await fetch(`${running.datacenters.us}/oauth2/v0/jwks`)).status).toBe(200)
  })

  it('truncate sends the full Content-Length and half the body, then closes', async () => {
    await fetch(`${running.admin}/_mock/faults`, json({ path: '/oauth2/v0/jwks', truncate: true, times: 1 }))
    const res = await fetch(`${running.datacenters.us}/oauth2/v0/jwks`)
    expect(res.status).toBe(200)
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(100)
    await expect(res.text()).rejects.toThrow()
  })

  it('status, Retry-After and delay over the wire', async () => {
    await fetch(
      `${running.admin}/_mock/faults`,
      json({ path: '/api/**', status: 429, retryAfter: 1, delayMs: 30, times: 1 }),
    )
    const started = performance.now()
    const res = await fetch(`${running.datacenters.us}/api/v3.0/expense/reports`)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(performance.now() - started).toBeGreaterThanOrEqual(25)
    expect(await res.json()).toHaveProperty('Error.Message', 'Too Many Requests')
  })
})
