import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReceivedDeprecation } from '../src/index.ts'
import { type MockFixture, startMock } from './helpers/mock.ts'

describe('deprecation notices', () => {
  let fx: MockFixture
  beforeAll(async () => {
    fx = await startMock({ seed: 9, size: 30 })
  })
  afterAll(() => fx.close())

  it('reach the caller once per retired endpoint, through onDeprecation and client.deprecations', async () => {
    const heard: ReceivedDeprecation[] = []
    const client = await fx.client({ onDeprecation: (n) => heard.push(n) })
    let count = 0
    for await (const _ of client.locations.list({}, { limit: 5 })) count++
    expect(count).toBeGreaterThan(5) // several pages, one notice
    for await (const _ of client.expenseReports.list({ user: 'ALL' })) count++
    expect(heard).toHaveLength(1)
    expect(heard[0]).toMatchObject({
      status: 'deprecated',
      endpoint: '/api/v3.0/common/locations',
      replacement: '/localities/v5/locations',
      sunset: '2025-10-10T00:00:00.000Z',
    })
    expect(heard[0]!.url).toMatch(/\/api\/v3\.0\/common\/locations$/)
    expect([...client.deprecations.keys()]).toEqual(['/api/v3.0/common/locations'])
  })

  it('an active resource leaves them empty', async () => {
    const client = await fx.client()
    for await (const _ of client.expenseReports.list({ user: 'ALL' })) break
    expect(client.deprecations.size).toBe(0)
  })
})
