import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authorizationCodeGrant, buildAuthorizeUrl, parseAuthorizationCallback } from '../src/authorize.js'
import {
  CONCUR_BAD_CREDENTIALS,
  CONCUR_GRANT_INVALID,
  CONCUR_OTP_FAILED,
  CONCUR_REFRESH_EXPIRED,
  CONCUR_SCOPE_EXCEEDED,
  ConcurOAuthError,
} from '../src/errors.js'
import {
  clientCredentialsGrant,
  companyRequestTokenGrant,
  passwordGrant,
  refreshTokenGrant,
} from '../src/grants.js'
import { otpGrant, requestOtp } from '../src/otp.js'
import { type MockSetup, mailedOtp, requestToken, startMock } from './helpers.js'

let s: MockSetup
beforeAll(async () => {
  s = await startMock()
})
afterAll(() => s.close())

describe('grants against the mock', () => {
  it('password grant: user tokens with refresh token and id_token at the user geolocation', async () => {
    const admin = s.c0.users[0]!
    const t = await passwordGrant({ ...s.client, username: admin.loginId, password: admin.password })
    expect(t.geolocation).toBe(s.base)
    expect(t.tokenType).toBe('Bearer')
    expect(t.refreshToken).toBeDefined()
    expect(t.idToken).toBeDefined()
    expect(t.expiresAt - t.obtainedAt).toBe(3_600_000)
    // refresh_expires_in is epoch seconds on the mock
    expect(
      Math.abs(t.refreshExpiresAt! - (s.mock.state.clock.now() + 6 * 30 * 24 * 3600 * 1000)),
    ).toBeLessThan(1000)
    await expect(
      passwordGrant({ ...s.client, username: admin.loginId, password: 'wrong-password' }),
    ).rejects.toMatchObject({ code: CONCUR_BAD_CREDENTIALS, concurCode: 5 })
  })

  it('company request token grant: company tokens (credtype=authtoken)', async () => {
    const token = await requestToken(s, s.c0)
    const t = await companyRequestTokenGrant({ ...s.client, companyId: s.c0.id, requestToken: token })
    expect(t.refreshToken).toBeDefined()
    expect(t.geolocation).toBe(s.base)
    // reusable within 24 hours
    await expect(
      companyRequestTokenGrant({ ...s.client, companyId: s.c0.id, requestToken: token }),
    ).resolves.toBeDefined()
    s.mock.state.clock.advance(24 * 3600 + 1)
    await expect(
      companyRequestTokenGrant({ ...s.client, companyId: s.c0.id, requestToken: token }),
    ).rejects.toMatchObject({ code: CONCUR_BAD_CREDENTIALS })
  })

  it('refresh grant rotates the refresh token; the old one is then refused (code 108)', async () => {
    const user = s.c0.users[2]!
    const t = await passwordGrant({ ...s.client, username: user.loginId, password: user.password })
    const next = await refreshTokenGrant({
      ...s.client,
      refreshToken: t.refreshToken!,
      geolocation: t.geolocation,
    })
    expect(next.accessToken.equals(t.accessToken)).toBe(false)
    expect(next.refreshToken!.equals(t.refreshToken)).toBe(false)
    const err = await refreshTokenGrant({
      ...s.client,
      refreshToken: t.refreshToken!,
      geolocation: t.geolocation,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConcurOAuthError)
    expect(err).toMatchObject({ code: CONCUR_REFRESH_EXPIRED, concurCode: 108 })
  })

  it('client credentials grant: an app token without refresh token; scope beyond the app is refused', async () => {
    const t = await clientCredentialsGrant(s.client)
    expect(t.refreshToken).toBeUndefined()
    expect(t.idToken).toBeUndefined()
    const limited = s.c0.apps[1]!
    await expect(
      clientCredentialsGrant({
        ...s.client,
        clientId: limited.clientId,
        clientSecret: limited.clientSecret,
        scope: 'CCARD',
      }),
    ).rejects.toMatchObject({ code: CONCUR_SCOPE_EXCEEDED, concurCode: 54 })
  })

  it('authorization code grant: authorize URL with state, callback check, exchange (single use)', async () => {
    const redirectUri = 'http://127.0.0.1:9/callback'
    const { url, state } = buildAuthorizeUrl({
      clientId: s.client.clientId,
      redirectUri,
      scope: 'EXPRPT openid',
      baseUrl: s.base,
    })
    const res = await s.http.request({ method: 'GET', url })
    expect(res.status).toBe(302)
    const cb = parseAuthorizationCallback(res.headers.location!, { expectedState: state })
    expect(cb.geolocation).toBe(s.base)
    const t = await authorizationCodeGrant({
      ...s.client,
      code: cb.code,
      redirectUri,
      geolocation: cb.geolocation,
    })
    expect(t.scope).toBe('EXPRPT openid')
    expect(t.refreshToken).toBeDefined()
    await expect(
      authorizationCodeGrant({ ...s.client, code: cb.code, redirectUri, geolocation: cb.geolocation }),
    ).rejects.toMatchObject({ code: CONCUR_GRANT_INVALID, concurCode: 103 })
  })

  it('one-time password: request, then exchange', async () => {
    const user = s.c0.users[2]!
    await expect(requestOtp({ ...s.client, email: user.email })).resolves.toEqual({ message: 'otp sent' })
    const otp = await mailedOtp(s, user.email)
    const wrong = otp === '000000' ? '111111' : '000000'
    await expect(otpGrant({ ...s.client, email: user.email, otp: wrong })).rejects.toMatchObject({
      code: CONCUR_OTP_FAILED,
    })
    const t = await otpGrant({ ...s.client, email: user.email, otp })
    expect(t.refreshToken).toBeDefined()
  })

  it('follows "user lives elsewhere" (code 16) once to the named datacenter', async () => {
    const app = s.c1.apps[0]!
    const user = s.c1.users[2]!
    const eu = s.running.datacenters[s.c1.datacenter]!
    expect(eu).not.toBe(s.base)
    const since = s.mark()
    const t = await passwordGrant({
      ...s.client,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      username: user.loginId,
      password: user.password,
    })
    expect(t.geolocation).toBe(eu)
    expect(s.tokenRequests(since)).toEqual([
      { datacenter: s.c0.datacenter, status: 400 },
      { datacenter: s.c1.datacenter, status: 200 },
    ])
    // refreshes go straight to the token's geolocation
    const mark = s.mark()
    await refreshTokenGrant({
      ...s.client,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      refreshToken: t.refreshToken!,
      geolocation: t.geolocation,
    })
    expect(s.tokenRequests(mark)).toEqual([{ datacenter: s.c1.datacenter, status: 200 }])
  })
})
