// Attendees v4 and Attendees v3.0 are two views of one set of attendees: an attendee created
// through v4 is read through v3.0 (and a v3.0 change through v4), over real sockets with a token
// from the password grant; the built CLI extracts the `attendees-v4` row as the manifest counts it.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { passwordGrant } from '@concurkit/auth'
import { createConcurClient, staticToken } from '@concurkit/client'
import { AttendeesV4Page, AttendeeV4Created, digestRecords } from '@concurkit/contract'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { manifestEntry } from '@concurkit/mock-concur/internal'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { credentialsEnv, runCli } from './cli-helpers.ts'

const mock = createMockConcur({ seed: 2205, size: 200, companies: 1, datacenters: ['us'] })
let running: RunningMock
let origin: string
let token: string
let dir: string

const company = () => mock.state.companies[0]!

beforeAll(async () => {
  running = await mock.listen({ host: '127.0.0.1', port: 0 })
  origin = running.datacenters.us!
  dir = await mkdtemp(join(tmpdir(), 'concurkit-attendees-'))
  const c = company()
  const tokens = await passwordGrant({
    clientId: c.apps[0]!.clientId,
    clientSecret: c.apps[0]!.clientSecret,
    username: c.users[0]!.loginId,
    password: c.users[0]!.password,
    baseUrl: origin,
  })
  token = tokens.accessToken.reveal()
})
afterAll(async () => {
  await running.close()
  await rm(dir, { recursive: true, force: true })
})

async function http(method: string, path: string, body?: unknown) {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: res.status, text: await res.text() }
}

describe('Attendees v4 ⇄ Attendees v3.0 (e2e over sockets)', () => {
  it('an attendee created through v4 is read through v3.0; a v3.0 update shows in v4', async () => {
    const created = await http('POST', '/v4/attendees', {
      attendeeTypeCode: 'BUSGUEST',
      firstName: 'Olive',
      lastName: 'Tree',
      company: 'The Lumbermill Company',
      externalId: 'E2E-OLIVE',
      custom8: 'NYC',
    })
    expect(created.status, created.text).toBe(200)
    const { id, uri } = AttendeeV4Created.parse(JSON.parse(created.text))
    expect(uri).toBe(`${origin}/v4/attendees/${id}`)

    const client = createConcurClient({ auth: staticToken(token, origin), retry: { maxRetries: 0 } })
    try {
      const v3 = await client.resource('expense-attendees').list({ externalID: 'E2E-OLIVE' }).toArray()
      expect(v3).toHaveLength(1)
      expect(v3[0]).toMatchObject({
        LastName: 'Tree',
        FirstName: 'Olive',
        Company: 'The Lumbermill Company',
        AttendeeTypeCode: 'BUSGUEST',
        OwnerLoginID: company().users[0]!.loginId,
      })
      const put = await http('PUT', `/api/v3.0/expense/attendees/${v3[0]!.ID}`, { Title: 'Arborist' })
      expect(put.status, put.text).toBe(200)
    } finally {
      await client.close()
    }
    const one = await http('GET', `/v4/attendees/${id}`)
    expect(one.status, one.text).toBe(200)
    expect(AttendeesV4Page.parse(JSON.parse(one.text)).items?.[0]).toMatchObject({
      id,
      title: 'Arborist',
      lastName: 'Tree',
      custom8: { type: 'Text', value: 'NYC' },
      ownerUserId: company().users[0]!.id,
    })
  })

  it('`concurkit extract attendees-v4` (built CLI) writes every attendee once, as the manifest counts them', async () => {
    const out = join(dir, 'attendees.ndjson')
    const env = { ...credentialsEnv(company()), CONCUR_BASE_URL: origin, CONCURKIT_CONFIG_DIR: dir }
    const res = await runCli(['extract', 'attendees-v4', '--out', out], { env })
    expect(res.code, res.stderr).toBe(0)
    const lines = (await readFile(out, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as unknown)
    // more than one page of 25
    expect(lines.length).toBeGreaterThan(50)
    expect(digestRecords(lines)).toEqual(manifestEntry(mock.state, company(), 'attendees-v4'))
  })
})
