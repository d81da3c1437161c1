import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { MockAgent } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  CONCUR_BAD_RESPONSE,
  CONCUR_NETWORK,
  CONCUR_TIMEOUT,
  ConcurAuthError,
  ConcurNetworkError,
} from './errors.js'
import { createHttp } from './http.js'

describe('createHttp over MockAgent', () => {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const http = createHttp({ dispatcher: agent, userAgent: 'test-agent' })
  afterAll(() => agent.close())
  afterEach(() => agent.assertNoPendingInterceptors())

  it('sends method, headers and body; reads status, headers and body', async () => {
    agent
      .get('https://us.api.concursolutions.com')
      .intercept({
        path: (p: string) => p.startsWith('/oauth2/v0/token'),
        method: 'POST',
        body: 'a=1',
        headers: { 'user-agent': 'test-agent', 'content-type': 'application/x-www-form-urlencoded' },
      })
      .reply(
        200,
        { answer: 'body-value-42' },
        { headers: { 'content-type': 'application/json', 'X-Two': ['a', 'b'] } },
      )
    const res = await http.request({
      method: 'POST',
      url: 'https://us.api.concursolutions.com/oauth2/v0/token?x=secretish',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers['x-two']).toBe('a, b')
    expect(JSON.parse(res.text())).toEqual({ answer: 'body-value-42' })
    expect(res.url).toBe('https://us.api.concursolutions.com/oauth2/v0/token')
    // the body (token answers hold credentials) is hidden from serialisation
    expect(JSON.stringify(res)).not.toContain('body-value-42')
    expect(inspect(res)).not.toContain('body-value-42')
  })

  it('maps connection errors to CONCUR_NETWORK without headers or bodies', async () => {
    agent
      .get('https://us.api.concursolutions.com')
      .intercept({ path: (p: string) => p.startsWith('/x'), method: 'POST' })
      .replyWithError(new Error('socket hang up'))
    const err = await http
      .request({
        method: 'POST',
        url: 'https://us.api.concursolutions.com/x?password=pw-123456',
        headers: { authorization: 'Bearer tok-abcdef' },
        body: 'password=pw-123456',
      })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConcurNetworkError)
    expect(err).toBeInstanceOf(ConcurAuthError)
    const e = err as ConcurNetworkError
    expect(e.code).toBe(CONCUR_NETWORK)
    expect(e.cause).toBeInstanceOf(Error)
    for (const text of [e.message, String(e), JSON.stringify(e), inspect(e)]) {
      expect(text).not.toContain('pw-123456')
      expect(text).not.toContain('tok-abcdef')
    }
  })

  it('refuses bodies larger than maxResponseBytes', async () => {
    const small = createHttp({ dispatcher: agent, maxResponseBytes: 10 })
    agent.get('https://us.api.concursolutions.com').intercept({ path: '/big' }).reply(200, 'x'.repeat(100))
    await expect(
      small.request({ method: 'GET', url: 'https://us.api.concursolutions.com/big' }),
    ).rejects.toMatchObject({ code: CONCUR_BAD_RESPONSE })
  })
})

describe('createHttp over sockets', () => {
  let server: Server
  let base: string
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000).unref()
      res.setHeader('content-type', 'text/plain')
      res.end('hello')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  })

  it('keeps a pooled agent and closes it', async () => {
    const http = createHttp()
    const a = await http.request({ method: 'GET', url: `${base}/a` })
    const b = await http.request({ method: 'GET', url: `${base}/b` })
    expect([a.text(), b.text()]).toEqual(['hello', 'hello'])
    await http.close()
    await expect(http.request({ method: 'GET', url: `${base}/a` })).rejects.toMatchObject({
      code: CONCUR_NETWORK,
    })
  })

  it('times out with CONCUR_TIMEOUT (overall deadline and headers timeout)', async () => {
    const http = createHttp({ timeoutMs: 100 })
    await expect(http.request({ method: 'GET', url: `${base}/slow` })).rejects.toMatchObject({
      code: CONCUR_TIMEOUT,
    })
    const h = createHttp({ headersTimeoutMs: 100 })
    await expect(h.request({ method: 'GET', url: `${base}/slow` })).rejects.toMatchObject({
      code: CONCUR_TIMEOUT,
    })
    await Promise.all([http.close(), h.close()])
  })

  it('passes a caller abort through as the signal reason', async () => {
    const http = createHttp()
    const ac = new AbortController()
    const p = http.request({ method: 'GET', url: `${base}/slow`, signal: ac.signal })
    ac.abort(new Error('stop'))
    await expect(p).rejects.toThrow('stop')
    await http.close()
  })

  it('maps a refused connection to CONCUR_NETWORK', async () => {
    const http = createHttp()
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    const port = (probe.address() as AddressInfo).port
    await new Promise((r) => probe.close(r))
    await expect(http.request({ method: 'GET', url: `http://127.0.0.1:${port}/` })).rejects.toMatchObject({
      code: CONCUR_NETWORK,
    })
    await http.close()
  })
})
