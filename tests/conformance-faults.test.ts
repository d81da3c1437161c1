import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { credentialsEnv, runCli } from './cli-helpers.ts'

const mock = createMockConcur({ seed: 42, companies: 1, datacenters: ['us'] })
let running: RunningMock
const CARDS = '/api/expense/expensereport/v1.1/CardCharges'

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
})
afterAll(async () => {
  await running.close()
})

async function report(env: Record<string, string>) {
  const res = await runCli(
    [
      'conformance',
      '--target',
      running.datacenters.us!,
      '--reporter',
      'json',
      '--only',
      'reports.company-card-transactions',
    ],
    { env },
  )
  return {
    code: res.code,
    report: JSON.parse(res.stdout) as { checks: { id: string; status: string; reason: string }[] },
  }
}

describe('the suite can fail: a mock broken through the admin API fails the matching check by id', () => {
  it('a duplicated record fails reports.company-card-transactions.paging.no-duplicates', async () => {
    const c = mock.state.companies[0]!
    const env = {
      ...credentialsEnv(c),
    }
    const healthy = await report(env)
    const id = 'reports.company-card-transactions.paging.no-duplicates'
    expect(healthy.report.checks.find((x) => x.id === id)?.status).toBe('pass')

    // read the real answer, then serve it with its first record duplicated
    const grant = await fetch(`${running.datacenters.us}/oauth2/v0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: env.CONCUR_CLIENT_ID,
        client_secret: env.CONCUR_CLIENT_SECRET,
        username: env.CONCUR_USERNAME,
        password: env.CONCUR_PASSWORD,
      }),
    })
    const token = ((await grant.json()) as { access_token: string }).access_token
    const real = await (
      await fetch(`${running.datacenters.us}${CARDS}`, { headers: { authorization: `Bearer ${token}` } })
    ).text()
    const first = /<CardCharge>[\s\S]*?<\/CardCharge>/.exec(real)?.[0]
    expect(first).toBeDefined()
    const broken = real.replace(first!, `${first}${first}`)
    const rule = await fetch(`${running.admin}/_mock/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'GET', path: CARDS, status: 200, body: broken }),
    })
    expect(rule.status).toBeLessThan(300)

    const failing = await report(env)
    expect(failing.code).toBe(1)
    const check = failing.report.checks.find((x) => x.id === id)
    expect(check?.status).toBe('fail')
    expect(check?.reason).toMatch(/more than once/)
  })
})
