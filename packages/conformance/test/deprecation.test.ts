// The deprecation checks against a remote target that does not send Concur's deprecation headers:
// a warning (not a failure) for each retired resource; with the headers garbled, a failure.
import { describe, expect, it } from 'vitest'
import { judge } from './mutation/judge.js'

describe('deprecation checks (--target mode)', () => {
  it('warn when a target serves retired resources without x-api-warn/sunset, and pass with them', async () => {
    const stripped = await judge((upstream) => async (req) => {
      const res = await upstream(req)
      if (!res.headers.has('x-api-warn')) return res
      const headers = new Headers(res.headers)
      headers.delete('x-api-warn')
      headers.delete('sunset')
      return new Response(await res.arrayBuffer(), { status: res.status, headers })
    })
    const checks = stripped.checks.filter((c) => c.id.startsWith('deprecation.'))
    expect(checks.length).toBeGreaterThanOrEqual(8)
    for (const c of checks) {
      expect(c.status, c.id).toBe('warn')
      expect(c.reason).toMatch(/without x-api-warn\/sunset although Concur (deprecated|decommissioned)/)
    }
    expect(stripped.summary.failed).toBe(0)
    expect(stripped.summary.warned).toBe(checks.length)

    const plain = await judge()
    const locations = plain.checks.find((c) => c.id === 'deprecation.locations')
    expect(locations).toMatchObject({
      status: 'pass',
      reason: 'deprecated → /localities/v5/locations; sunset 2025-10-10',
    })
    expect(plain.checks.find((c) => c.id === 'deprecation.user-information')?.reason).toMatch(
      /^decommissioned/,
    )
  }, 120_000)
})
