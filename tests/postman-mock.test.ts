/**
 * The mock's own Postman collection (GET /_mock/postman.json, generated from the registry), run by
 * newman against `concurkit mock --tls` with an environment filled from the `--json` line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildPostmanCollection, buildPostmanEnvironment } from '@concurkit/mock-concur'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type MockProcess,
  type NewmanExecution,
  responseJson,
  runNewman,
  sentField,
  startMockCli,
} from './mock-tls-helpers.ts'

const ROTATE = 'Refresh token grant (rotation)'
const REUSED = 'Refresh token reused: code 108 (error case)'

interface Item {
  name: string
  item?: Item[]
  request?: unknown
}
const count = (items: Item[]): number => items.reduce((n, i) => n + (i.item ? count(i.item) : 1), 0)

describe('GET /_mock/postman.json run by newman against concurkit mock --tls', () => {
  let mock: MockProcess
  let work: string
  let agent: Agent
  let collection: { item: Item[]; variable: { key: string; value: string }[] }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'concurkit-postman-'))
    mock = await startMockCli(['--tls', '--size', '40'])
    agent = new Agent({ connect: { ca: readFileSync(mock.json.tls!.ca) } })
  })
  afterAll(async () => {
    await agent?.close()
    await mock?.stop()
    rmSync(work, { recursive: true, force: true })
  })

  it('serves the collection generated from the registry, with its own https URL as baseUrl', async () => {
    const res = await request(`${mock.json.admin}/_mock/postman.json`, { dispatcher: agent })
    expect(res.statusCode).toBe(200)
    collection = (await res.body.json()) as typeof collection
    expect(collection.variable).toEqual([{ key: 'baseUrl', value: mock.json.admin, type: 'string' }])
    expect(collection).toEqual(buildPostmanCollection({ baseUrl: mock.json.admin }))
    writeFileSync(join(work, 'collection.json'), JSON.stringify(collection))
  })

  it('answers every request 2xx (the reused refresh token 400/108), rotating across iterations', async () => {
    const envFile = join(work, 'environment.json')
    writeFileSync(envFile, JSON.stringify(buildPostmanEnvironment(mock.json)))
    const run = await runNewman({
      collection: join(work, 'collection.json'),
      environment: envFile,
      ca: mock.json.tls!.ca,
      work,
      args: ['--iteration-count', '2'],
    })
    const { stats, executions, failures } = run.report.run
    expect(failures.map((f) => `${f.source.name}: ${f.error.message}`)).toEqual([])
    expect(run.code).toBe(0)
    const perIteration = count(collection.item)
    expect(perIteration).toBeGreaterThan(40)
    expect(stats.iterations).toMatchObject({ total: 2, failed: 0 })
    expect(stats.requests).toMatchObject({ total: 2 * perIteration, failed: 0 })
    expect(stats.assertions.failed).toBe(0)
    for (const e of executions) {
      expect(e.request.url.protocol, e.item.name).toBe('https')
      if (e.item.name === REUSED) {
        expect(e.response.code).toBe(400)
        expect(responseJson(e)).toMatchObject({ error: 'invalid_grant', code: 108 })
      } else expect(e.response.code, e.item.name).toBeGreaterThanOrEqual(200)
      if (e.item.name !== REUSED) expect(e.response.code, e.item.name).toBeLessThan(300)
    }
    // Rotation across iterations: each refresh sends the token the previous one wrote back, and the
    // error case sends the one it spent.
    const rotations = executions.filter((e) => e.item.name === ROTATE)
    const reused = executions.filter((e) => e.item.name === REUSED)
    expect(rotations.map((e) => e.cursor.iteration)).toEqual([0, 1])
    const issued = (e: NewmanExecution) => String(responseJson(e).refresh_token)
    for (let i = 1; i < rotations.length; i++)
      expect(sentField(rotations[i]!, 'refresh_token')).toBe(issued(rotations[i - 1]!))
    for (let i = 0; i < rotations.length; i++)
      expect(sentField(reused[i]!, 'refresh_token')).toBe(sentField(rotations[i]!, 'refresh_token'))
    expect(run.env.refreshToken).toBe(issued(rotations.at(-1)!))
    // The first iteration's refresh token came from the password grant.
    const password = executions.find((e) => e.item.name === 'Password grant')!
    expect(sentField(rotations[0]!, 'refresh_token')).toBe(String(responseJson(password).refresh_token))
  })

  it('serves an environment for the default company at /_mock/postman-environment.json', async () => {
    const res = await request(`${mock.json.admin}/_mock/postman-environment.json`, { dispatcher: agent })
    const env = (await res.body.json()) as { values: { key: string; value: string }[] }
    const fromJson = buildPostmanEnvironment(mock.json) as typeof env
    const strip = (e: typeof env) => e.values.filter((v) => v.key !== 'requestToken')
    expect(strip(env)).toEqual(strip(fromJson))
  })
})
