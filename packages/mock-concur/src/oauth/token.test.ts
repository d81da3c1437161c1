import { Jwks, OAuthErrorBody, TokenResponse } from '@concurkit/contract'
import { createLocalJWKSet, decodeJwt, type JSONWebKeySet, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { createMockConcur } from '../mock.js'
import { homeOf, passwordFields, postToken } from './__tests__/helpers.js'

const fields = (c: { apps: readonly { clientId: string; clientSecret: string }[] }, extra = {}) => ({
  client_id: c.apps[0]!.clientId,
  client_secret: c.apps[0]!.clientSecret,
  ...extra,
})

describe('POST /oauth2/v0/token', () => {
  it('password grant returns Concur token fields, a verifiable JWT and an id_token', async () => {
    const mock = createMockConcur()
    const c = mock.state.companies[0]!
    const before = mock.state.clock.nowSeconds()
    const { status, body, headers } = await postToken(mock, passwordFields(c, 2), homeOf(mock, c))
    const after = mock.state.clock.nowSeconds()
    expect(status).toBe(200)
    expect(headers.get('content-type')).toMatch(/application\/json/)
    const parsed = TokenResponse.parse(body)
    expect(body.expires_in).toBe('3600')
    expect(body.token_type).toBe('Bearer')
    expect(parsed.geolocation).toBe(homeOf(mock, c))
    expect(parsed.scope.split(' ')).toEqual([...c.apps[0]!.scopes])
    expect(typeof body.refresh_token).toBe('string')
    // Issued between `before` and `after` (the wall clock may tick over a second meanwhile).
    expect(body.refresh_expires_in).toBeGreaterThanOrEqual(before + 6 * 30 * 24 * 3600)
    expect(body.refresh_expires_in).toBeLessThanOrEqual(after + 6 * 30 * 24 * 3600)

    const jwks = createLocalJWKSet(
      Jwks.parse(await (await mock.app.request('/oauth2/v0/jwks')).json()) as JSONWebKeySet,
    )
    const { payload, protectedHeader } = await jwtVerify(parsed.access_token, jwks)
    expect(protectedHeader.alg).toBe('RS256')
    expect(payload.sub).toBe(c.users[2]!.id)
    expect(payload['concur.type']).toBe('user')
    const id = await jwtVerify(parsed.id_token!, jwks, { audience: c.apps[0]!.clientId })
    expect(id.payload).toMatchObject({
      'concur.type': 'user',
      'concur.version': 2,
      sub: c.users[2]!.id,
      iss: homeOf(mock, c),
      'concur.profile': `${homeOf(mock, c)}/profile/v1/principals/${c.users[2]!.id}`,
    })
    expect(typeof id.payload.at_hash).toBe('string')
  })

  it('client_credentials returns no refresh token and no id_token', async () => {
    const mock = createMockConcur()
    const c = mock.state.companies[0]!
    const { status, body } = await postToken(mock, fields(c, { grant_type: 'client_credentials' }))
    expect(status).toBe(200)
    expect(body.refresh_token).toBeUndefined()
    expect(body.id_token).toBeUndefined()
    expect(decodeJwt(body.access_token as string)['concur.type']).toBe('app')
  })

  it('refresh_token rotates: the new one works, the old one is refused with 108', async () => {
    const mock = createMockConcur()
    const c = mock.state.companies[0]!
    const first = await postToken(mock, passwordFields(c))
    const refresh = first.body.refresh_token as string
    const second = await postToken(mock, fields(c, { grant_type: 'refresh_token', refresh_token: refresh }))
    expect(second.status).toBe(200)
    expect(second.body.refresh_token).not.toBe(refresh)
    expect(second.body.id_token).toBeUndefined()
    const again = await postToken(mock, fields(c, { grant_type: 'refresh_token', refresh_token: refresh }))
    expect(again.status).toBe(400)
    expect(OAuthErrorBody.parse(again.body)).toEqual({
      error: 'invalid_grant',
      error_description: 'bad or expired refresh token',
      code: 108,
    })
    const third = await postToken(
      mock,
      fields(c, { grant_type: 'refresh_token', refresh_token: second.body.refresh_token as string }),
    )
    expect(third.status).toBe(200)
  })

  it('bad password answers code 5 with the documented body', async () => {
    const mock = createMockConcur()
    const c = mock.state.companies[0]!
    const { status, body } = await postToken(mock, { ...passwordFields(c), password: 'nope' })
    expect(status).toBe(400)
    expect(body).toEqual({
      error: 'invalid_grant',
      error_description: 'Incorrect Credentials. Please Retry',
      code: 5,
    })
  })
})
