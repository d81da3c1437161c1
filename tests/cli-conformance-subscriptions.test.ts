import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { credentialsEnv, runCli } from './cli-helpers.ts'

// `concurkit conformance --target … --allow-subscriptions` (built CLI, child process): the ESS
// subscription checks write to the app, so against a target they run only when asked, and every
// subscription they create is deleted again.
const mock = createMockConcur({ seed: 5, size: 10, companies: 1, datacenters: ['us'] })
let running: RunningMock
let env: Record<string, string>

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
  const c = mock.state.companies[0]!
  env = {
    ...credentialsEnv(c),
  }
})
afterAll(() => running.close())

interface Report {
  checks: { id: string; status: string; reason: string }[]
}
const run = async (...more: string[]) => {
  const res = await runCli(
    ['conformance', '--target', running.datacenters.us!, '--only', 'ess.subscriptions', '--json', ...more],
    { env, timeoutMs: 60_000 },
  )
  return { code: res.code, report: JSON.parse(res.stdout) as Report, stderr: res.stderr }
}

describe('conformance --allow-subscriptions (built CLI)', () => {
  it('skips the subscription checks against a target unless asked, then runs them and leaves nothing behind', async () => {
    const plain = await run()
    expect(plain.code, plain.stderr).toBe(0)
    const crud = (r: Report) => r.checks.find((c) => c.id === 'ess.subscriptions.crud')
    expect(crud(plain.report)).toMatchObject({
      status: 'skip',
      reason: expect.stringMatching(/allowSubscriptions/),
    })

    const allowed = await run('--allow-subscriptions')
    expect(allowed.code, allowed.stderr).toBe(0)
    expect(crud(allowed.report)?.status).toBe('pass')
    expect(allowed.report.checks.find((c) => c.id === 'ess.subscriptions.validation')?.status).toBe('pass')
    const admin = (await (await fetch(`${running.admin}/_mock/events`)).json()) as {
      subscriptions: unknown[]
    }
    expect(admin.subscriptions).toEqual([])
  })

  it('is a usage error without --target', async () => {
    const res = await runCli(['conformance', '--allow-subscriptions'])
    expect(res.code).toBe(2)
    expect(res.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/--allow-subscriptions goes with --target/),
    ])
  })
})
