import { describe, expect, it } from 'vitest'
import {
  deprecationHeaders,
  describeLifecycle,
  type Lifecycle,
  parseDeprecationHeaders,
} from './lifecycle.js'
import { lifecycleOf, RESOURCES } from './resources/index.js'

// Concur's documented example (release notes 2026-02-04 / 2026-03-03), verbatim.
const DOCUMENTED_WARN =
  "'/api/v3.1/travelrequest/' is deprecated; use '/travelrequest/v4/'. See 'https://developer.concur.com/tools-support/release-notes/api/archive/2023-01-05.html' for details."
const DOCUMENTED_SUNSET = 'Sun, 01 Mar 2020 00:00:00 GMT'

describe('deprecation headers', () => {
  it('are written in the documented format', () => {
    const lifecycle: Lifecycle = {
      status: 'deprecated',
      deprecated: '2020-03-01',
      replacement: { api: 'Request v4', path: '/travelrequest/v4/' },
      notice: 'https://developer.concur.com/tools-support/release-notes/api/archive/2023-01-05.html',
    }
    expect(deprecationHeaders('/api/v3.1/travelrequest/', lifecycle)).toEqual({
      'x-api-warn': DOCUMENTED_WARN,
      sunset: DOCUMENTED_SUNSET,
    })
  })

  it('carry the decommission date once there is one, and no sunset without any date', () => {
    const gone: Lifecycle = { status: 'decommissioned', decommissioned: '2025-01-21', notice: 'https://x' }
    expect(deprecationHeaders('/a', gone)).toEqual({
      'x-api-warn': "'/a' is decommissioned. See 'https://x' for details.",
      sunset: 'Tue, 21 Jan 2025 00:00:00 GMT',
    })
    expect(deprecationHeaders('/a', { status: 'deprecated', notice: 'https://x' })).toEqual({
      'x-api-warn': "'/a' is deprecated. See 'https://x' for details.",
    })
    expect(deprecationHeaders('/a', { status: 'active' })).toBeUndefined()
  })

  it('are read back, also in the quoted form of the documented example', () => {
    for (const warn of [DOCUMENTED_WARN, `'${DOCUMENTED_WARN.replace(/'/g, "''")}'`]) {
      const h: Record<string, string> = { 'x-api-warn': warn, sunset: DOCUMENTED_SUNSET }
      expect(parseDeprecationHeaders((n) => h[n])).toEqual({
        warning: warn,
        status: 'deprecated',
        endpoint: '/api/v3.1/travelrequest/',
        replacement: '/travelrequest/v4/',
        notice: 'https://developer.concur.com/tools-support/release-notes/api/archive/2023-01-05.html',
        sunset: '2020-03-01T00:00:00.000Z',
      })
    }
    expect(parseDeprecationHeaders(() => null)).toBeUndefined()
    // A warning in another wording is kept as text; a bad sunset is dropped.
    const other: Record<string, string> = { 'x-api-warn': 'going away', sunset: 'soon' }
    expect(parseDeprecationHeaders((n) => other[n])).toEqual({ warning: 'going away', status: 'deprecated' })
  })
})

describe('lifecycle of the registry', () => {
  it('every row has one, and every retired one names a notice on developer.concur.com', () => {
    for (const r of RESOURCES) {
      expect(r.lifecycle, r.name).toBeDefined()
      if (r.lifecycle.status !== 'active')
        expect(r.lifecycle.notice).toMatch(/^https:\/\/developer\.concur\.com\//)
    }
  })

  it('follows Concur §0: decommissioned users, deprecated lists/locations/attendees/card charges, active reports', () => {
    const status = (name: string) => RESOURCES.find((r) => r.name === name)?.lifecycle.status
    expect(status('user-information')).toBe('decommissioned')
    for (const n of [
      'list-items',
      'locations',
      'expense-attendees',
      'expense-attendee-types',
      'expense-group-configurations',
      'company-card-transactions',
      'reports-detail',
      'expense-reports-detail',
    ])
      expect(status(n), n).toBe('deprecated')
    for (const n of [
      'expense-reports',
      'expense-entries',
      'receipt-images',
      'travel-itineraries',
      'extract-jobs',
    ])
      expect(status(n), n).toBe('active')
  })

  it('lifecycleOf matches list, item, related and legacy paths, and deprecated writes by method', () => {
    expect(lifecycleOf('GET', '/api/v3.0/common/locations/abc')?.lifecycle.status).toBe('deprecated')
    expect(lifecycleOf('GET', '/api/v3.0/common/lists')?.endpoint).toBe('/api/v3.0/common/lists')
    expect(lifecycleOf('GET', '/api/v3.0/common/users')?.lifecycle.status).toBe('decommissioned')
    expect(lifecycleOf('GET', '/api/user/v1.0/user')?.lifecycle.status).toBe('decommissioned')
    expect(lifecycleOf('GET', '/api/expense/expensereport/v2.0/Reports')?.endpoint).toBe(
      '/api/expense/expensereport/v2.0/Reports',
    )
    expect(lifecycleOf('GET', '/api/expense/expensereport/v2.0/Reports/')).toBeDefined()
    expect(lifecycleOf('GET', '/api/expense/expensereport/v1.1/reportfulldetails/K1')).toBeDefined()
    expect(lifecycleOf('GET', '/api/v3.0/expense/entries/E1')).toBeUndefined()
    expect(lifecycleOf('delete', '/api/v3.0/expense/entries/E1')?.endpoint).toBe(
      '/api/v3.0/expense/entries/{id}',
    )
    expect(lifecycleOf('GET', '/api/v3.0/expense/reports')).toBeUndefined()
    expect(lifecycleOf('GET', '/api/v3.0/common/locationsX')).toBeUndefined()
  })

  it('describes itself in one line', () => {
    const row = RESOURCES.find((r) => r.name === 'list-items')!
    expect(describeLifecycle(row.lifecycle)).toBe(
      'deprecated since 2021-04-16 → List Item v4 (/list/v4/items)',
    )
    expect(describeLifecycle({ status: 'active' })).toBe('active')
  })
})
