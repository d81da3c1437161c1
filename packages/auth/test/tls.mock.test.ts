import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONCUR_NETWORK, ConcurNetworkError } from '../src/errors.js'
import { passwordGrant, refreshTokenGrant } from '../src/grants.js'
import { createHttp } from '../src/http.js'
import { createTokenManager } from '../src/manager.js'
import { memoryStore } from '../src/store.js'

describe('against concurkit mock over HTTPS', () => {
  const mock = createMockConcur({ datacenters: ['us', 'eu2'] })
  let running: RunningMock
  beforeAll(async () => {
    running = await mock.listen({ tls: true })
  })
  afterAll(async () => {
    await running.close()
  })

  it('grants, refreshes and follows geolocation with createHttp({ ca })', async () => {
    const http = createHttp({ ca: running.tls!.caPem })
    try {
      const c = mock.state.companies[0]!
      const u = c.users[0]!
      const oauth = { clientId: c.apps[0]!.clientId, clientSecret: c.apps[0]!.clientSecret, http }
      // Asked at the other datacenter: code 16 names the https geolocation, which is followed.
      const other = c.datacenter === 'us' ? 'eu2' : 'us'
      const set = await passwordGrant({
        ...oauth,
        baseUrl: running.datacenters[other]!,
        trustGeolocation: (url) => Object.values(running.datacenters).includes(url),
        username: u.loginId,
        password: u.password,
      })
      expect(set.geolocation).toBe(running.datacenters[c.datacenter])
      expect(set.geolocation.startsWith('https://')).toBe(true)
      const next = await refreshTokenGrant({
        ...oauth,
        geolocation: set.geolocation,
        refreshToken: set.refreshToken!,
      })
      expect(next.refreshToken!.reveal()).not.toBe(set.refreshToken!.reveal())
      const manager = createTokenManager({
        ...oauth,
        baseUrl: set.geolocation,
        store: memoryStore(),
        profile: 't',
      })
      await manager.save(next, { grant: 'password', username: u.loginId })
      expect((await manager.getAccessToken()).length).toBeGreaterThan(100)
    } finally {
      await http.close()
    }
  })

  it('says the certificate is not trusted, and how to trust it, without the CA', async () => {
    const http = createHttp()
    try {
      const err = await http
        .request({ method: 'GET', url: `${running.admin}/oauth2/v0/jwks` })
        .catch((e) => e)
      expect(err).toBeInstanceOf(ConcurNetworkError)
      expect(err.code).toBe(CONCUR_NETWORK)
      expect(err.message).toMatch(/TLS certificate is not trusted \([A-Z_]+\).*NODE_EXTRA_CA_CERTS/)
    } finally {
      await http.close()
    }
  })
})
