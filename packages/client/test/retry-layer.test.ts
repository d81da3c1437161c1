import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { type ConcurRequestError, createConcurClient, staticToken } from '../src/index.ts'

type Failure = 'reset' | '503' | 'throttle400' | '429'

const THROTTLE = JSON.stringify({ Error: { Message: 'Request limit exceeded. Try again later.', Id: 'T' } })

/** A server that fails every request the same way, counting the connections and requests it sees. */
async function failingServer(failure: Failure) {
  const seen = { connections: 0, requests: 0 }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.requests += 1
    if (failure === 'reset') return req.socket.resetAndDestroy()
    if (failure === '503') return res.writeHead(503, { 'content-type': 'application/json' }).end('{}')
    if (failure === '429')
      return res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }).end('{}')
    res.writeHead(400, { 'content-type': 'application/json' }).end(THROTTLE)
  })
  server.on('connection', () => {
    seen.connections += 1
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    seen,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections()
      return new Promise((r) => server.close(r))
    },
  }
}

/** What a request that always fails cost the server, for each failure kind and retry budget. */
async function measure(failure: Failure, maxRetries: number) {
  const server = await failingServer(failure)
  const client = createConcurClient({
    auth: staticToken('t'),
    baseUrl: server.url,
    retry: { maxRetries, minTimeout: 1, maxTimeout: 5, jitter: 0 },
  })
  const err = (await client.expenseReports.get('R1').catch((e: unknown) => e)) as ConcurRequestError
  await client.close()
  await server.close()
  return { ...server.seen, attempts: err.attempts, gaveUp: err.gaveUp, message: err.message, err }
}

describe('one retry layer: a request that always fails costs maxRetries + 1 requests', () => {
  for (const failure of ['reset', '503', 'throttle400', '429'] as const) {
    for (const maxRetries of [0, 1, 6]) {
      it(`${failure}, maxRetries ${maxRetries}: the server sees ${maxRetries + 1} requests; attempts says so`, async () => {
        const m = await measure(failure, maxRetries)
        expect(m.requests).toBe(maxRetries + 1)
        // A reset closes the connection: one connection per attempt. Otherwise keep-alive reuses one.
        expect(m.connections).toBe(failure === 'reset' ? maxRetries + 1 : 1)
        expect(m.attempts).toBe(maxRetries + 1)
        const why =
          maxRetries === 0
            ? 'retries are off, maxRetries 0'
            : maxRetries === 1
              ? 'the only retry used'
              : `all ${maxRetries} retries used`
        expect(m.gaveUp).toBe(why)
        const n = maxRetries + 1
        expect(m.message).toContain(`after ${n} attempt${n === 1 ? '' : 's'} (gave up: ${why})`)
        expect(m.err.code).toBe(failure === 'reset' ? 'CONCUR_NETWORK_ERROR' : 'CONCUR_HTTP_ERROR')
      })
    }
  }

  it('a non-retryable status is one request and says nothing about giving up', async () => {
    const server = createServer((_req, res) =>
      res.writeHead(404, { 'content-type': 'application/json' }).end('{}'),
    )
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const client = createConcurClient({
      auth: staticToken('t'),
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      retry: { maxRetries: 6, minTimeout: 1 },
    })
    const err = (await client.expenseReports.get('R1').catch((e: unknown) => e)) as ConcurRequestError
    expect(err.status).toBe(404)
    expect(err.attempts).toBe(1)
    expect(err.gaveUp).toBeUndefined()
    await client.close()
    await new Promise((r) => server.close(r))
  })

  it('Retry-After is honoured (never sooner) and capped by maxTimeout', async () => {
    const times: number[] = []
    const server = createServer((_req, res) => {
      times.push(performance.now())
      if (times.length === 1) return res.writeHead(429, { 'retry-after': '1' }).end()
      if (times.length === 2) return res.writeHead(503, { 'retry-after': '3600' }).end()
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ID":"R1"}')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const client = createConcurClient({
      auth: staticToken('t'),
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      retry: { maxRetries: 2, minTimeout: 1, maxTimeout: 1_200, jitter: 0 },
      resources: [],
    })
    const started = performance.now()
    await client.transport.send({ url: '/api/v3.0/expense/reports/R1' }, (r) => r.status)
    expect(times.length).toBe(3)
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(990) // Retry-After: 1 → at least 1 s
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1_190) // 3600 s capped at maxTimeout 1.2 s
    expect(times[2]! - times[1]!).toBeLessThan(3_000) // not the 3600 s asked for
    expect(performance.now() - started).toBeLessThan(8_000)
    await client.close()
    await new Promise((r) => server.close(r))
  })

  it('a retry wait keeps a process alive on its own (the built client in a child process exits 0 with the body)', async () => {
    const { execFile } = await import('node:child_process')
    let n = 0
    const server = createServer((_req, res) => {
      n += 1
      if (n < 3) return res.writeHead(503).end() // no Retry-After: a 200 ms backoff
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as AddressInfo).port
    const entry = new URL('../dist/index.js', import.meta.url).href
    const script = `
      const { createConcurClient, staticToken } = await import(${JSON.stringify(entry)})
      const c = createConcurClient({ auth: staticToken('t'), baseUrl: 'http://127.0.0.1:${port}', retry: { minTimeout: 200, jitter: 0 } })
      const body = await c.transport.send({ url: '/x' }, (r) => r.body.toString())
      await c.close()
      process.stdout.write(body)`
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, ['--input-type=module', '-e', script], (err, stdout) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout }),
      )
      child.stdin?.end()
    })
    await new Promise((r) => server.close(r))
    expect(result).toEqual({ code: 0, stdout: '{"ok":true}' })
    expect(n).toBe(3)
  })
})
