import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { companyRequestTokenGrant } from '@concurkit/auth'
import { digestRecords, SCIM_ENTERPRISE_SCHEMA, UPS_SPEND_USER_SCHEMA } from '@concurkit/contract'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli-helpers.ts'

const mock = createMockConcur({ seed: 42, companies: 1, datacenters: ['us'] })
let running: RunningMock
let dir: string

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
  dir = await mkdtemp(join(tmpdir(), 'concurkit-spend-'))
})
afterAll(async () => {
  await running.close()
  await rm(dir, { recursive: true, force: true })
})

async function admin(method: string, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${running.admin}${path}`, { method })
  expect(res.status, `${method} ${path}`).toBeLessThan(300)
  return (await res.json()) as Record<string, unknown>
}

describe('concurkit extract spend-users (built CLI, child process) against the mock', () => {
  it('with a company login: every user, a provisioned one included, equal to the manifest; with a user login: one readable line, no output file', async () => {
    const c = mock.state.companies[0]!
    const app = c.apps[0]!
    const base = running.datacenters.us!
    const env = {
      CONCURKIT_CONFIG_DIR: join(dir, 'company'),
      CONCUR_CLIENT_SECRET: app.clientSecret,
      CONCUR_CLIENT_ID: undefined,
      CONCUR_USERNAME: undefined,
      CONCUR_PASSWORD: undefined,
      CONCUR_REQUEST_TOKEN: undefined,
    }
    const { requestToken } = (await admin('POST', `/_mock/companies/${c.id}/request-token`)) as {
      requestToken: string
    }
    const login = await runCli(
      [
        'auth',
        'login',
        '--client-id',
        app.clientId,
        '--company-id',
        c.id,
        '--request-token-stdin',
        '--base-url',
        base,
      ],
      { env, input: `${requestToken}\n` },
    )
    expect(login.code, login.stderr).toBe(0)

    // A user provisioned through UPS with a spend extension, completed on the mock clock.
    const second = (await admin('POST', `/_mock/companies/${c.id}/request-token`)) as { requestToken: string }
    const company = await companyRequestTokenGrant({
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      companyId: c.id,
      requestToken: second.requestToken,
      baseUrl: base,
    })
    const bearer = company.accessToken.reveal()
    const res = await fetch(`${base}/profile/v4/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        userName: 'cli.spend@provisioned.example.org',
        active: true,
        name: { givenName: 'Cli', familyName: 'Spend' },
        emails: [{ value: 'cli.spend@provisioned.example.org' }],
        [SCIM_ENTERPRISE_SCHEMA]: { employeeNumber: 'CLI-1' },
        [UPS_SPEND_USER_SCHEMA]: { reimbursementCurrency: 'SEK', country: 'SE', locale: 'sv-SE' },
      }),
    })
    expect(res.status).toBe(201)
    await fetch(`${running.admin}/_mock/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 3 }),
    })

    const out = join(dir, 'spend.ndjson')
    const extract = await runCli(['extract', 'spend-users', '--out', out, '--format', 'ndjson'], { env })
    expect(extract.code, extract.stderr).toBe(0)
    const records = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(records).toHaveLength(c.userCount + 1)
    expect(records.at(-1)?.[UPS_SPEND_USER_SCHEMA]).toEqual({
      reimbursementCurrency: 'SEK',
      country: 'SE',
      locale: 'sv-SE',
    })
    const manifest = (await admin('GET', `/_mock/manifest?company=${c.id}&resource=spend-users`)) as {
      companies: { resources: Record<string, { count: number; sha256: string }> }[]
    }
    expect(digestRecords(records)).toEqual(manifest.companies[0]!.resources['spend-users'])

    // A user's login cannot read the company-only row: one line naming the token kind, no file.
    const userEnv = { ...env, CONCURKIT_CONFIG_DIR: join(dir, 'user') }
    const userLogin = await runCli(
      [
        'auth',
        'login',
        '--client-id',
        app.clientId,
        '--username',
        c.users[0]!.loginId,
        '--password-stdin',
        '--base-url',
        base,
      ],
      { env: userEnv, input: `${c.users[0]!.password}\n` },
    )
    expect(userLogin.code, userLogin.stderr).toBe(0)
    const refused = await runCli(['extract', 'spend-users', '--out', join(dir, 'user', 'spend.ndjson')], {
      env: userEnv,
    })
    expect(refused.code).not.toBe(0)
    expect(refused.stderr.trim().split('\n')).toHaveLength(1)
    expect(refused.stderr).toMatch(/company-level access tokens only; this is a user token/)
    // The output file is not written (a `.part` stays for `--resume`, as for any interrupted extract).
    expect(await readdir(join(dir, 'user'))).not.toContain('spend.ndjson')
  })
})
