import { describe, expect, it } from 'vitest'
import { DEFAULT_CREDENTIALS } from './companies.js'
import { createMockConcur } from './mock.js'

describe('createMockConcur', () => {
  it('seeds the same companies and credentials from the same seed', () => {
    const a = createMockConcur({ seed: 7 })
    const b = createMockConcur({ seed: 7 })
    expect(a.state.companies).toEqual(b.state.companies)
    expect(createMockConcur({ seed: 8 }).state.companies[0]!.id).not.toBe(a.state.companies[0]!.id)
  })

  it('exports the default company credentials', () => {
    const mock = createMockConcur()
    const c = mock.state.companies[0]!
    expect(DEFAULT_CREDENTIALS.companyId).toBe(c.id)
    expect(DEFAULT_CREDENTIALS.clientId).toBe(c.apps[0]!.clientId)
    expect(c.users[0]!.roles).toContain('WebServicesAdmin')
  })

  it('answers unknown Concur paths with the v3 error body and a correlation id', async () => {
    const mock = createMockConcur()
    const res = await mock.app.request('/api/v3.0/expense/nothing-here')
    expect(res.status).toBe(404)
    expect(res.headers.get('concur-correlationid')).toMatch(/[0-9a-f-]{36}/)
    const body = (await res.json()) as { Error: { Message: string; 'Server-Time': string; Id: string } }
    expect(Object.keys(body.Error).sort()).toEqual(['Id', 'Message', 'Server-Time'])
  })

  it('serves each datacenter on its own port', async () => {
    const mock = createMockConcur({ datacenters: ['us', 'eu2'] })
    const running = await mock.listen()
    try {
      expect(running.datacenters.us).not.toBe(running.datacenters.eu2)
      const res = await fetch(`${running.datacenters.eu2}/api/v3.0/nope`)
      expect(res.status).toBe(404)
      expect(mock.state.journal.list().at(-1)).toMatchObject({ datacenter: 'eu2', status: 404 })
    } finally {
      await running.close()
    }
  })
})
