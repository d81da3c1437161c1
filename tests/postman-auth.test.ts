/**
 * SAP's own Postman collection for Concur web-services authentication, run UNMODIFIED by newman
 * against `concurkit mock --tls`: only the environment's values come from the mock's `--json` line.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type MockProcess,
  type NewmanRun,
  responseJson,
  runNewman,
  sentField,
  startMockCli,
} from './mock-tls-helpers.ts'

const SAP = fileURLToPath(
  new URL('../fixtures/third-party/sap-concur-web-services-authentication/', import.meta.url),
)
const COLLECTION = join(SAP, 'Authentication.postman_collection.json')
const ENVIRONMENT = join(SAP, 'Concur Default Env.postman_environment.json')
const CONVERT = '(One Time) Convert Request Token To Refresh Token'
const OBTAIN = 'Obtain an Access Token'

const body = responseJson
const sent = sentField

describe("SAP's Authentication collection against concurkit mock --tls", () => {
  let mock: MockProcess
  let work: string
  /** The environment values a user sets from the --json line (nothing else changes). */
  let values: Record<string, string>
  let agent: Agent

  /** `newman run <SAP collection> -e <env> --env-var … --ssl-extra-ca-certs <ca>` as a user types it. */
  const newman = (environment: string, args: readonly string[]) =>
    runNewman({ collection: COLLECTION, environment, ca: mock.json.tls!.ca, work, envVars: values, args })

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'concurkit-newman-'))
    mock = await startMockCli(['--tls', '--seed', '7', '--size', '5'])
    const c = mock.json.companies[0]!
    values = {
      dataCenterURI: new URL(c.geolocation).host,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      companyUUID: c.id,
      requestToken: c.requestToken,
    }
    agent = new Agent({ connect: { ca: readFileSync(mock.json.tls!.ca) } })
  })
  afterAll(async () => {
    await agent?.close()
    expect(await mock?.stop()).toBe(0)
    rmSync(work, { recursive: true, force: true })
  })

  it('uses the collection and environment exactly as SAP publishes them (commit 253d066)', () => {
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex')
    expect(sha(COLLECTION)).toBe('2d6685ecdbf9bf0ce025a6afe402ed34897c68b3158832aff742208971340038')
    expect(sha(ENVIRONMENT)).toBe('988464570b5b93f07ea834ff8b7815425c632e07683109cf33670f0485aaeac1')
    const raw = readFileSync(COLLECTION, 'utf8')
    expect(raw).toContain('"raw": "https://{{dataCenterURI}}/oauth2/v0/token"')
  })

  let first: NewmanRun
  it('passes every request and test over HTTPS, three iterations, rotating the refresh token', async () => {
    first = await newman(ENVIRONMENT, ['--iteration-count', '3'])
    const { stats, executions, failures } = first.report.run
    expect(failures).toEqual([])
    expect(first.code).toBe(0)
    expect(stats.iterations).toMatchObject({ total: 3, failed: 0 })
    expect(stats.requests).toMatchObject({ total: 6, failed: 0 })
    expect(stats.assertions).toMatchObject({ total: 6, failed: 0 })
    expect(executions.map((e) => e.item.name)).toEqual([CONVERT, OBTAIN, CONVERT, OBTAIN, CONVERT, OBTAIN])
    const port = new URL(mock.json.companies[0]!.geolocation).port
    for (const e of executions) {
      expect(e.request.url.protocol).toBe('https')
      expect(e.request.url.port).toBe(port)
      expect(e.response.code).toBe(200)
      expect(body(e).geolocation).toBe(mock.json.companies[0]!.geolocation)
      expect(e.assertions).toEqual([expect.objectContaining({ assertion: 'Initialize' })])
      expect(e.assertions[0]!.error).toBeUndefined()
    }
    for (let i = 0; i < executions.length; i += 2) {
      const [convert, obtain] = [executions[i]!, executions[i + 1]!]
      // The request token is reusable within its 24 hours; each exchange gives a company refresh token.
      expect(sent(convert, 'password')).toBe(values.requestToken)
      expect(sent(convert, 'credtype')).toBe('authtoken')
      // "Obtain an Access Token" sends the refresh token the first request's script stored ...
      expect(sent(obtain, 'refresh_token')).toBe(body(convert).refresh_token)
      // ... and gets a new one back (rotation), which its own script stores.
      expect(body(obtain).refresh_token).not.toBe(sent(obtain, 'refresh_token'))
    }
    const last = body(executions.at(-1)!)
    expect(first.env.refreshToken).toBe(last.refresh_token)
    expect(first.env.accessToken).toBe(last.access_token)
  })

  it('the access token the collection stored reads company data over HTTPS', async () => {
    const res = await request(
      `${mock.json.companies[0]!.geolocation}/api/v3.0/expense/reports?user=ALL&limit=1`,
      {
        dispatcher: agent,
        headers: { authorization: `Bearer ${first.env.accessToken}`, accept: 'application/json' },
      },
    )
    expect(res.statusCode).toBe(200)
    expect(((await res.body.json()) as { Items: unknown[] }).Items).toHaveLength(1)
  })

  let loop: NewmanRun
  it('keeps refreshing in a loop: each iteration sends the refresh token the previous one stored', async () => {
    loop = await newman(first.envFile, ['--folder', OBTAIN, '--iteration-count', '4'])
    const { stats, executions, failures } = loop.report.run
    expect(failures).toEqual([])
    expect(loop.code).toBe(0)
    expect(stats.requests).toMatchObject({ total: 4, failed: 0 })
    expect(stats.assertions).toMatchObject({ total: 4, failed: 0 })
    expect(sent(executions[0]!, 'refresh_token')).toBe(first.env.refreshToken)
    for (let i = 1; i < executions.length; i++)
      expect(sent(executions[i]!, 'refresh_token')).toBe(body(executions[i - 1]!).refresh_token)
    const tokens = executions.map((e) => String(body(e).refresh_token))
    expect(new Set([first.env.refreshToken, ...tokens]).size).toBe(5)
    expect(loop.env.refreshToken).toBe(tokens.at(-1))
  })

  it('fails with Concur code 108 when run with a refresh token already rotated away', async () => {
    // first.envFile still holds the refresh token that the loop above exchanged (single use).
    const stale = await newman(first.envFile, ['--folder', OBTAIN])
    expect(stale.code).toBe(1)
    const { stats, executions, failures } = stale.report.run
    expect(stats.assertions).toMatchObject({ total: 1, failed: 1 })
    expect(failures).toHaveLength(1)
    expect(failures[0]!.source.name).toBe(OBTAIN)
    expect(failures[0]!.error.message).toBe('expected response code to not be 4XX or 5XX')
    expect(executions[0]!.response.code).toBe(400)
    expect(body(executions[0]!)).toEqual({
      error: 'invalid_grant',
      error_description: 'bad or expired refresh token',
      code: 108,
    })
    // The collection's script stopped at its first assertion: the stored tokens stay as they were.
    expect(stale.env.refreshToken).toBe(first.env.refreshToken)
  })

  it('fails with code 108 once the refresh token is past its six months (mock clock)', async () => {
    const advanced = await request(`${mock.json.admin}/_mock/clock`, {
      dispatcher: agent,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 184 * 86_400 }),
    })
    expect(advanced.statusCode).toBe(200)
    await advanced.body.dump()
    const expired = await newman(loop.envFile, ['--folder', OBTAIN])
    expect(expired.code).toBe(1)
    expect(expired.report.run.executions[0]!.response.code).toBe(400)
    expect(body(expired.report.run.executions[0]!)).toMatchObject({ error: 'invalid_grant', code: 108 })
  })
})
