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
