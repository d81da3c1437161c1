// The current APIs' registry rows through the built CLI: `extract` walks them by their paging
// strategy (List v4 `links`, Identity v4.1 `nextCursor`) and the files equal the mock's manifest.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { digestRecords } from '@concurkit/contract'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { manifestEntry } from '@concurkit/mock-concur/internal'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { credentialsEnv, runCli } from './cli-helpers.ts'
import { requestTokenOf } from './company-token.ts'

const mock = createMockConcur({ seed: 42, size: 200, companies: 1, datacenters: ['us'] })
let running: RunningMock
let dir: string

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
  dir = await mkdtemp(join(tmpdir(), 'concurkit-rows-'))
})
afterAll(async () => {
  await running.close()
  await rm(dir, { recursive: true, force: true })
})

const company = () => mock.state.companies[0]!
const records = async (file: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown)

describe('extract of current-API rows (built CLI against the mock)', () => {
  it('list-v4-lists with a user token: every list once, as the manifest counts and checksums them', async () => {
    const out = join(dir, 'lists.ndjson')
    const env = {
      ...credentialsEnv(company()),
      CONCUR_BASE_URL: running.datacenters.us!,
      CONCURKIT_CONFIG_DIR: dir,
    }
    const res = await runCli(['extract', 'list-v4-lists', '--out', out], { env })
    expect(res.code, res.stderr).toBe(0)
    expect(digestRecords(await records(out))).toEqual(manifestEntry(mock.state, company(), 'list-v4-lists'))
  })

  it('identity-users with a user token: one line naming the token kind, no file', async () => {
    const out = join(dir, 'users-denied.ndjson')
    const env = {
      ...credentialsEnv(company()),
      CONCUR_BASE_URL: running.datacenters.us!,
      CONCURKIT_CONFIG_DIR: dir,
    }
    const res = await runCli(['extract', 'identity-users', '--out', out], { env })
    expect(res.code).not.toBe(0)
    const lines = res.stderr.trim().split('\n')
    expect(lines.at(-1)).toMatch(/company-level access tokens only; this is a user token/)
    expect(res.stderr).not.toMatch(/\n\s+at /)
    await expect(readFile(out)).rejects.toThrow()
    // refused before any page: nothing to resume, no temp file either
    await expect(readFile(`${out}.part`)).rejects.toThrow()
  })

  it('identity-users with a company profile (company request token grant): every user, cursor paging', async () => {
    const app = company().apps[0]!
    const requestToken = await requestTokenOf(running.admin, company())
    const env = {
      CONCURKIT_CONFIG_DIR: dir,
      CONCUR_CLIENT_SECRET: app.clientSecret,
      CONCUR_CLIENT_ID: undefined,
      CONCUR_USERNAME: undefined,
      CONCUR_PASSWORD: undefined,
    }
    const login = await runCli(
      [
        'auth',
        'login',
        '--profile',
        'company',
        '--client-id',
        app.clientId,
        '--company-id',
        company().id,
        '--request-token-stdin',
        '--base-url',
        running.datacenters.us!,
      ],
      { env, input: `${requestToken}\n` },
    )
    expect(login.code, login.stderr).toBe(0)
    const out = join(dir, 'users.ndjson')
    const res = await runCli(['extract', 'identity-users', '--profile', 'company', '--out', out], { env })
    expect(res.code, res.stderr).toBe(0)
    const expected = manifestEntry(mock.state, company(), 'identity-users')
    expect(expected.count).toBe(company().userCount)
    expect(digestRecords(await records(out))).toEqual(expected)
  })
})
