// Mutation testing of the judge: the suite runs in `--target` mode against the mock behind a proxy
// that breaks one documented Concur behaviour (test/mutation/mutants.ts), once per mutant, and once
// against the unmutated proxy. Every run is the whole catalogue (no `only`), so "the checks a mutant
// fails" is exact and the only-this-family analysis is sound. Runs go over an in-process fetch to the
// proxies' handlers (grants and the report client over the proxies' sockets on 127.0.0.1).
//
//   CONCURKIT_UPDATE_MUTATION_TABLE=1 pnpm vitest run --project conformance test/mutation.test.ts
// rewrites the table in packages/conformance/README.md from this run.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { RESOURCES } from '@concurkit/contract'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConformanceResult } from '../src/index.js'
import { familyOf, judge, type Kill, mutationTable } from './mutation/judge.js'
import { MUTANTS } from './mutation/mutants.js'

const README = fileURLToPath(new URL('../README.md', import.meta.url))
const START = '<!-- mutation-table:start -->'
const END = '<!-- mutation-table:end -->'

let baseline: ConformanceResult
const kills: Kill[] = []
let elapsedMs = 0

beforeAll(async () => {
  const t0 = performance.now()
  baseline = await judge()
  for (const mutant of MUTANTS) {
    const result = await judge(mutant.wrap)
    kills.push({ mutant, failed: result.checks.filter((c) => c.status === 'fail').map((c) => c.id) })
  }
  elapsedMs = performance.now() - t0
}, 240_000)

afterAll(() => {
  const killed = kills.filter((k) => k.failed.length > 0).length
  process.stdout.write(
    `mutation testing of the judge: ${killed}/${kills.length} mutants killed (${((100 * killed) / Math.max(1, kills.length)).toFixed(1)} %), ${kills.length + 1} --target runs in ${(elapsedMs / 1000).toFixed(1)} s\n`,
  )
})

describe('the conformance suite judged by mutants of Concur behaviour (--target mode)', () => {
  it('has at least 30 mutants, each with its own id', () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(30)
    expect(new Set(MUTANTS.map((m) => m.id)).size).toBe(MUTANTS.length)
  })

  it('passes the unmutated proxy with 0 failures, and says why each skipped check cannot run', () => {
    const failed = baseline.checks.filter((c) => c.status !== 'pass' && c.status !== 'skip')
    expect(failed.map((c) => `${c.id}: ${c.reason}`)).toEqual([])
    expect(baseline.summary.failed).toBe(0)
    const skipped = baseline.checks.filter((c) => c.status === 'skip')
    for (const c of skipped)
      expect(c.reason, c.id).toMatch(/^not run against http:\/\/127\.0\.0\.1:\d+: \S.{20,}/)
    // the checks real credentials allow all run: what is left needs the mock itself (see the README)
    // or a company-level token (Identity v4, spend profiles), which a run with a user's credentials does not have
    const companyRows = RESOURCES.filter((r) => r.tokenKinds && !r.tokenKinds.includes('user'))
    const companyOnly = skipped.filter((c) => companyRows.some((r) => c.id.startsWith(`reports.${r.name}.`)))
    expect(companyOnly.length).toBeGreaterThan(0)
    for (const c of skipped.filter((x) => /company-level tokens only/.test(x.reason)))
      expect(companyOnly).toContain(c)
    // every row's count against the manifest needs the mock's admin API (one skip per row a user
    // token reads); what else needs the mock is listed in the README
    const mockOnly = skipped.filter((c) => !companyOnly.includes(c))
    const manifestCounts = mockOnly.filter((c) => c.id.endsWith('.count.manifest'))
    expect(manifestCounts.length).toBe(RESOURCES.length - companyRows.length)
    // 33: expense-v4.comments.latest writes comments, so it runs on the mock only
    expect(mockOnly.length - manifestCounts.length).toBeLessThanOrEqual(33)
  })

  it('kills every mutant: each makes at least one check fail (kill rate 100 %)', () => {
    const survivors = kills.filter((k) => k.failed.length === 0).map((k) => k.mutant.id)
    expect(survivors).toEqual([])
  })

  it('has, for every check family that runs against a remote target, a mutant only that family kills', () => {
    const families = new Set(baseline.checks.filter((c) => c.status === 'pass').map((c) => familyOf(c.id)))
    const witnessed = new Map<string, string>()
    for (const k of kills) {
      const hit = new Set(k.failed.map(familyOf))
      const [only] = hit
      if (hit.size === 1 && only && !witnessed.has(only)) witnessed.set(only, k.mutant.id)
    }
    const missing = [...families].filter((f) => !witnessed.has(f))
    expect(missing).toEqual([])
  })

  it('matches the mutation table in the package README', () => {
    const table = mutationTable(kills)
    const readme = readFileSync(README, 'utf8')
    const at = readme.indexOf(START)
    const end = readme.indexOf(END)
    expect(at, 'README markers').toBeGreaterThan(0)
    if (process.env.CONCURKIT_UPDATE_MUTATION_TABLE === '1') {
      writeFileSync(README, `${readme.slice(0, at + START.length)}\n${table}\n${readme.slice(end)}`)
      return
    }
    expect(readme.slice(at + START.length, end).trim()).toBe(table)
  })
})
