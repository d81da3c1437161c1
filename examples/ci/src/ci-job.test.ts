// Runs the conformance step of github-actions.yml exactly as written (with the workspace's built
// `concurkit` on PATH instead of `npm install --global`) and reads the JUnit report it writes.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'

const here = fileURLToPath(new URL('..', import.meta.url))
const cli = fileURLToPath(new URL('../../../apps/cli/dist/bin.js', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'ci-job-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

// `npm install --global concurkit` puts a `concurkit` executable on PATH; stand in for it with the
// workspace's build (pnpm cannot link the bin at install time on a fresh clone, before the build).
const bin = join(work, 'bin')
mkdirSync(bin)
writeFileSync(join(bin, 'concurkit'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`, {
  mode: 0o755,
})

interface Step {
  name?: string
  run?: string
  uses?: string
}

function conformanceStep(): string {
  const workflow = parseYaml(readFileSync(join(here, 'github-actions.yml'), 'utf8')) as {
    jobs: Record<string, { steps: Step[] }>
  }
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps)
  const run = steps.find((s) => s.run?.startsWith('concurkit conformance'))?.run
  if (!run) throw new Error('github-actions.yml has no `concurkit conformance` step')
  return run.trim()
}

function sh(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', command],
      {
        cwd: work,
        timeout: 170_000,
        env: {
          ...process.env,
          NO_COLOR: '1',
          PATH: `${bin}:${process.env.PATH}`,
        },
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

it('the workflow runs the conformance suite with a JUnit report and the report parses', async () => {
  const command = conformanceStep()
  expect(command).toBe('concurkit conformance --reporter junit --out report.xml')
  const { code, stderr } = await sh(command)
  if (!existsSync(join(work, 'report.xml')))
    throw new Error(
      `no report.xml (exit ${code}; is the CLI built? \`pnpm build\`):\n${stderr.slice(0, 2000)}`,
    )
  const xml = readFileSync(join(work, 'report.xml'), 'utf8')
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
    testsuites: {
      name: string
      tests: string
      failures: string
      testsuite: { name: string; tests: string; testcase: { name: string; failure?: unknown }[] }[]
    }
  }
  const suites = asArray(doc.testsuites.testsuite)
  const cases = suites.flatMap((s) => asArray(s.testcase))
  const failed = cases.filter((c) => c.failure !== undefined).length
  expect(doc.testsuites.name).toBe('concurkit conformance')
  expect(suites.map((s) => s.name)).toContain('oauth')
  expect(cases.length).toBe(Number(doc.testsuites.tests))
  expect(cases.length).toBeGreaterThan(50)
  expect(failed).toBe(Number(doc.testsuites.failures))
  // The job fails exactly when a check fails, so CI goes red with the report attached.
  expect({ code, failed: failed > 0 }).toEqual({ code: failed > 0 ? 1 : 0, failed: failed > 0 })
  expect(stderr).not.toMatch(/at .+\.js:\d+/)
}, 180_000) // the whole catalogue; a loaded machine needs well over a minute
