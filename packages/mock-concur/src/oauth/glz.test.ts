import { describe, expect, it } from 'vitest'
import { createMockConcur } from '../mock.js'

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields),
})

describe('the Global Landing Zone (glz)', () => {
  const mock = createMockConcur({ seed: 4, size: 5, companies: 2, datacenters: ['us', 'eu2', 'glz'] })
  const glz = mock.state.baseUrl('glz')

  it('hosts no company: they are spread over the other datacenters as without it', () => {
    expect(mock.state.companies.map((c) => c.datacenter)).toEqual(['us', 'eu2'])
    const without = createMockConcur({ seed: 4, size: 5, companies: 2, datacenters: ['us', 'eu2'] })
    expect(mock.state.companies.map((c) => c.id)).toEqual(without.state.companies.map((c) => c.id))
  })

  it("issues new tokens for a company of any datacenter; geolocation names the company's", async () => {
    const c = mock.state.companies[1]!
    const res = await mock.fetch(
      `${glz}/oauth2/v0/token`,
      form({
        grant_type: 'password',
        client_id: c.apps[0]!.clientId,
        client_secret: c.apps[0]!.clientSecret,
        username: c.users[0]!.loginId,
        password: c.users[0]!.password,
      }),
    )
    expect(res.status).toBe(200)
    const t = (await res.json()) as { geolocation: string; refresh_token: string; access_token: string }
    expect(t.geolocation).toBe(mock.state.baseUrl('eu2'))

    // Every other call goes to the geolocation: GLZ serves no company data ...
    const api = await mock.fetch(`${glz}/api/v3.0/expense/reports`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    })
    expect(api.status).toBe(403)
    const ok = await mock.fetch(`${t.geolocation}/api/v3.0/expense/reports`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    })
    expect(ok.status).toBe(200)

    // ... and refreshes there too: GLZ answers code 16 with the geolocation, without using the token up.
    const refresh = {
      grant_type: 'refresh_token',
      client_id: c.apps[0]!.clientId,
      client_secret: c.apps[0]!.clientSecret,
      refresh_token: t.refresh_token,
    }
    const atGlz = await mock.fetch(`${glz}/oauth2/v0/token`, form(refresh))
    expect(atGlz.status).toBe(400)
    expect(await atGlz.json()).toMatchObject({ code: 16, geolocation: t.geolocation })
    expect((await mock.fetch(`${t.geolocation}/oauth2/v0/token`, form(refresh))).status).toBe(200)
  })

  it('client credentials work there too', async () => {
    const c = mock.state.companies[0]!
    const res = await mock.fetch(
      `${glz}/oauth2/v0/token`,
      form({
        grant_type: 'client_credentials',
        client_id: c.apps[0]!.clientId,
        client_secret: c.apps[0]!.clientSecret,
      }),
    )
    expect(res.status).toBe(200)
  })

  it('cannot be the only datacenter', () => {
    expect(() => createMockConcur({ datacenters: ['glz'] })).toThrow(/hosts companies/)
  })
})
