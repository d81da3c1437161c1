import { request } from 'node:http'
import { OAuthErrorBody } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { createMockConcur } from '../mock.js'
import { passwordFields } from './__tests__/helpers.js'

const mock = createMockConcur()
const c = mock.state.companies[0]!

async function send(body: RequestInit['body'], headers: Record<string, string> = {}) {
  const res = await mock.app.request('/oauth2/v0/token', { method: 'POST', headers, body })
  const json = (await res.json()) as unknown
  return { status: res.status, body: OAuthErrorBody.parse(json) }
}

describe('malformed token requests get Concur’s OAuth2 body, never a 500', () => {
  it('wrong content type → 400', async () => {
    const res = await send(JSON.stringify(passwordFields(c)), { 'content-type': 'application/json' })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'Content-Type must be application/x-www-form-urlencoded',
      code: 0,
    })
  })

  it('empty body without a content type → 62 (client_id was not supplied)', async () => {
    const res = await send(null)
    expect(res.status).toBe(400)
    expect(res.body.code).toBe(62)
  })

  it('broken percent escapes and invalid UTF-8 → 400', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' }
    expect((await send('client_id=%ZZ&grant_type=password', form)).status).toBe(400)
    expect((await send('client_id=%FF%FE', form)).status).toBe(400)
    expect((await send(new Uint8Array([0x63, 0x3d, 0xff, 0xfe]), form)).status).toBe(400)
  })

  it('oversize body → 413 (with and without Content-Length)', async () => {
    const big = `${new URLSearchParams(passwordFields(c))}&pad=${'a'.repeat(70 * 1024)}`
    const res = await send(big, { 'content-type': 'application/x-www-form-urlencoded' })
    expect(res.status).toBe(413)
    expect(res.body.error).toBe('invalid_request')
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('a'.repeat(8192)))
        controller.close()
      },
    })
    const res2 = await mock.app.request('/oauth2/v0/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(res2.status).toBe(413)
  })

  it('client credentials over HTTP Basic are accepted (RFC 6749 §2.3.1)', async () => {
    const basic = Buffer.from(
      `${encodeURIComponent(c.apps[0]!.clientId)}:${encodeURIComponent(c.apps[0]!.clientSecret)}`,
    ).toString('base64')
    const res = await mock.app.request('/oauth2/v0/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: 'grant_type=client_credentials',
    })
    expect(res.status).toBe(200)
  })

  it('GET on the token endpoint → 404 with the OAuth2 body', async () => {
    const res = await mock.app.request('/oauth2/v0/token')
    expect(res.status).toBe(404)
    expect(OAuthErrorBody.safeParse(await res.json()).success).toBe(true)
  })
})

describe('token form bodies over a real socket', () => {
  const post = (origin: string, headers: Record<string, string>, chunks: string[]) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(origin)
      const req = request(
        { host: u.hostname, port: u.port, path: '/oauth2/v0/token', method: 'POST', headers },
        (res) => {
          let body = ''
          res.on('data', (d: Buffer) => {
            body += d.toString()
          })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        },
      )
      req.on('error', reject)
      for (const chunk of chunks) req.write(chunk)
      req.end()
    })

  it('declared and chunked oversize bodies get 413 with the OAuth2 body; a chunked form is read', async () => {
    const running = await mock.listen({ host: '127.0.0.1', port: 0 })
    try {
      const origin = running.datacenters[c.datacenter]!
      const form = 'application/x-www-form-urlencoded'
      const big = 'a='.padEnd(70_000, 'x')
      const declared = await post(origin, { 'content-type': form, 'content-length': String(big.length) }, [
        big,
      ])
      const chunked = await post(origin, { 'content-type': form, 'transfer-encoding': 'chunked' }, [
        big.slice(0, 40_000),
        big.slice(40_000),
      ])
      for (const r of [declared, chunked]) {
        expect(r.status).toBe(413)
        expect(OAuthErrorBody.parse(JSON.parse(r.body)).error_description).toContain('exceeds')
      }
      const fields = new URLSearchParams(passwordFields(c)).toString()
      const ok = await post(origin, { 'content-type': form, 'transfer-encoding': 'chunked' }, [
        fields.slice(0, 20),
        fields.slice(20),
      ])
      expect(ok.status).toBe(200)
      expect(JSON.parse(ok.body)).toHaveProperty('access_token')
    } finally {
      await running.close()
    }
  })
})
