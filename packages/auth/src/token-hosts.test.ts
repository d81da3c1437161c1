import { DATACENTERS } from '@concurkit/contract'
import { MockAgent } from 'undici'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { authorizationCodeGrant } from './authorize.js'
import {
  clientCredentialsGrant,
  companyRequestTokenGrant,
  passwordGrant,
  refreshTokenGrant,
} from './grants.js'
import { createHttp } from './http.js'

const GLZ = 'https://glz.api.concursolutions.com'
const US = 'https://us.api.concursolutions.com'
const EU2 = 'https://eu2.api.concursolutions.com'
const agent = new MockAgent()
agent.disableNetConnect()
const http = createHttp({ dispatcher: agent })
const client = { clientId: 'cid-1', clientSecret: 'client-secret-value', http, now: () => 1_000_000 }
afterAll(() => agent.close())
afterEach(() => agent.assertNoPendingInterceptors())

/** Answers one token request at `origin` (the company lives in EU2) and records the form it got. */
function answerAt(origin: string): { form?: URLSearchParams } {
  const seen: { form?: URLSearchParams } = {}
  agent
    .get(origin)
    .intercept({ path: '/oauth2/v0/token', method: 'POST' })
    .reply(200, (opts) => {
      seen.form = new URLSearchParams(String(opts.body))
      return {
        expires_in: '3600',
        token_type: 'Bearer',
        access_token: 'a',
        refresh_token: 'r',
        geolocation: EU2,
      }
    })
  return seen
}

describe('where each grant obtains a token (Base URIs for Obtaining a Token)', () => {
  it('the Global Landing Zone is a datacenter of its own, with no companies', () => {
    expect(DATACENTERS.glz).toMatchObject({ baseUrl: GLZ, landingZone: true })
  })

  it('company request token (credtype=authtoken) and authorization code go to GLZ by default', async () => {
    const company = answerAt(GLZ)
    const t = await companyRequestTokenGrant({ ...client, companyId: 'co-1', requestToken: 'rt-1' })
    expect(company.form?.get('credtype')).toBe('authtoken')
    // The answer's geolocation is where the company lives: every later call goes there.
    expect(t.geolocation).toBe(EU2)
    const code = answerAt(GLZ)
    await authorizationCodeGrant({ ...client, code: 'c-1', redirectUri: 'https://app/cb' })
    expect(code.form?.get('grant_type')).toBe('authorization_code')
  })

  it('a trusted redirect geolocation, an explicit datacenter or baseUrl win over GLZ', async () => {
    answerAt(EU2)
    await authorizationCodeGrant({ ...client, code: 'c-2', redirectUri: 'https://app/cb', geolocation: EU2 })
    answerAt(EU2)
    await companyRequestTokenGrant({ ...client, companyId: 'co-1', requestToken: 'rt-1', datacenter: 'eu2' })
    answerAt('http://127.0.0.1:4010')
    await companyRequestTokenGrant({
      ...client,
      companyId: 'co-1',
      requestToken: 'rt-1',
      baseUrl: 'http://127.0.0.1:4010',
    })
  })

  it("password and client credentials go to the app's datacenter; a refresh to the token's geolocation", async () => {
    answerAt(US)
    await passwordGrant({ ...client, username: 'u', password: 'pw' })
    answerAt(US)
    await clientCredentialsGrant({ ...client })
    const refresh = answerAt(EU2)
    await refreshTokenGrant({ ...client, refreshToken: 'r-1', geolocation: EU2 })
    expect(refresh.form?.get('grant_type')).toBe('refresh_token')
  })
})
