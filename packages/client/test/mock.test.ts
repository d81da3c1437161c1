import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConcurRequestError } from '../src/index.ts'
import { type MockFixture, startMock } from './helpers/mock.ts'

describe('client against the mock (real sockets)', () => {
  let f: MockFixture
  beforeAll(async () => {
    f = await startMock({ seed: 11, size: 30 })
  })
  afterAll(() => f.close())

  it("takes @concurkit/auth's token manager as it is: base URL from its geolocation, one refresh on a revoked token", async () => {
    const manager = await f.login(0)
    const client = await f.client()
    const defs = await client.extractDefinitions.list().toArray()
    expect(defs.length).toBeGreaterThan(0)
    expect(client.transport.stats.refreshes).toBe(0)
    // Revoke the access token behind the manager's back: the client refreshes once and goes on.
    const token = await manager.getAccessToken()
    f.mock.state.tokens.revoke(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti)
    const again = await client.extractDefinitions.list().toArray()
    expect(again.length).toBe(defs.length)
    expect(client.transport.stats.refreshes).toBe(1)
    expect(await manager.getAccessToken()).not.toBe(token)
  })

  it('extract job: create → poll on the mock clock → download; the file holds the job’s reports', async () => {
    const client = await f.client()
    const [definition] = await client.extractDefinitions.list().toArray()
    const definitionId = String(definition!.id)
    const job = await client.extractJobs.create(definitionId)
    expect(job.status).toBe('Queued')
    const statuses: string[] = []
    const done = await client.extractJobs.waitFor(job.definitionId, job.jobId, {
      interval: 1,
      timeout: 10_000,
      onPoll: async (j) => {
        statuses.push(j.status)
        await f.adminCall('POST', '/_mock/clock', { advanceSeconds: 25 })
      },
    })
    expect(done.status).toBe('Completed')
    expect(statuses).toEqual(['Queued', 'In Process', 'In Process'])
    expect(done.fileLink).toBeDefined()
    const file = await client.extractJobs.download(done)
    expect(file.contentType).toMatch(/^text\/csv/)
    const lines = file.bytes.toString('utf8').trimEnd().split('\r\n')
    expect(lines[0]).toMatch(/^ReportID,ReportName,/)
    // The reports a job extracted are the v2.0 reports with its JobKey: the list's default Status
    // (ACTIVE) leaves out the payment-confirmed ones, so both groups are read.
    const active = await client.reportsDetail.list({ JobKey: done.jobId }).toArray()
    const confirmed = await client.reportsDetail
      .list({ JobKey: done.jobId, Status: 'PAYMENTCONFIRMED' })
      .toArray()
    const listed = [...active, ...confirmed].map((r) => String(r.ReportId))
    expect(active.length).toBeGreaterThan(0)
    const inFile = lines.slice(1).map((l) => l.split(',')[0])
    expect(inFile.length).toBe(listed.length)
    expect([...inFile].sort()).toEqual([...listed].sort())
    // No file before completion: a typed 404.
    const second = await client.extractJobs.create(definitionId)
    const err = await client.extractJobs.download(second).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConcurRequestError)
    expect((err as ConcurRequestError).status).toBe(404)
  })
})
