import { existsSync, readFileSync } from 'node:fs'
import { get } from 'node:https'
import { describe, expect, it } from 'vitest'
import { startTestMock } from './start.js'

describe('startTestMock({ tls: true })', () => {
  it('serves HTTPS; the token manager and the client trust its CA and page over https NextPage URLs', async () => {
    const concur = await startTestMock({ seed: 3, size: 30, tls: true })
    const ca = concur.credentials.ca!
    try {
      expect(concur.credentials.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      expect(concur.credentials.tokenUrl.startsWith('https://')).toBe(true)
      expect(readFileSync(ca, 'utf8')).toContain('BEGIN CERTIFICATE')
      const reports = await concur.client.expenseReports.list({ user: 'ALL' }, { limit: 7 }).toArray()
      expect(reports.length).toBe(30)
      const pages = concur.admin.journal().filter((e) => e.path.startsWith('/api/v3.0/expense/reports'))
      expect(pages.length).toBeGreaterThan(1)
      // Any client that trusts the CA file reaches it (here node:https with `ca`).
      const status = await new Promise<number | undefined>((resolve, reject) => {
        get(`${concur.credentials.baseUrl}/oauth2/v0/jwks`, { ca: readFileSync(ca) }, (res) => {
          res.resume()
          resolve(res.statusCode)
        }).once('error', reject)
      })
      expect(status).toBe(200)
    } finally {
      await concur.close()
    }
    expect(existsSync(ca)).toBe(false)
  })
})
