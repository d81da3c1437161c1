import { OAUTH_ERRORS } from '@concurkit/contract'
import { Hono } from 'hono'
import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import type { MockCompany } from '../companies.js'
import type { MockEnv } from '../context.js'
import { createMockConcur, type MockConcur } from '../mock.js'
import { homeOf, passwordFields, postToken } from './__tests__/helpers.js'
import { requireToken } from './guard.js'
import { issueRequestToken } from './routes.js'
import { oauthStore } from './store.js'

const client = (c: MockCompany, appIndex = 0) => ({
  client_id: c.apps[appIndex]!.clientId,
  client_secret: c.apps[appIndex]!.clientSecret,
})

/** Expects Concur's OAuth2 error body for `code` (status from the contract table). */
function expectCode(res: { status: number; body: Record<string, unknown> }, code: number): void {
  const known = OAUTH_ERRORS[code]!
  expect(res.body).toMatchObject({ code, error: known.error, error_description: known.description })
  expect(res.status).toBe(known.status)
}

function setup(options = {}): { mock: MockConcur; c: MockCompany; other: MockCompany; home: string } {
  const mock = createMockConcur(options)
  const c = mock.state.companies[0]!
  return { mock, c, other: mock.state.companies[1]!, home: homeOf(mock, c) }
}

describe('password grant', () => {
  it('accepts the login id case-insensitively and deep users beyond the listed ones', async () => {
    const { mock, c, home } = setup()
    const ok = await postToken(
      mock,
      { ...passwordFields(c, 1), username: c.users[1]!.loginId.toUpperCase() },
      home,
    )
    expect(ok.status).toBe(200)
    const deep = mock.state.user(c, 7)!
    const res = await postToken(
      mock,
      { ...client(c), grant_type: 'password', username: deep.loginId, password: deep.password },
      home,
    )
    expect(res.status).toBe(200)
    expect(decodeJwt(res.body.access_token as string)['concur.user']).toBe(7)
  })

  it.each([
    ['username', 51],
    ['password', 52],
    ['client_id', 62],
    ['client_secret', 63],
    ['grant_type', 65],
  ])('missing %s → code %i', async (name, code) => {
    const { mock, c, home } = setup()
    const fields = passwordFields(c)
    delete fields[name]
    expectCode(await postToken(mock, fields, home), code)
  })

  it('unknown client 61, wrong secret 64, unknown user 5, unknown credtype 120, unknown grant 60', async () => {
    const { mock, c, home } = setup()
    expectCode(await postToken(mock, { ...passwordFields(c), client_id: 'nope' }, home), 61)
    expectCode(await postToken(mock, { ...passwordFields(c), client_secret: 'nope' }, home), 64)
    expectCode(await postToken(mock, { ...passwordFields(c), username: `nobody@${c.domain}` }, home), 5)
    expectCode(await postToken(mock, { ...passwordFields(c), credtype: 'magic' }, home), 120)
    expectCode(await postToken(mock, { ...passwordFields(c), grant_type: 'implicit' }, home), 60)
  })

  it('a user of another company → 53; a company that lives elsewhere → 16 with its geolocation', async () => {
    const { mock, c, other, home } = setup()
    const stranger = { ...passwordFields(other), ...client(c) }
    expectCode(await postToken(mock, stranger, homeOf(mock, other)), 53)
    const res = await postToken(mock, passwordFields(other), home)
    expectCode(res, 16)
    expect(res.body.geolocation).toBe(homeOf(mock, other))
    expect(homeOf(mock, other)).not.toBe(home)
    const there = await postToken(mock, passwordFields(other), res.body.geolocation as string)
    expect(there.status).toBe(200)
    expect(there.body.geolocation).toBe(homeOf(mock, other))
  })

  it('scope narrows the token; a scope beyond the app → 54', async () => {
    const { mock, c, home } = setup()
    const narrow = await postToken(mock, { ...passwordFields(c), scope: 'LIST EXPRPT' }, home)
    expect(narrow.body.scope).toBe('EXPRPT LIST')
    expect(narrow.body.id_token).toBeUndefined()
    expectCode(await postToken(mock, { ...passwordFields(c, 0, 1), scope: 'EXPRPT LIST' }, home), 54)
    const limited = await postToken(mock, passwordFields(c, 0, 1), home)
    expect(limited.body.scope).toBe('EXPRPT openid')
  })

  it('credtype=authtoken: a company request token is reusable for 24 h and yields a company principal', async () => {
    const { mock, c, home } = setup()
    const { token } = issueRequestToken(mock.state, c.id)
    const fields = {
      ...client(c),
      grant_type: 'password',
      credtype: 'authtoken',
      username: c.id,
      password: token,
    }
    const first = await postToken(mock, fields, home)
    expect(first.status).toBe(200)
    expect(first.body.id_token).toBeUndefined()
    const claims = decodeJwt(first.body.access_token as string)
    expect(claims['concur.type']).toBe('company')
    expect(claims.sub).toBe(c.id)
    mock.state.clock.advance(23 * 3600)
    expect((await postToken(mock, fields, home)).status).toBe(200)
    mock.state.clock.advance(3600)
    expectCode(await postToken(mock, fields, home), 5)
    expectCode(await postToken(mock, { ...fields, password: 'forged' }, home), 5)
  })

  it('a request token bound to one app is refused for another; another company’s app gets 53', async () => {
    const { mock, c, other, home } = setup()
    const { token } = issueRequestToken(mock.state, c.id, c.apps[0]!.clientId)
    const base = { grant_type: 'password', credtype: 'authtoken', username: c.id, password: token }
    expectCode(await postToken(mock, { ...base, ...client(c, 1) }, home), 5)
    expectCode(await postToken(mock, { ...base, ...client(other) }, homeOf(mock, other)), 53)
  })
})

describe('refresh_token grant', () => {
  it('expires after 6 months on the mock clock, is renewed on use, and refuses a wrong client (105)', async () => {
    const { mock, c, home } = setup()
    const first = await postToken(mock, passwordFields(c), home)
    mock.state.clock.advance(170 * 24 * 3600)
    const before = mock.state.clock.nowSeconds()
    const renewed = await postToken(
      mock,
      { ...client(c), grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string },
      home,
    )
    expect(renewed.status).toBe(200)
    expect(renewed.body.refresh_expires_in).toBeGreaterThanOrEqual(before + 180 * 24 * 3600)
    expect(renewed.body.refresh_expires_in).toBeLessThanOrEqual(
      mock.state.clock.nowSeconds() + 180 * 24 * 3600,
    )
    const refresh = renewed.body.refresh_token as string
    expectCode(
      await postToken(mock, { ...client(c, 1), grant_type: 'refresh_token', refresh_token: refresh }, home),
      105,
    )
    mock.state.clock.advance(181 * 24 * 3600)
    expectCode(
      await postToken(mock, { ...client(c), grant_type: 'refresh_token', refresh_token: refresh }, home),
      108,
    )
  })

  it('missing → 106, bogus → 108, narrower scope allowed, wider → 54, wrong datacenter → 16', async () => {
    const { mock, c, other, home } = setup()
    expectCode(await postToken(mock, { ...client(c), grant_type: 'refresh_token' }, home), 106)
    expectCode(
      await postToken(mock, { ...client(c), grant_type: 'refresh_token', refresh_token: 'x' }, home),
      108,
    )
    const first = await postToken(mock, { ...passwordFields(c), scope: 'EXPRPT LIST' }, home)
    const wide = {
      ...client(c),
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token as string,
    }
    expectCode(await postToken(mock, { ...wide, scope: 'EXPRPT CCARD' }, home), 54)
    const narrow = await postToken(mock, { ...wide, scope: 'LIST' }, home)
    expect(narrow.body.scope).toBe('LIST')
    // The refresh token keeps the grant's scopes.
    const back = await postToken(
      mock,
      { ...client(c), grant_type: 'refresh_token', refresh_token: narrow.body.refresh_token as string },
      home,
    )
    expect(back.body.scope).toBe('EXPRPT LIST')
    const theirs = await postToken(mock, passwordFields(other), homeOf(mock, other))
    const res = await postToken(
      mock,
      { ...client(other), grant_type: 'refresh_token', refresh_token: theirs.body.refresh_token as string },
      home,
    )
    expectCode(res, 16)
    expect(res.body.geolocation).toBe(homeOf(mock, other))
  })
})

describe('authorization_code grant', () => {
  const authorizeUrl = (c: MockCompany, extra: Record<string, string> = {}) =>
    `/oauth2/v0/authorize?${new URLSearchParams({
      client_id: c.apps[0]!.clientId,
      redirect_uri: 'http://127.0.0.1:9999/cb',
      scope: 'EXPRPT openid',
      response_type: 'code',
      state: 'xyz',
      ...extra,
    })}`

  it('auto-approves with a redirect carrying code, state and geolocation; the code is single use', async () => {
    const { mock, c, home } = setup()
    const res = await mock.app.request(authorizeUrl(c))
    expect(res.status).toBe(302)
    const to = new URL(res.headers.get('location')!)
    expect(to.origin + to.pathname).toBe('http://127.0.0.1:9999/cb')
    expect(to.searchParams.get('state')).toBe('xyz')
    expect(to.searchParams.get('geolocation')).toBe(home)
    const code = to.searchParams.get('code')!
    const fields = {
      ...client(c),
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:9999/cb',
    }
    expectCode(await postToken(mock, { ...fields, redirect_uri: 'http://127.0.0.1:9999/other' }, home), 104)
    expectCode(await postToken(mock, { ...fields, ...client(c, 1) }, home), 105)
    const ok = await postToken(mock, fields, home)
    expect(ok.status).toBe(200)
    expect(ok.body.scope).toBe('EXPRPT openid')
    expect(typeof ok.body.id_token).toBe('string')
    expect(typeof ok.body.refresh_token).toBe('string')
    expectCode(await postToken(mock, fields, home), 103)
  })

  it('codes expire after 10 minutes; missing code 101, missing redirect_uri 102', async () => {
    const { mock, c, home } = setup()
    const res = await mock.app.request(authorizeUrl(c))
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!
    const fields = {
      ...client(c),
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:9999/cb',
    }
    expectCode(await postToken(mock, { ...fields, code: '' }, home), 101)
    expectCode(await postToken(mock, { ...fields, redirect_uri: '' }, home), 102)
    mock.state.clock.advance(601)
    expectCode(await postToken(mock, fields, home), 103)
  })

  it('login_hint picks the user; an excessive scope redirects with error_code 54; unknown client 61', async () => {
    const { mock, c, home } = setup()
    const hinted = await mock.app.request(authorizeUrl(c, { login_hint: c.users[2]!.loginId }))
    const code = new URL(hinted.headers.get('location')!).searchParams.get('code')!
    const tok = await postToken(
      mock,
      { ...client(c), grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9999/cb' },
      home,
    )
    expect(decodeJwt(tok.body.access_token as string).sub).toBe(c.users[2]!.id)
    const wide = await mock.app.request(authorizeUrl(c, { client_id: c.apps[1]!.clientId, scope: 'LIST' }))
    const to = new URL(wide.headers.get('location')!)
    expect(to.searchParams.get('error_code')).toBe('54')
    expect(to.searchParams.get('state')).toBe('xyz')
    const unknown = await mock.app.request(authorizeUrl(c, { client_id: 'nope' }))
    expect(unknown.status).toBe(401)
    expect(await unknown.json()).toMatchObject({ code: 61 })
    const foreign = await mock.app.request(authorizeUrl(c, { redirect_uri: 'https://evil.example/cb' }))
    expect(foreign.status).toBe(400)
  })

  it('with autoApprove: false shows a consent page; allowing with the password redirects with a code', async () => {
    const { mock, c } = setup({ autoApprove: false })
    const page = await mock.app.request(authorizeUrl(c))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<form method="post" action="/oauth2/v0/authorize">')
    const form = new URLSearchParams({
      client_id: c.apps[0]!.clientId,
      redirect_uri: 'http://127.0.0.1:9999/cb',
      scope: 'EXPRPT openid',
      response_type: 'code',
      state: 'xyz',
      username: c.users[1]!.loginId,
    })
    const post = (extra: Record<string, string>) =>
      mock.app.request('/oauth2/v0/authorize', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `${form}&${new URLSearchParams(extra)}`,
      })
    expect((await post({ password: 'wrong', decision: 'allow' })).status).toBe(401)
    const denied = await post({ decision: 'deny' })
    expect(new URL(denied.headers.get('location')!).searchParams.get('error')).toBe('access_denied')
    const allowed = await post({ password: c.users[1]!.password, decision: 'allow' })
    expect(allowed.status).toBe(302)
    expect(new URL(allowed.headers.get('location')!).searchParams.get('code')).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('otp grant', () => {
  const otpForm = (c: MockCompany, email: string) => ({
    ...client(c),
    channel_type: 'email',
    channel_handle: email,
  })
  const sendOtp = (mock: MockConcur, fields: Record<string, string>) =>
    mock.app.request('/oauth2/v0/otp', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    })

  it('mails an otp (readable through the admin API) and exchanges it once', async () => {
    const { mock, c, home } = setup()
    const email = c.users[2]!.email
    const sent = await sendOtp(mock, otpForm(c, email))
    expect(sent.status).toBe(200)
    expect(await sent.json()).toEqual({ message: 'otp sent' })
    const admin = await mock.app.request(`/_mock/otp?email=${encodeURIComponent(email)}`)
    const { otp } = (await admin.json()) as { otp: string }
    expect(otp).toMatch(/^\d{6}$/)
    const fields = { ...otpForm(c, email), grant_type: 'otp', otp }
    expectCode(await postToken(mock, { ...fields, otp: otp === '000000' ? '000001' : '000000' }, home), 85)
    const ok = await postToken(mock, fields, home)
    expect(ok.status).toBe(200)
    expect(decodeJwt(ok.body.access_token as string).sub).toBe(c.users[2]!.id)
    expectCode(await postToken(mock, fields, home), 83)
  })

  it('documents each missing or bad field', async () => {
    const { mock, c, home } = setup()
    const email = c.users[2]!.email
    const res = async (fields: Record<string, string>) => {
      const r = await sendOtp(mock, fields)
      return { status: r.status, body: (await r.json()) as Record<string, unknown> }
    }
    expectCode(await res({ ...otpForm(c, email), channel_type: '' }), 57)
    expectCode(await res({ ...otpForm(c, email), channel_type: 'sms' }), 80)
    expectCode(await res({ ...otpForm(c, '') }), 58)
    expectCode(await res({ ...otpForm(c, 'not-an-email') }), 81)
    expectCode(await res({ ...otpForm(c, `ghost@${c.domain}`) }), 55)
    for (let i = 0; i < 5; i++) expect((await sendOtp(mock, otpForm(c, email))).status).toBe(200)
    expectCode(await res(otpForm(c, email)), 82)
    const grant = { ...otpForm(c, email), grant_type: 'otp', otp: '123456' }
    expectCode(await postToken(mock, { ...grant, otp: '' }, home), 56)
    expectCode(await postToken(mock, { ...grant, channel_handle: '' }, home), 58)
    expectCode(await postToken(mock, { ...grant, channel_type: '' }, home), 57)
    expectCode(await postToken(mock, { ...grant, channel_handle: `ghost@${c.domain}` }, home), 55)
    oauthStore(mock.state).otps.clear()
    expectCode(await postToken(mock, grant, home), 83)
  })
})

describe('tokens at the resource guard', () => {
  const probe = (mock: MockConcur, scope?: string) => {
    const app = new Hono<MockEnv>()
    const ctx = { state: mock.state, datacenter: mock.state.options.datacenters[0]! }
    app.onError((err) => new Response(err.message, { status: (err as { status?: number }).status ?? 500 }))
    app.get('/probe', requireToken(ctx, scope), (c) => c.json({ type: c.get('principal').type }))
    return (token: string) => app.request('/probe', { headers: { authorization: `Bearer ${token}` } })
  }

  it('expires access tokens after an hour on the mock clock', async () => {
    const { mock, c, home } = setup()
    const { body } = await postToken(mock, passwordFields(c), home)
    const call = probe(mock)
    expect((await call(body.access_token as string)).status).toBe(200)
    mock.state.clock.advance(3601)
    expect((await call(body.access_token as string)).status).toBe(403)
  })

  it('refuses a scope the limited app lacks, a token of another datacenter, and app tokens', async () => {
    const { mock, c, other, home } = setup()
    const limited = await postToken(mock, passwordFields(c, 0, 1), home)
    expect((await probe(mock, 'EXPRPT')(limited.body.access_token as string)).status).toBe(200)
    const refused = await probe(mock, 'LIST')(limited.body.access_token as string)
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('LIST')
    const elsewhere = await postToken(mock, passwordFields(other), homeOf(mock, other))
    expect((await probe(mock)(elsewhere.body.access_token as string)).status).toBe(403)
    const app = await postToken(mock, { ...client(c), grant_type: 'client_credentials' }, home)
    expect((await probe(mock)(app.body.access_token as string)).status).toBe(403)
    const company = await postToken(
      mock,
      {
        ...client(c),
        grant_type: 'password',
        credtype: 'authtoken',
        username: c.id,
        password: issueRequestToken(mock.state, c.id).token,
      },
      home,
    )
    const res = await probe(mock)(company.body.access_token as string)
    expect(await res.json()).toEqual({ type: 'company' })
  })

  it('DELETE /app-mgmt/v0/connections revokes the user’s refresh tokens and their access tokens', async () => {
    const { mock, c, home } = setup()
    const a = await postToken(mock, passwordFields(c, 2), home)
    const b = await postToken(mock, passwordFields(c, 2), home)
    const otherUser = await postToken(mock, passwordFields(c, 3), home)
    const del = (token?: string) =>
      mock.app.request('/app-mgmt/v0/connections', {
        method: 'DELETE',
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      })
    expect((await del()).status).toBe(401)
    expect((await del(a.body.access_token as string)).status).toBe(200)
    for (const t of [a, b]) {
      expectCode(
        await postToken(
          mock,
          { ...client(c), grant_type: 'refresh_token', refresh_token: t.body.refresh_token as string },
          home,
        ),
        108,
      )
      expect((await probe(mock)(t.body.access_token as string)).status).toBe(403)
    }
    expect((await probe(mock)(otherUser.body.access_token as string)).status).toBe(200)
    const still = await postToken(
      mock,
      { ...client(c), grant_type: 'refresh_token', refresh_token: otherUser.body.refresh_token as string },
      home,
    )
    expect(still.status).toBe(200)
  })
})
