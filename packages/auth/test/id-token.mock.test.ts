import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONCUR_ID_TOKEN_INVALID, CONCUR_INVALID_REQUEST } from '../src/errors.js'
import { passwordGrant } from '../src/grants.js'
import { verifyIdToken } from '../src/id-token.js'
import type { TokenSet } from '../src/token-endpoint.js'
import { type MockSetup, startMock } from './helpers.js'

let s: MockSetup
let tokens: TokenSet
beforeAll(async () => {
  s = await startMock()
  const admin = s.c0.users[0]!
  tokens = await passwordGrant({ ...s.client, username: admin.loginId, password: admin.password })
})
afterAll(() => s.close())

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
const parts = (jwt: string) => jwt.split('.') as [string, string, string]

describe('verifyIdToken against the mock JWKS', () => {
  const opts = () => ({
    clientId: s.client.clientId,
    baseUrl: tokens.geolocation,
    http: s.http,
    now: s.client.now,
  })

  it('verifies signature, iss, aud, exp and at_hash', async () => {
    const claims = await verifyIdToken(tokens.idToken!, { ...opts(), accessToken: tokens.accessToken })
    expect(claims['concur.type']).toBe('user')
    expect(claims.sub).toBe(s.c0.users[0]!.id)
    expect(claims.iss).toBe(s.base)
  })

  it('refuses a wrong audience, a wrong issuer, an expired token and a mismatched at_hash', async () => {
    const id = tokens.idToken!
    const bad = (p: Promise<unknown>, msg: RegExp) =>
      expect(p).rejects.toMatchObject({ code: CONCUR_ID_TOKEN_INVALID, message: expect.stringMatching(msg) })
    await bad(verifyIdToken(id, { ...opts(), clientId: 'someone-else' }), /aud/)
    await bad(verifyIdToken(id, { ...opts(), issuer: 'https://us.api.concursolutions.com' }), /iss/)
    await bad(verifyIdToken(id, { ...opts(), accessToken: 'another-token' }), /at_hash/)
    await bad(verifyIdToken(id, { ...opts(), now: () => s.client.now() + 2 * 3600 * 1000 }), /expired/)
    await bad(verifyIdToken(id, { ...opts(), now: () => s.client.now() - 2 * 3600 * 1000 }), /nbf|iat/)
  })

  it('refuses a tampered payload, alg none and HS256 signed with the public key', async () => {
    const [h, p, sig] = parts(tokens.idToken!.reveal())
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>
    const tampered = `${h}.${b64({ ...claims, sub: 'someone-else' })}.${sig}`
    await expect(verifyIdToken(tampered, opts())).rejects.toMatchObject({
      code: CONCUR_ID_TOKEN_INVALID,
      message: expect.stringContaining('signature'),
    })
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`
    await expect(verifyIdToken(none, opts())).rejects.toMatchObject({ code: CONCUR_ID_TOKEN_INVALID })
    // algorithm confusion: HMAC keyed with the RSA public key as published
    const jwks = JSON.parse((await s.http.request({ method: 'GET', url: `${s.base}/oauth2/v0/jwks` })).text())
    const key = JSON.stringify(jwks.keys[0])
    const header = b64({ alg: 'HS256', typ: 'JWT', kid: jwks.keys[0].kid })
    const mac = createHmac('sha256', key).update(`${header}.${p}`).digest('base64url')
    await expect(verifyIdToken(`${header}.${p}.${mac}`, opts())).rejects.toMatchObject({
      code: CONCUR_ID_TOKEN_INVALID,
      message: expect.stringContaining('RS256'),
    })
    await expect(verifyIdToken('not-a-jwt', opts())).rejects.toMatchObject({ code: CONCUR_ID_TOKEN_INVALID })
  })

  it('needs a place to find keys', async () => {
    await expect(verifyIdToken(tokens.idToken!, { clientId: 'x' })).rejects.toMatchObject({
      code: CONCUR_INVALID_REQUEST,
    })
  })
})
