import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RESOURCES } from '@concurkit/contract'
import { parse as parseJunit, type TestSuite, type TestSuites } from 'junit2json'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli-helpers.ts'

interface JsonReport {
  summary: {
    passed: number
    failed: number
    warned: number
    skipped: number
    durationMs: number
    coverage: {
      resources: { exercised: number; total: number }
      parameters: { exercised: number; total: number }
    }
  }
  checks: { id: string; title: string; status: string; reason: string; group: string; reference: string }[]
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'concurkit-offline-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Names the checks that did not pass, so a failing run says why. */
function notPassing(report: JsonReport): string {
  return report.checks
    .filter((c) => c.status !== 'pass')
    .map((c) => `${c.status} ${c.id}: ${c.reason}`)
    .join('\n')
}

describe('concurkit conformance, offline against the built-in mock (the built CLI)', () => {
  it('runs the whole catalogue: exit 0, every check passes, none skipped, every resource covered', {
    timeout: 150_000,
  }, async () => {
    const res = await runCli(['conformance', '--reporter', 'json'], { timeoutMs: 120_000 })
    expect(res.stderr).toBe('')
    const report = JSON.parse(res.stdout) as JsonReport
    expect(report.summary.failed, notPassing(report)).toBe(0)
    expect(report.summary.skipped, notPassing(report)).toBe(0)
    expect(report.summary.warned, notPassing(report)).toBe(0)
    expect(res.code).toBe(0)
    expect(report.summary.passed).toBe(report.checks.length)

    const ids = report.checks.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    // every registry resource has its generated checks, and they ran
    for (const r of RESOURCES) {
      for (const kind of [
        'schema',
        'paging.no-duplicates',
        'paging.terminates',
        'count.manifest',
        'negotiation',
      ])
        expect(ids, `${r.name} ${kind}`).toContain(`reports.${r.name}.${kind}`)
      for (const f of r.filters) expect(ids).toContain(`reports.${r.name}.filter.${f.param}`)
    }
    expect(report.summary.coverage.resources).toEqual({
      exercised: RESOURCES.length,
      total: RESOURCES.length,
    })
    expect(report.summary.coverage.parameters.exercised).toBe(report.summary.coverage.parameters.total)
    // the coverage list beyond the per-resource checks
    for (const id of [
      'oauth.password.grant',
      'oauth.client-credentials.grant',
      'oauth.refresh.rotates',
      'oauth.authorization-code.grant',
      'oauth.company.request-token',
      'oauth.otp.grant',
      'oauth.expiry.access-token',
      'oauth.expiry.refresh-token',
      'oauth.geolocation.wrong-datacenter',
      'oauth.scope.enforced',
      'oauth.roles.user-all',
      'errors.bad-limit',
      'errors.xml-body',
      'receipt-images.create',
      'receipt-images.get',
      'receipt-images.bytes',
      'extract.job.lifecycle',
      'callouts.registration',
      'callouts.connection-test',
      'callouts.wrong-password',
      'callouts.fetch-attendee',
      'callouts.fetch-list',
      'callouts.notify',
      'callouts.launch-external-url',
    ])
      expect(ids).toContain(id)
  })

  it('--reporter junit --out writes JUnit XML that a JUnit parser reads: one suite per group, no failure', {
    timeout: 150_000,
  }, async () => {
    const out = join(dir, 'report.xml')
    const res = await runCli(['conformance', '--reporter', 'junit', '--out', out], { timeoutMs: 120_000 })
    expect(res.stdout).toBe('')
    expect(res.code, res.stderr).toBe(0)
    const parsed = (await parseJunit(await readFile(out, 'utf8'))) as TestSuites | TestSuite | undefined
    const suites = parsed && 'testsuite' in parsed ? (parsed.testsuite ?? []) : []
    expect(suites.length).toBeGreaterThan(5)
    const cases = suites.flatMap((s) => s.testcase ?? [])
    expect(cases.length).toBeGreaterThan(200)
    for (const s of suites) {
      expect(s.failures ?? 0).toBe(0)
      expect(s.tests).toBe(s.testcase?.length)
      for (const c of s.testcase ?? []) expect(c.classname).toBe(`conformance.${s.name}`)
    }
    expect(suites.map((s) => s.name)).toEqual(
      expect.arrayContaining(['oauth', 'errors', 'callouts', 'extract']),
    )
    expect(cases.every((c) => c.name?.includes(': '))).toBe(true)
    expect(cases.filter((c) => c.failure || c.error || c.skipped)).toEqual([])
    expect(res.stderr).toMatch(/\d+ passed, 0 failed, 0 warned, 0 skipped/)
  })
})
