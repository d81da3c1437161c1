// Request v4's `travel-requests` row through the built CLI: `extract` walks the `operations` next
// links and the file equals the mock's manifest; `--since` and `--incremental` read `lastModified`
// through `modifiedAfter`.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { digestRecords, RequestV4 } from '@concurkit/contract'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { manifestEntry } from '@concurkit/mock-concur/internal'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { credentialsEnv, runCli } from './cli-helpers.ts'

const mock = createMockConcur({ seed: 2405, size: 200, companies: 1, datacenters: ['us'] })
let running: RunningMock
let dir: string

beforeAll(async () => {
  running = await mock.listen({ host: '127.0.0.1', port: 0 })
  dir = await mkdtemp(join(tmpdir(), 'concurkit-request-v4-'))
})
afterAll(async () => {
  await running.close()
  await rm(dir, { recursive: true, force: true })
})

const company = () => mock.state.companies[0]!
const env = () => ({
  ...credentialsEnv(company()),
  CONCUR_BASE_URL: running.datacenters.us!,
  CONCURKIT_CONFIG_DIR: dir,
})
const records = async (file: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => RequestV4.parse(JSON.parse(l)))

describe('extract travel-requests (built CLI against the mock)', () => {
  it('reads every request of the company once, as the manifest counts and checksums them', async () => {
    const out = join(dir, 'requests.ndjson')
    const res = await runCli(['extract', 'travel-requests', '--out', out], { env: env() })
    expect(res.code, res.stderr).toBe(0)
    const got = await records(out)
    expect(got).toHaveLength(company().userCount * 3)
    expect(digestRecords(got)).toEqual(manifestEntry(mock.state, company(), 'travel-requests'))
  })

  it('--since keeps the requests modified since the date (modifiedAfter)', async () => {
    const out = join(dir, 'since.ndjson')
    const res = await runCli(['extract', 'travel-requests', '--since', '2025-01-01', '--out', out], {
      env: env(),
    })
    expect(res.code, res.stderr).toBe(0)
    const got = await records(out)
    const all = await records(join(dir, 'requests.ndjson'))
    expect(got.map((r) => r.id).sort()).toEqual(
      all
        .filter((r) => r.lastModified! >= '2025-01-01')
        .map((r) => r.id)
        .sort(),
    )
    expect(got.length).toBeGreaterThan(0)
    expect(got.length).toBeLessThan(all.length)
  })

  it('--incremental reads everything once, then only the request created and submitted through the API', async () => {
    const first = join(dir, 'inc1.ndjson')
    const run1 = await runCli(['extract', 'travel-requests', '--incremental', '--out', first], { env: env() })
    expect(run1.code, run1.stderr).toBe(0)
    expect(await records(first)).toHaveLength(company().userCount * 3)

    // the mock clock is ahead of the seeded timeline: a change now is newer than every seeded request
    const traveller = company().users[2]!
    const { token } = await mock.state.tokens.issueAccessToken({
      type: 'company',
      companyId: company().id,
      subject: company().id,
      clientId: company().apps[0]!.clientId,
      scopes: [...company().apps[0]!.scopes],
      issuer: mock.state.baseUrl('us'),
    })
    const base = running.datacenters.us!
    const created = await fetch(`${base}/travelrequest/v4/requests?userId=${traveller.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Trip to Lyon', startDate: '2027-01-04', endDate: '2027-01-05' }),
    })
    expect(created.status).toBe(201)
    const changed = ((await created.json()) as { id: string }).id
    const submit = await fetch(`${base}/travelrequest/v4/requests/${changed}/submit?userId=${traveller.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(submit.status).toBe(200)

    const second = join(dir, 'inc2.ndjson')
    const run2 = await runCli(['extract', 'travel-requests', '--incremental', '--out', second], {
      env: env(),
    })
    expect(run2.code, run2.stderr).toBe(0)
    const got = await records(second)
    expect(got.map((r) => r.id)).toEqual([changed])
    expect(got[0]!.approvalStatus.code).toBe('SUBMITTED')
  })
})
