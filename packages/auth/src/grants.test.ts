import { OAUTH_ERRORS, oauthErrorBody } from '@concurkit/contract'
import { MockAgent } from 'undici'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { buildAuthorizeUrl, parseAuthorizationCallback } from './authorize.js'
import {
  CONCUR_ACCOUNT_DISABLED,
  CONCUR_ACCOUNT_LOCKED,
  CONCUR_AUTHORIZATION_DENIED,
  CONCUR_BAD_CREDENTIALS,
  CONCUR_BAD_RESPONSE,
  CONCUR_CLIENT_INVALID,
  CONCUR_INVALID_REQUEST,
  CONCUR_REFRESH_EXPIRED,
  CONCUR_SCOPE_EXCEEDED,
  CONCUR_SERVER_ERROR,
  CONCUR_STATE_MISMATCH,
  CONCUR_WRONG_DATACENTER,
  ConcurOAuthError,
  codeForConcurError,
} from './errors.js'
import { clientCredentialsGrant, passwordGrant, refreshTokenGrant } from './grants.js'
import { createHttp } from './http.js'

const US = 'https://us.api.concursolutions.com'
const EU2 = 'https://eu2.api.concursolutions.com'
const agent = new MockAgent()
agent.disableNetConnect()
const http = createHttp({ dispatcher: agent })
const client = { clientId: 'cid-1', clientSecret: 'client-secret-value', http, now: () => 1_000_000 }
afterAll(() => agent.close())
afterEach(() => agent.assertNoPendingInterceptors())

const tokenPath = { path: '/oauth2/v0/token', method: 'POST' }

describe('error mapping', () => {
  it('maps every documented Concur code to a stable code', () => {
    const expected: Record<number, string> = {
      5: CONCUR_BAD_CREDENTIALS,
      19: CONCUR_BAD_CREDENTIALS,
      64: CONCUR_BAD_CREDENTIALS,
      14: CONCUR_ACCOUNT_LOCKED,
      10: CONCUR_ACCOUNT_DISABLED,
      11: CONCUR_ACCOUNT_DISABLED,
      12: CONCUR_ACCOUNT_DISABLED,
      13: CONCUR_ACCOUNT_DISABLED,
      123: CONCUR_ACCOUNT_DISABLED,
      16: CONCUR_WRONG_DATACENTER,
      108: CONCUR_REFRESH_EXPIRED,
      54: CONCUR_SCOPE_EXCEEDED,
      53: CONCUR_CLIENT_INVALID,
      59: CONCUR_CLIENT_INVALID,
      61: CONCUR_CLIENT_INVALID,
      51: CONCUR_INVALID_REQUEST,
    }
    for (const [code, want] of Object.entries(expected)) expect(codeForConcurError(Number(code))).toBe(want)
    for (const known of Object.values(OAUTH_ERRORS))
      expect(codeForConcurError(known.code)).toMatch(/^CONCUR_/)
    expect(codeForConcurError(undefined, 'invalid_scope')).toBe(CONCUR_SCOPE_EXCEEDED)
  })

  it.each([
    [5, 400, CONCUR_BAD_CREDENTIALS],
    [14, 400, CONCUR_ACCOUNT_LOCKED],
    [61, 401, CONCUR_CLIENT_INVALID],
    [54, 400, CONCUR_SCOPE_EXCEEDED],
  ])('turns Concur code %i (HTTP %i) into %s with advice', async (code, status, want) => {
    agent.get(US).intercept(tokenPath).reply(status, oauthErrorBody(code))
    const err = (await passwordGrant({ ...client, username: 'u', password: 'pw-secret-1' }).catch(
      (e) => e,
    )) as ConcurOAuthError
    expect(err).toBeInstanceOf(ConcurOAuthError)
    expect(err).toMatchObject({ code: want, concurCode: code, status })
    expect(err.message).toMatch(/code \d+/)
  })

  it('maps 5xx without body to CONCUR_SERVER_ERROR and junk 200 to CONCUR_BAD_RESPONSE', async () => {
    agent.get(US).intercept(tokenPath).reply(503, 'maintenance')
    await expect(clientCredentialsGrant(client)).rejects.toMatchObject({
      code: CONCUR_SERVER_ERROR,
      status: 503,
    })
    agent.get(US).intercept(tokenPath).reply(200, '<html>')
    await expect(clientCredentialsGrant(client)).rejects.toMatchObject({ code: CONCUR_BAD_RESPONSE })
    agent.get(US).intercept(tokenPath).reply(200, { access_token: 'leaky-access', token_type: 'Bearer' })
    const err = await clientCredentialsGrant(client).catch((e: Error) => e)
    expect(err).toMatchObject({ code: CONCUR_BAD_RESPONSE })
    expect((err as Error).message).toContain('geolocation')
    expect((err as Error).message).not.toContain('leaky-access')
  })

  it('rejects bad input before any request', async () => {
    await expect(passwordGrant({ ...client, username: '', password: 'x' })).rejects.toMatchObject({
      code: CONCUR_INVALID_REQUEST,
    })
    await expect(clientCredentialsGrant({ ...client, baseUrl: 'not a url' })).rejects.toMatchObject({
      code: CONCUR_INVALID_REQUEST,
    })
    await expect(clientCredentialsGrant({ ...client, datacenter: 'mars' as never })).rejects.toMatchObject({
      code: CONCUR_INVALID_REQUEST,
    })
  })
})

describe('grants', () => {
  it('parses the documented sample and the numeric expires_in form', async () => {
    agent
      .get(US)
      .intercept({ ...tokenPath, body: (b: string) => new URLSearchParams(b).get('credtype') === 'password' })
      .reply(200, {
        expires_in: '3600',
        scope: 'EXPRPT LIST',
        token_type: 'Bearer',
        access_token: 'access-1',
        refresh_token: 'refresh-1',
        id_token: 'id-1',
        geolocation: 'https://us.api.concursolutions.com',
      })
    const t = await passwordGrant({ ...client, username: 'u', password: 'pw' })
    expect(t.accessToken.reveal()).toBe('access-1')
    expect(t.refreshToken?.reveal()).toBe('refresh-1')
    expect(t.expiresAt).toBe(1_000_000 + 3_600_000)
    expect(t.refreshExpiresAt).toBe(1_000_000 + 6 * 30 * 24 * 3600 * 1000)
    expect(t.scope).toBe('EXPRPT LIST')
    expect(JSON.stringify(t)).not.toMatch(/access-1|refresh-1|id-1/)
  })

  it('keeps the refresh expiry when the refresh token did not rotate; reads refresh_expires_in', async () => {
    agent.get(EU2).intercept(tokenPath).reply(200, {
      expires_in: 3600,
      token_type: 'Bearer',
      access_token: 'a',
      refresh_token: 'same',
      geolocation: EU2,
    })
    const t = await refreshTokenGrant({
      ...client,
      refreshToken: 'same',
      geolocation: EU2,
      refreshExpiresAt: 42_000,
    })
    expect(t.refreshExpiresAt).toBe(42_000)
    agent.get(EU2).intercept(tokenPath).reply(200, {
      expires_in: 3600,
      token_type: 'Bearer',
      access_token: 'a',
      refresh_token: 'new',
      refresh_expires_in: '1900000000',
      geolocation: EU2,
    })
    const u = await refreshTokenGrant({
      ...client,
      refreshToken: 'same',
      geolocation: EU2,
      refreshExpiresAt: 42_000,
    })
    expect(u.refreshExpiresAt).toBe(1_900_000_000_000)
  })

  it('follows "user lives elsewhere" once, only to a trusted datacenter', async () => {
    agent.get(US).intercept(tokenPath).reply(400, oauthErrorBody(16, EU2))
    agent
      .get(EU2)
      .intercept(tokenPath)
      .reply(200, { expires_in: 3600, token_type: 'Bearer', access_token: 'a', geolocation: EU2 })
    const t = await passwordGrant({ ...client, username: 'u', password: 'pw' })
    expect(t.geolocation).toBe(EU2)

    agent.get(US).intercept(tokenPath).reply(400, oauthErrorBody(16, 'https://evil.example.com'))
    await expect(passwordGrant({ ...client, username: 'u', password: 'pw' })).rejects.toMatchObject({
      code: CONCUR_WRONG_DATACENTER,
      geolocation: 'https://evil.example.com',
    })

    agent.get(US).intercept(tokenPath).reply(400, oauthErrorBody(16, EU2))
    agent.get(EU2).intercept(tokenPath).reply(400, oauthErrorBody(16, US))
    await expect(passwordGrant({ ...client, username: 'u', password: 'pw' })).rejects.toMatchObject({
      code: CONCUR_WRONG_DATACENTER,
      message: expect.stringContaining('not following twice'),
    })
  })
})

describe('authorize URL and callback', () => {
  it('uses the www- host and generates state', () => {
    const { url, state } = buildAuthorizeUrl({
      clientId: 'cid',
      redirectUri: 'https://app/cb',
      scope: ['EXPRPT', 'openid'],
      datacenter: 'eu2',
    })
    const u = new URL(url)
    expect(u.origin).toBe('https://www-eu2.api.concursolutions.com')
    expect(u.pathname).toBe('/oauth2/v0/authorize')
    expect(Object.fromEntries(u.searchParams)).toEqual({
      client_id: 'cid',
      redirect_uri: 'https://app/cb',
      scope: 'EXPRPT openid',
      response_type: 'code',
      state,
    })
    expect(state.length).toBeGreaterThanOrEqual(20)
    expect(buildAuthorizeUrl({ clientId: 'c', redirectUri: 'r' }).state).not.toBe(state)
    expect(new URL(buildAuthorizeUrl({ clientId: 'c', redirectUri: 'r', baseUrl: US }).url).origin).toBe(
      'https://www-us.api.concursolutions.com',
    )
  })

  it('checks state and surfaces errors', () => {
    const cb = parseAuthorizationCallback(
      `https://app/cb?geolocation=${encodeURIComponent(EU2)}&code=c-1&state=s1`,
      {
        expectedState: 's1',
      },
    )
    expect(cb.code.reveal()).toBe('c-1')
    expect(cb.geolocation).toBe(EU2)
    expect(() =>
      parseAuthorizationCallback('https://app/cb?code=c&state=s2', { expectedState: 's1' }),
    ).toThrow(expect.objectContaining({ code: CONCUR_STATE_MISMATCH }))
    expect(() =>
      parseAuthorizationCallback('https://app/cb?error_code=5&error_description=nope&state=s1', {
        expectedState: 's1',
      }),
    ).toThrow(expect.objectContaining({ code: CONCUR_AUTHORIZATION_DENIED }))
  })
})
