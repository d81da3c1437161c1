import { describe, expect, it } from 'vitest'
import { MockNotStartedError, startTestMock } from './start.js'
import { useMockConcur } from './vitest.js'

const concur = useMockConcur({ seed: 11, size: 12 })

describe('useMockConcur (vitest)', () => {
  it('gives a started mock, credentials and a signed-in client', async () => {
    const { credentials, urls } = concur
    expect(credentials.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(Object.values(urls.datacenters)).toContain(credentials.baseUrl)
    const delegators = []
    for await (const d of concur.client.expenseDelegators.list()) delegators.push(d)
    const company = concur.mock.state.companies[0]!
    expect(credentials.companyId).toBe(company.id)
    expect(credentials.username).toBe(company.users[0]!.loginId)
    expect((await concur.tokens.status()).authenticated).toBe(true)
    expect(concur.admin.journal().some((e) => e.path === '/oauth2/v0/token')).toBe(true)
    expect(delegators.length).toBeGreaterThanOrEqual(0)
  })

  it('injects faults through the admin helpers', async () => {
    const id = concur.admin.addFault({ path: '/oauth2/v0/jwks', status: 503 })
    expect((await fetch(`${concur.credentials.baseUrl}/oauth2/v0/jwks`)).status).toBe(503)
    expect(concur.admin.removeFault(id)).toBe(true)
    expect((await fetch(`${concur.credentials.baseUrl}/oauth2/v0/jwks`)).status).toBe(200)
    expect(() => concur.admin.addFault({ path: '/x' } as never)).toThrow(/effect/)
  })

  it('moves the mock clock', () => {
    const before = concur.mock.state.clock.offsetSeconds
    concur.admin.advanceClock(3600)
    expect(concur.mock.state.clock.offsetSeconds - before).toBe(3600)
  })
})

describe('startTestMock', () => {
  it('signs in as an expense user with `as: "user"` and closes cleanly', async () => {
    const t = await startTestMock({ seed: 5, size: 5, as: 'user', datacenters: ['eu2'] })
    try {
      expect(t.credentials.datacenter).toBe('eu2')
      expect(t.credentials.username).toBe(t.mock.state.companies[0]!.users[2]!.loginId)
      const res = await fetch(`${t.credentials.baseUrl}/oauth2/v0/jwks`)
      expect(res.status).toBe(200)
    } finally {
      await t.close()
    }
    await expect(fetch(`${t.credentials.baseUrl}/oauth2/v0/jwks`)).rejects.toThrow()
  })

  it('refuses an unknown company or user with a clear error', async () => {
    await expect(startTestMock({ companies: 1, company: 3 })).rejects.toThrow(/company 3/)
    await expect(startTestMock({ as: -1 })).rejects.toThrow(/user index/)
  })

  it('says when a handle is read outside a test', () => {
    expect(new MockNotStartedError('client').message).toContain('inside tests only')
  })
})
