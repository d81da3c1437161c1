import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeIo } from '../../test/fake-io.js'
import { main } from '../main.js'

const mock = createMockConcur({ seed: 3, size: 6, companies: 1, datacenters: ['us'] })
let running: RunningMock
let dir: string
let env: NodeJS.ProcessEnv

beforeAll(async () => {
  running = await mock.listen({ host: '127.0.0.1', port: 0 })
  dir = await mkdtemp(join(tmpdir(), 'concurkit-watch-cli-'))
  const c = mock.state.companies[0]!
  env = {
    CONCURKIT_CONFIG_DIR: dir,
    CONCUR_CLIENT_ID: c.apps[0]!.clientId,
    CONCUR_CLIENT_SECRET: c.apps[0]!.clientSecret,
    CONCUR_USERNAME: c.users[0]!.loginId,
    CONCUR_PASSWORD: c.users[0]!.password,
    CONCUR_BASE_URL: running.datacenters.us!,
    HOOK_KEY: 'hook-signing-key-1',
  }
})
afterAll(async () => {
  await running.close()
  await rm(dir, { recursive: true, force: true })
})

const run = async (args: string[]) => {
  const io = fakeIo({ env })
  const code = await main(['node', 'concurkit', 'watch', ...args], io)
  return { code, out: io.out(), err: io.err() }
}

describe('concurkit watch (in process)', () => {
  it('refuses bad arguments with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['nope'], /unknown resource "nope"/],
      [['locations'], /no modified date/],
      [['expense-reports', '--interval', 'soon'], /--interval: "soon" is not a duration/],
      [['expense-reports', '--signing-key-env', 'HOOK_KEY'], /needs --callback/],
      [
        ['expense-reports', '--callback', 'http://127.0.0.1:9/x', '--signing-key-env', 'NOPE'],
        /NOPE is not set/,
      ],
      [['expense-reports', '--callback', 'ftp://x'], /only http\(s\)/],
      [['expense-reports', '--since', 'yesterday-ish'], /--since/],
    ]
    for (const [args, message] of cases) {
      const r = await run(args)
      expect(r.code, r.err).toBe(2)
      expect(r.err).toMatch(message)
      expect(r.err.trim().split('\n')).toHaveLength(1)
    }
  })

  it('--once prints each change as an NDJSON line (nulls dropped) and moves its cursor', async () => {
    const state = join(dir, 'state-a')
    const first = await run(['expense-reports', '--once', '--state-dir', state])
    expect(first.code, first.err).toBe(0)
    expect(first.out).toBe('')
    const created = (await mock
      .fetch(
        new Request(`${running.admin}/_mock/dataset/expense-reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'create', fields: { Name: 'From the CLI test' } }),
        }),
      )
      .then((r) => r.json())) as { ID: string }
    const second = await run(['expense-reports', '--once', '--state-dir', state])
    expect(second.code, second.err).toBe(0)
    const lines = second.out.trim().split('\n')
    expect(lines).toHaveLength(1)
    const event = JSON.parse(lines[0]!) as Record<string, unknown> & { record: Record<string, unknown> }
    expect(event).toMatchObject({ type: 'created', resource: 'expense-reports', objectId: created.ID })
    expect(Object.values(event.record)).not.toContain(null)
    expect(second.err).toMatch(/delivered 1 event/)
    const third = await run(['expense-reports', '--once', '--state-dir', state])
    expect(third.out).toBe('')
    expect(`${first.err}${second.err}${third.err}`).not.toContain(env.CONCUR_PASSWORD)
  })

  it('an event that keeps failing stops the run (exit 4) unless --dead-letter takes it', async () => {
    let hits = 0
    const down = createServer((_req, res) => {
      hits += 1
      res.writeHead(503).end()
    })
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}/hook`
    try {
      const state = join(dir, 'state-b')
      const base = ['expense-reports', '--once', '--state-dir', state, '--callback', url]
      const fast = ['--attempts', '2', '--retry-delay', '1ms', '--signing-key-env', 'HOOK_KEY']
      // first run: stores the starting cursor (after the report of the test above)
      const since = new Date(mock.state.clock.now() + 1000).toISOString()
      expect((await run([...base, ...fast, '--since', since])).code).toBe(0)
      expect(hits).toBe(0)
      mock.state.clock.advance(5)
      await mock.fetch(
        new Request(`${running.admin}/_mock/dataset/expense-reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'create', fields: { Name: 'Undeliverable' } }),
        }),
      )
      const failed = await run([...base, ...fast])
      expect(failed.code, failed.err).toBe(4)
      expect(failed.err).toMatch(/failed 2 attempts.*answered 503/)
      expect(failed.err).not.toContain('hook-signing-key-1')
      expect(hits).toBe(2)
      const deadLetter = join(dir, 'dead.ndjson')
      const parked = await run([...base, ...fast, '--dead-letter', deadLetter])
      expect(parked.code, parked.err).toBe(0)
      expect(hits).toBe(4) // the same event again: it was not acknowledged
      const lines = (await readFile(deadLetter, 'utf8')).trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(JSON.parse(lines[0]!)).toMatchObject({ attempts: 2, status: 503, event: { type: 'created' } })
      const after = await run([...base, ...fast, '--dead-letter', deadLetter])
      expect(after.code).toBe(0)
      expect(hits).toBe(4) // dead-lettered, so acknowledged: the cursor moved on
    } finally {
      await new Promise<void>((r) => down.close(() => r()))
    }
  })
})
