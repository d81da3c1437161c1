import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RESOURCE_NAMES } from '@concurkit/contract'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli-helpers.ts'

// checks that depend only on the token service and the error layer
const CORE = [
  'oauth.password',
  'oauth.client',
  'oauth.refresh',
  'oauth.jwks',
  'oauth.token',
  'oauth.grant-type',
]

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'concurkit-conformance-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('concurkit (built CLI)', () => {
  it('prints help with examples and the version', async () => {
    const help = await runCli(['conformance', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Examples:')
    const version = await runCli(['--version'])
    expect(version.code).toBe(0)
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('reports a usage error as one line with exit code 2', async () => {
    const res = await runCli(['conformance', '--reporter', 'yaml'])
    expect(res.code).toBe(2)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    const unknown = await runCli(['frobnicate'])
    expect(unknown.code).toBe(2)
  })

  it('lists every check with a unique id, including generated per-resource checks', async () => {
    const res = await runCli(['conformance', '--list'])
    expect(res.code).toBe(0)
    const ids = res.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t')[0])
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toContain('oauth.refresh.rotates')
    expect(ids).toContain('reports.expense-reports.paging.no-duplicates')
    expect(ids).toContain('reports.expense-reports.filter.approvalStatusCode')
    expect(ids).toContain('reports.travel-itineraries.schema')
  })

  it('--reporter json prints exactly one object with summary, coverage and checks', async () => {
    const res = await runCli(['conformance', '--reporter', 'json', '--only', ...CORE])
    expect(res.stderr).toBe('')
    const report = JSON.parse(res.stdout) as {
      summary: {
        passed: number
        failed: number
        warned: number
        skipped: number
        durationMs: number
        coverage: unknown
      }
      checks: { id: string; title: string; status: string; reason: string }[]
    }
    expect(report.summary.failed, JSON.stringify(report.checks.filter((c) => c.status === 'fail'))).toBe(0)
    expect(res.code).toBe(0)
    expect(report.summary.skipped).toBe(0)
    expect(report.summary.passed).toBe(report.checks.length)
    // every registry row is exercised (the twenty report resources and the current APIs' rows)
    const rows = RESOURCE_NAMES.length
    expect(report.summary.coverage).toMatchObject({ resources: { total: rows } })
    for (const c of report.checks) {
      expect(c.id).toMatch(/^[a-z0-9.-]+$/)
      expect(['pass', 'fail', 'warn', 'skip']).toContain(c.status)
      expect(c.reason.length).toBeGreaterThan(0)
    }
  })

  it('--reporter junit --out writes JUnit XML that parses', async () => {
    const out = join(dir, 'report.xml')
    const res = await runCli(['conformance', '--reporter', 'junit', '--out', out, '--only', ...CORE])
    expect(res.code).toBe(0)
    expect(res.stdout).toBe('')
    const xml = await readFile(out, 'utf8')
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: {
        testsuite: { name: string; tests: string; failures: string; testcase: unknown } | unknown[]
      }
    }
    const suites = [parsed.testsuites.testsuite].flat() as {
      name: string
      tests: string
      failures: string
      testcase: unknown
    }[]
    expect(suites.length).toBeGreaterThan(0)
    const cases = suites.flatMap((s) => [s.testcase].flat()) as {
      name: string
      classname: string
      failure?: unknown
    }[]
    expect(cases.length).toBeGreaterThan(10)
    expect(cases.every((c) => c.name && c.classname.startsWith('conformance.'))).toBe(true)
    expect(cases.some((c) => c.failure !== undefined)).toBe(false)
  })

  it('--target without credentials is a usage error naming what is missing', async () => {
    const res = await runCli(['conformance', '--target', 'http://127.0.0.1:9'], {
      env: {
        CONCUR_CLIENT_ID: undefined,
        CONCUR_CLIENT_SECRET: undefined,
        CONCUR_USERNAME: undefined,
        CONCUR_PASSWORD: undefined,
      },
    })
    expect(res.code).toBe(2)
    expect(res.stderr).toContain('CONCUR_CLIENT_SECRET')
  })

  it('--target at an unreachable host is a network error (exit 4), one line', async () => {
    const res = await runCli(
      ['conformance', '--target', 'http://127.0.0.1:9', '--only', 'oauth.password.grant'],
      {
        env: {
          CONCUR_CLIENT_ID: 'id',
          CONCUR_CLIENT_SECRET: 'secret-value-123',
          CONCUR_USERNAME: 'u',
          CONCUR_PASSWORD: 'pw-value-456',
        },
      },
    )
    // nothing answers at all: one line naming the target, no report of checks that all fail alike
    expect(res.code).toBe(4)
    expect(res.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: .*127\.0\.0\.1:9/)])
    expect(res.stdout + res.stderr).not.toContain('secret-value-123')
    expect(res.stdout + res.stderr).not.toContain('pw-value-456')
  })
})
