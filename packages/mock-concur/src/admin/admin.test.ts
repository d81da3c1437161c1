import { describe, expect, it } from 'vitest'
import { createMockConcur, describeMock } from '../mock.js'
import { passwordFields, postToken } from '../oauth/__tests__/helpers.js'

const post = (body?: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
})

describe('admin API', () => {
  it('moves the clock forward so tokens expire, and reset puts it back', async () => {
    const mock = createMockConcur()
    const before = (await (await mock.app.request('/_mock/clock')).json()) as { nowSeconds: number }
    const moved = await mock.app.request('/_mock/clock', post({ advanceSeconds: 3600 }))
    expect(moved.status).toBe(200)
    const after = (await moved.json()) as { nowSeconds: number; offsetSeconds: number }
    expect(after.offsetSeconds).toBe(3600)
    expect(after.nowSeconds - before.nowSeconds).toBeGreaterThanOrEqual(3600)
    expect((await mock.app.request('/_mock/clock', post({ advanceSeconds: -1 }))).status).toBe(400)
    expect((await mock.app.request('/_mock/clock', post({ advanceSeconds: 'x' }))).status).toBe(400)
    expect((await mock.app.request('/_mock/reset', post())).status).toBe(200)
    expect(mock.state.clock.offsetSeconds).toBe(0)
  })

  it('lists companies with credentials and issues a company request token', async () => {
    const mock = createMockConcur()
    const list = (await (await mock.app.request('/_mock/companies')).json()) as {
      companies: { id: string; clientId: string; clientSecret: string; users: { loginId: string }[] }[]
    }
    const c = mock.state.companies[0]!
    expect(list.companies[0]).toMatchObject({ id: c.id, clientId: c.apps[0]!.clientId })
    expect(list.companies[0]!.users[0]!.loginId).toBe(c.users[0]!.loginId)
    const before = mock.state.clock.nowSeconds()
    const issued = await mock.app.request(`/_mock/companies/${c.id}/request-token`, post())
    expect(issued.status).toBe(201)
    const { requestToken, expiresAt } = (await issued.json()) as { requestToken: string; expiresAt: number }
    expect(expiresAt).toBeGreaterThanOrEqual(before + 24 * 3600)
    expect(expiresAt).toBeLessThanOrEqual(mock.state.clock.nowSeconds() + 24 * 3600)
    const grant = await postToken(mock, {
      client_id: c.apps[0]!.clientId,
      client_secret: c.apps[0]!.clientSecret,
      grant_type: 'password',
      credtype: 'authtoken',
      username: c.id,
      password: requestToken,
    })
    expect(grant.status).toBe(200)
    expect((await mock.app.request('/_mock/companies/nope/request-token', post())).status).toBe(404)
    const foreign = await mock.app.request(
      `/_mock/companies/${c.id}/request-token`,
      post({ clientId: mock.state.companies[1]!.apps[0]!.clientId }),
    )
    expect(foreign.status).toBe(400)
  })

  it('App Center’s authtoken endpoint mints a request token for the app’s credentials', async () => {
    const mock = createMockConcur()
    const c = mock.state.companies[0]!
    const basic = Buffer.from(`${c.apps[0]!.clientId}:${c.apps[0]!.clientSecret}`).toString('base64')
    const res = await mock.app.request(`/profile-service/v1/keys/principals/${c.id}/authtoken/`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}` },
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { status: string; code: number; errormsg: string; token: string }
    expect(body).toMatchObject({ status: 'PASS', code: 0, errormsg: '' })
    const grant = await postToken(mock, {
      client_id: c.apps[0]!.clientId,
      client_secret: c.apps[0]!.clientSecret,
      grant_type: 'password',
      credtype: 'authtoken',
      username: c.id,
      password: body.token,
    })
    expect(grant.status).toBe(200)
    const anonymous = await mock.app.request(`/profile-service/v1/keys/principals/${c.id}/authtoken/`, {
      method: 'POST',
    })
    expect(anonymous.status).toBe(401)
  })

  it('reseeds with new options', async () => {
    const mock = createMockConcur({ seed: 1 })
    const res = await mock.app.request('/_mock/reseed', post({ seed: 2, companies: 3 }))
    expect(await res.json()).toEqual({ seed: 2, size: 500, companies: 3 })
    expect(mock.state.companies).toHaveLength(3)
    expect(mock.state.companies[0]!.id).toBe(createMockConcur({ seed: 2 }).state.companies[0]!.id)
    expect((await mock.app.request('/_mock/reseed', post({ companies: 0 }))).status).toBe(400)
  })

  it('requires the admin key when one is set', async () => {
    const mock = createMockConcur({ adminKey: 'k-123' })
    expect((await mock.app.request('/_mock/journal')).status).toBe(401)
    expect(
      (await mock.app.request('/_mock/journal', { headers: { 'x-mock-admin-key': 'wrong' } })).status,
    ).toBe(401)
    expect(
      (await mock.app.request('/_mock/journal', { headers: { authorization: 'Bearer k-123' } })).status,
    ).toBe(200)
    expect(
      (await mock.app.request('/_mock/journal', { headers: { 'x-mock-admin-key': 'k-123' } })).status,
    ).toBe(200)
  })

  it('keeps every secret out of the journal', async () => {
    const mock = createMockConcur()
    const c = mock.state.companies[0]!
    const grant = await postToken(mock, passwordFields(c))
    const refresh = grant.body.refresh_token as string
    await postToken(mock, { ...passwordFields(c), grant_type: 'refresh_token', refresh_token: refresh })
    const q = new URLSearchParams({
      client_secret: c.apps[0]!.clientSecret,
      password: c.users[0]!.password,
      refresh_token: refresh,
      access_token: grant.body.access_token as string,
      code: 'secret-code',
      state: 'visible',
    })
    await mock.app.request(`/oauth2/v0/authorize?${q}`)
    await mock.app.request('/api/v3.0/expense/reports', {
      headers: { authorization: `Bearer ${grant.body.access_token as string}` },
    })
    const text = await (await mock.app.request('/_mock/journal')).text()
    expect(JSON.parse(text).entries.length).toBe(4)
    expect(text).toContain('state=visible')
    for (const secret of [
      c.apps[0]!.clientSecret,
      c.users[0]!.password,
      refresh,
      grant.body.access_token as string,
      'secret-code',
    ]) {
      expect(text).not.toContain(secret)
    }
  })

  it('describes a mock for `concurkit mock --json`', () => {
    const mock = createMockConcur()
    const d = describeMock(mock)
    expect(Object.keys(d.datacenters)).toEqual(['us', 'eu2'])
    expect(d.admin).toBe(d.datacenters.us)
    const c = d.companies[0]!
    expect(Object.keys(c)).toEqual(
      expect.arrayContaining(['id', 'name', 'datacenter', 'clientId', 'clientSecret', 'users']),
    )
    expect(Object.keys(c.users[0]!)).toEqual(expect.arrayContaining(['loginId', 'password', 'roles']))
    expect(c.users[0]!.roles).toContain('WebServicesAdmin')
  })
})
