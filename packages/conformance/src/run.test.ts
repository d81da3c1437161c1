import { describe, expect, it } from 'vitest'
import { startProxiedMock } from '../test/mutation/proxy.js'
import { buildCatalogue } from './catalogue.js'
import { formatJson, listChecks, runConformance } from './index.js'
import { createRedactor } from './io.js'
import { runChecks } from './runner.js'
import { openMockTarget } from './targets.js'

describe('runConformance', () => {
  it('resolves to the object the JSON reporter prints, and formats the other reporters on request', async () => {
    const io = { redactor: createRedactor() }
    const open = await openMockTarget(io, { size: 4 })
    let report: Awaited<ReturnType<typeof runChecks>>
    try {
      report = await runChecks(buildCatalogue(), open.target, { only: ['oauth.jwks', 'errors.bad-limit'] })
    } finally {
      await open.close()
    }
    const viaApi = await runConformance({ mock: { size: 4 }, only: ['oauth.jwks', 'errors.bad-limit'] })
    const printed = JSON.parse(formatJson(report)) as typeof viaApi
    expect(Object.keys(viaApi)).toEqual(['summary', 'checks'])
    expect(viaApi.checks.map((c) => [c.id, c.status])).toEqual(printed.checks.map((c) => [c.id, c.status]))
    expect(Object.keys(viaApi.checks[0]!)).toEqual(Object.keys(printed.checks[0]!))
    expect(viaApi.summary.failed).toBe(0)

    const junit = await runConformance({ mock: { size: 4 }, only: ['oauth.jwks'], reporter: 'junit' })
    expect(junit.output).toMatch(/<testcase classname="conformance\.oauth" name="oauth\.jwks: /)
  })

  it('rejects with the reason when the signal aborts, and starts nothing once aborted', async () => {
    const aborted = AbortSignal.abort(new Error('stop now'))
    await expect(runConformance({ signal: aborted })).rejects.toThrow('stop now')
    const controller = new AbortController()
    const run = runConformance({ mock: { size: 4 }, signal: controller.signal })
    setTimeout(() => controller.abort(new Error('user cancelled')), 50)
    await expect(run).rejects.toThrow('user cancelled')
  })

  it('lists the catalogue without starting a target', () => {
    const ids = listChecks().map((c) => c.id)
    expect(ids).toContain('oauth.refresh.rotates')
    expect(ids).toContain('errors.limit-out-of-range')
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('runs rotation, wrong-datacenter and out-of-range checks against a remote target, and says why the rest is skipped', async () => {
    const proxied = await startProxiedMock()
    try {
      const result = await runConformance({
        target: {
          baseUrl: proxied.baseUrl,
          credentials: proxied.credentials,
          datacenters: proxied.datacenters,
          fetch: proxied.fetch,
        },
        only: ['oauth', 'errors', 'reports.reports-detail', 'receipt-images'],
      })
      const byId = new Map(result.checks.map((c) => [c.id, c]))
      expect(byId.get('oauth.refresh.rotates')).toMatchObject({ status: 'pass' })
      expect(byId.get('oauth.refresh.rotates')?.reason).toMatch(/consumed one refresh/)
      for (const id of [
        'oauth.geolocation.wrong-datacenter',
        'oauth.geolocation.resource-wrong-datacenter',
        'errors.limit-out-of-range',
        'reports.reports-detail.filter.Status',
      ])
        expect(byId.get(id)?.status, id).toBe('pass')
      expect(byId.get('reports.reports-detail.filter.Status')?.reason).toMatch(
        /PAYMENTCONFIRMED.*disjoint from Status=ACTIVE/,
      )
      expect(byId.get('receipt-images.create')).toMatchObject({
        status: 'skip',
        reason: expect.stringMatching(/never writes/),
      })
      expect(byId.get('oauth.password.bad-credentials')?.reason).toMatch(/locking the account/)
      expect(result.summary.failed).toBe(0)
    } finally {
      await proxied.close()
    }
  })
})
