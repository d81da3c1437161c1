import { inspect } from 'node:util'
import { MockAgent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authorizationCodeGrant, buildAuthorizeUrl, parseAuthorizationCallback } from '../src/authorize.js'
import {
  clientCredentialsGrant,
  companyRequestTokenGrant,
  passwordGrant,
  refreshTokenGrant,
} from '../src/grants.js'
import { createHttp } from '../src/http.js'
import { verifyIdToken } from '../src/id-token.js'
import { createTokenManager, type TokenEvent } from '../src/manager.js'
import { otpGrant, requestOtp } from '../src/otp.js'
import type { Secret } from '../src/secret.js'
import { memoryStore, type StoredProfile, type TokenStore } from '../src/store.js'
import { type MockSetup, mailedOtp, requestToken, startMock } from './helpers.js'

let s: MockSetup
beforeAll(async () => {
  s = await startMock()
})
afterAll(() => s.close())

/** Every way an object or error can turn into text. */
function renderings(value: unknown): string[] {
  const out = [
    JSON.stringify(value) ?? '',
    inspect(value, { depth: Number.POSITIVE_INFINITY }),
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    String(value),
    `${value as string}`,
  ]
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? '', inspect(value.cause, { depth: Number.POSITIVE_INFINITY }))
  }
  return out
}

describe('secrets never show', () => {
  it('in any object or error of any grant, the manager, the store or the HTTP layer', async () => {
    const secrets = new Set<string>()
    const add = (v: string | Secret | undefined) => {
      if (v !== undefined) secrets.add(typeof v === 'string' ? v : v.reveal())
    }
    const objects: unknown[] = []
    const errors: unknown[] = []
    const fail = (p: Promise<unknown>) =>
      p.then(
        () => {
          throw new Error('expected a failure')
        },
        (e: unknown) => errors.push(e),
      )
    const user = s.c0.users[2]!
    add(s.client.clientSecret)
    add(user.password)

    // every grant
    const pw = await passwordGrant({ ...s.client, username: user.loginId, password: user.password })
    const rt = await requestToken(s, s.c0)
    add(rt)
    const company = await companyRequestTokenGrant({ ...s.client, companyId: s.c0.id, requestToken: rt })
    const refreshed = await refreshTokenGrant({
      ...s.client,
      refreshToken: pw.refreshToken!,
      geolocation: pw.geolocation,
    })
    const cc = await clientCredentialsGrant(s.client)
    const { url, state } = buildAuthorizeUrl({
      ...s.client,
      redirectUri: 'http://127.0.0.1:9/cb',
      scope: 'EXPRPT openid',
    })
    const redirect = await s.http.request({ method: 'GET', url })
    const cb = parseAuthorizationCallback(redirect.headers.location!, { expectedState: state })
    add(cb.code)
    const code = await authorizationCodeGrant({
      ...s.client,
      code: cb.code,
      redirectUri: 'http://127.0.0.1:9/cb',
    })
    const otpAnswer = await requestOtp({ ...s.client, email: user.email })
    const otp = await mailedOtp(s, user.email)
    add(otp)
    const viaOtp = await otpGrant({ ...s.client, email: user.email, otp })
    for (const t of [pw, company, refreshed, cc, code, viaOtp]) {
      add(t.accessToken)
      add(t.refreshToken)
      add(t.idToken)
      objects.push(t)
    }
    objects.push(cb, otpAnswer, redirect)
    objects.push(
      await verifyIdToken(code.idToken!, {
        clientId: s.client.clientId,
        baseUrl: code.geolocation,
        http: s.http,
        now: s.client.now,
      }),
    )

    // failures that carried secrets in their request
    await fail(passwordGrant({ ...s.client, username: user.loginId, password: 'Wrong-Password-77' }))
    add('Wrong-Password-77')
    await fail(
      passwordGrant({
        ...s.client,
        clientSecret: 'Wrong-Client-Secret-88',
        username: user.loginId,
        password: user.password,
      }),
    )
    add('Wrong-Client-Secret-88')
    await fail(
      refreshTokenGrant({ ...s.client, refreshToken: pw.refreshToken!, geolocation: pw.geolocation }),
    )
    await fail(authorizationCodeGrant({ ...s.client, code: cb.code, redirectUri: 'http://127.0.0.1:9/cb' }))
    await fail(otpGrant({ ...s.client, email: user.email, otp }))
    await fail(verifyIdToken(code.idToken!, { clientId: 'other', baseUrl: code.geolocation, http: s.http }))
    await fail(
      companyRequestTokenGrant({ ...s.client, companyId: s.c0.id, requestToken: 'Bad-Request-Token-99' }),
    )
    add('Bad-Request-Token-99')

    // a server that echoes credentials back in its error text and in a malformed answer
    const agent = new MockAgent()
    agent.disableNetConnect()
    const echo = createHttp({ dispatcher: agent })
    const origin = 'https://us.api.concursolutions.com'
    agent
      .get(origin)
      .intercept({ path: '/oauth2/v0/token', method: 'POST' })
      .reply(400, {
        error: 'invalid_grant',
        error_description: `Incorrect password ${user.password} for client ${s.client.clientSecret}`,
        code: 5,
      })
    await fail(
      passwordGrant({
        ...s.client,
        baseUrl: origin,
        http: echo,
        username: user.loginId,
        password: user.password,
      }),
    )
    agent.get(origin).intercept({ path: '/oauth2/v0/token', method: 'POST' }).reply(200, {
      access_token: pw.accessToken.reveal(),
      token_type: 'Bearer',
      expires_in: 'soon',
      geolocation: 'x',
    })
    await fail(clientCredentialsGrant({ ...s.client, baseUrl: origin, http: echo }))
    agent
      .get(origin)
      .intercept({ path: '/oauth2/v0/token', method: 'POST' })
      .replyWithError(new Error('reset'))
    await fail(
      passwordGrant({
        ...s.client,
        baseUrl: origin,
        http: echo,
        username: user.loginId,
        password: user.password,
      }),
    )
    await agent.close()

    // manager: status, events, store contents, store failures
    const events: TokenEvent[] = []
    const inner = memoryStore()
    let failing = 0
    const store: TokenStore = {
      get: (k) => inner.get(k),
      delete: (k) => inner.delete(k),
      async set(k: string, v: StoredProfile) {
        if (failing-- > 0) throw new Error('store down')
        await inner.set(k, v)
      },
    }
    const manager = createTokenManager({ ...s.client, store, profile: 'p', onEvent: (e) => events.push(e) })
    const fresh = await passwordGrant({ ...s.client, username: user.loginId, password: user.password })
    add(fresh.accessToken)
    add(fresh.refreshToken)
    add(fresh.idToken)
    await manager.save(fresh, { grant: 'password', username: user.loginId })
    s.mock.state.clock.advance(3601)
    failing = 3
    await fail(manager.getAccessToken())
    add(await manager.getAccessToken())
    const stored = (await inner.get('p'))!
    add(stored.tokens.refreshToken)
    add(stored.tokens.accessToken)
    objects.push(manager, await manager.status(), await manager.getToken(), stored, events, inner)
    await manager.revoke()

    expect(errors).toHaveLength(11)
    expect(secrets.size).toBeGreaterThanOrEqual(20)
    const leaks: string[] = []
    for (const [i, value] of [...objects, ...errors].entries()) {
      for (const text of renderings(value)) {
        for (const secret of secrets) if (text.includes(secret)) leaks.push(`#${i}: ${secret.slice(0, 4)}…`)
      }
    }
    expect(leaks).toEqual([])
  })
})
