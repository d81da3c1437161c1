import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { passwordGrant } from '@concurkit/auth'
import { createConcurClient, staticToken } from '@concurkit/client'
import { digestRecords } from '@concurkit/contract'
import { createMockConcur, type MockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { credentialsEnv, runCli } from './cli-helpers.ts'

/**
 * An Invoice integration end to end, over real sockets: `concurkit extract payment-requests` (the
 * built CLI, a child process) reads the digests and fans out to every payment request exactly once;
 * the file equals the mock's manifest (count and SHA-256), with no faults and under the reliability
 * suite's seeded fault mix. The invoice images of those payment requests, downloaded through the
 * client without a token, equal the mock's image manifest. An incremental extract then reads only
 * what changed (by the digests' `LastModifiedDate`).
 */

const OPTIONS = { seed: 2424, companies: 1, datacenters: ['us' as const], size: 40 }

const THROTTLE_JSON = {
  Error: {
    Message: 'Request limit exceeded. Try again later.',
    'Server-Time': '2026-01-01T00:00:00',
    Id: 'T',
  },
}
/** The reliability suite's seeded mix (as tests/cli-fault-mix.test.ts sets it). */
const MIX = [
  { path: '/api/**', status: 500, probability: 0.05 },
  { path: '/api/**', status: 502, probability: 0.05 },
  { path: '/api/**', status: 503, probability: 0.05 },
  { path: '/api/**', retryAfter: 1, probability: 0.03 },
  { path: '/api/v3.0/**', status: 400, body: THROTTLE_JSON, probability: 0.05 },
  { path: '/api/**', reset: true, probability: 0.05 },
  { path: '/api/**', truncate: true, probability: 0.05 },
  { path: '/api/**', delayMs: 80, probability: 0.05 },
]

interface Target {
  mock: MockConcur
  running: RunningMock
  env: Record<string, string | undefined>
  dir: string
}
const targets: Target[] = []

async function admin<T>(t: Target, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${t.running.admin}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${await res.text()}`)
  return (await res.json()) as T
}

async function start(faults: readonly object[]): Promise<Target> {
  const mock = createMockConcur(OPTIONS)
  const running = await mock.listen({ host: '127.0.0.1', port: 0 })
  const dir = await mkdtemp(join(tmpdir(), 'concurkit-invoice-'))
  const env = {
    ...credentialsEnv(mock.state.companies[0]!),
    CONCUR_BASE_URL: running.datacenters.us,
    CONCURKIT_CONFIG_DIR: join(dir, 'config'),
  }
  const t = { mock, running, env, dir }
  targets.push(t)
  for (const rule of faults) await admin(t, 'POST', '/_mock/faults', rule)
  return t
}

async function manifest(t: Target, resource: string) {
  const company = t.mock.state.companies[0]!.id
  const body = await admin<{ companies: { resources: Record<string, { count: number; sha256: string }> }[] }>(
    t,
    'GET',
    `/_mock/manifest?company=${company}&resource=${resource}`,
  )
  return body.companies[0]!.resources[resource]!
}

const ndjson = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>)

async function signedInClient(t: Target) {
  const c = t.mock.state.companies[0]!
  const tokens = await passwordGrant({
    clientId: c.apps[0]!.clientId,
    clientSecret: c.apps[0]!.clientSecret,
    username: c.users[0]!.loginId,
    password: c.users[0]!.password,
    baseUrl: t.running.datacenters.us!,
  })
  return createConcurClient({
    auth: staticToken(tokens.accessToken.reveal(), t.running.datacenters.us!),
    retry: { minTimeout: 5, maxTimeout: 200 },
  })
}

afterAll(async () => {
  for (const t of targets) {
    await t.running.close()
    await rm(t.dir, { recursive: true, force: true })
  }
})

for (const [fault, rules] of [
  ['no faults', []],
  ['the fault mix', MIX],
] as const) {
  describe(`Invoice extract (${fault})`, () => {
    let t: Target
    beforeAll(async () => {
      t = await start(rules)
    })

    it('extract payment-requests fans out from the digests once each and equals the manifest', async () => {
      const out = join(t.dir, 'payment-requests.ndjson')
      const r = await runCli(['extract', 'payment-requests', '--out', out], { env: t.env, timeoutMs: 60_000 })
      expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 })
      expect(r.stderr).toMatch(/^extracted 40 records .* of payment-requests in /m)
      const rows = ndjson(await readFile(out, 'utf8'))
      expect(new Set(rows.map((x) => x.ID)).size).toBe(rows.length)
      expect(digestRecords(rows)).toEqual(await manifest(t, 'payment-requests'))
      // Every GET of a payment request in the journal names a distinct id (fan-out exactly once).
      const journal = t.mock.state.journal
        .list()
        .filter((e) => e.method === 'GET' && e.status === 200 && /\/invoice\/paymentrequest\//.test(e.path))
      const ids = journal.map((e) => e.path.split('/').at(-1))
      expect(new Set(ids).size).toBe(40)
      const faulted = t.mock.state.journal.list().filter((e) => e.note?.includes('fault:')).length
      if (rules.length > 0) expect(faulted).toBeGreaterThan(0)
    })

    it('the invoice images of every payment request download without a token and equal the image manifest', async () => {
      const client = await signedInClient(t)
      try {
        const images = []
        for await (const r of client.invoice.paymentRequests()) {
          const image = await client.invoice.image(String(r.ID))
          if (!image) continue
          images.push({
            PaymentRequestId: r.ID,
            contentType: image.contentType,
            size: image.bytes.length,
            sha256: createHash('sha256').update(image.bytes).digest('hex'),
          })
        }
        const company = t.mock.state.companies[0]!.id
        const m = await admin<{ count: number; sha256: string }>(
          t,
          'GET',
          `/_mock/invoice/images/manifest?company=${company}`,
        )
        expect(images.length).toBeGreaterThan(10)
        expect(digestRecords(images)).toEqual({ count: m.count, sha256: m.sha256 })
        const faulted = t.mock.state.journal.list().filter((e) => e.note?.includes('fault:')).length
        if (rules.length > 0) expect(faulted).toBeGreaterThan(0)
        else expect(faulted).toBe(0)
      } finally {
        await client.close()
      }
    })
  })
}

describe('incremental Invoice extract', () => {
  it('reads everything once, then nothing, then only the payment request that changed', async () => {
    const t = await start([])
    const run = async (name: string) => {
      const out = join(t.dir, name)
      const r = await runCli(['extract', 'payment-requests', '--incremental', '--out', out], {
        env: t.env,
        timeoutMs: 60_000,
      })
      expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 })
      return ndjson(await readFile(out, 'utf8'))
    }
    const first = await run('first.ndjson')
    expect(digestRecords(first)).toEqual(await manifest(t, 'payment-requests'))
    expect(await run('second.ndjson')).toEqual([])
    const client = await signedInClient(t)
    const target = String(first[7]!.ID)
    await client.invoice.updatePaymentRequest({
      RequestID: target,
      Description: 'changed after the first run',
    })
    await client.close()
    const third = await run('third.ndjson')
    expect(third.map((r) => [r.ID, r.Description])).toEqual([[target, 'changed after the first run']])
    // The digests were asked for what changed since the mark (the server filters, not only the client).
    const digests = t.mock.state.journal
      .list()
      .filter((e) => e.path.startsWith('/api/v3.0/invoice/paymentrequestdigests'))
    expect(digests.at(-1)?.path).toMatch(/lastModifiedDateAfter=/)
  })
})
