import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SCIM_PATCH_OP } from '@concurkit/contract'
import { expect } from 'vitest'
import type { MockConcur } from '../mock.js'
import { homeOf, postToken } from '../oauth/__tests__/helpers.js'

/*
 * Arrange steps the Identity v4.1 and User Provisioning (UPS) tests share: the documented v4
 * samples, JSON request bodies, password sign-in and an ESS webhook subscriber on 127.0.0.1.
 * Test-only (`*-testing.ts` stays out of the build).
 */

const DIR = new URL('../../../../fixtures/concur-examples-v4/', import.meta.url)

/** A documented v4 sample from `fixtures/concur-examples-v4/`. */
export const example = (file: string) =>
  JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as Record<string, unknown>

/** A JSON request (a string body is sent as it is, to test what is not JSON). */
export const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

/** A SCIM `PATCH` request of these operations (`PatchOp` schema). */
export const patchOp = (operations: readonly unknown[]): RequestInit =>
  json('PATCH', { schemas: [SCIM_PATCH_OP], Operations: operations })

/** `POST /oauth2/v0/token` with the password grant for the first company's first app. */
export function passwordSignIn(mock: MockConcur, username: string, password: string) {
  const c = mock.state.companies[0]!
  return postToken(
    mock,
    {
      grant_type: 'password',
      client_id: c.apps[0]!.clientId,
      client_secret: c.apps[0]!.clientSecret,
      username,
      password,
    },
    homeOf(mock, c),
  )
}

/** A webhook on 127.0.0.1 subscribed (as the first company's app) to an ESS topic. */
export interface EssSubscriber {
  /** The bodies delivered so far, in order. */
  readonly got: readonly string[]
  /** Waits (at most 5 s) until `count` bodies have arrived; returns them. */
  received(count: number): Promise<readonly string[]>
  close(): Promise<void>
}

/**
 * Starts a webhook on a free 127.0.0.1 port and subscribes it to `topic` through
 * `PUT /events/v4/subscriptions/webhook` (expects 200). Close it in a `finally`.
 *
 * @example
 * const ess = await essSubscriber(mock, 'ups-sub', 'public.concur.user.provisioning')
 * try { … expect(await ess.received(1)).toHaveLength(1) } finally { await ess.close() }
 */
export async function essSubscriber(mock: MockConcur, id: string, topic: string): Promise<EssSubscriber> {
  const c = mock.state.companies[0]!
  const got: string[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (b: Buffer) => chunks.push(b))
    req.on('end', () => {
      got.push(Buffer.concat(chunks).toString('utf8'))
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const close = () => new Promise<void>((r) => server.close(() => r()))
  try {
    const app = await postToken(
      mock,
      {
        client_id: c.apps[0]!.clientId,
        client_secret: c.apps[0]!.clientSecret,
        grant_type: 'client_credentials',
      },
      homeOf(mock, c),
    )
    const sub = await mock.fetch(`${homeOf(mock, c)}/events/v4/subscriptions/webhook`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${app.body.access_token as string}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        id,
        topic,
        filter: '.*',
        webHookConfig: { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` },
      }),
    })
    expect(sub.status).toBe(200)
  } catch (err) {
    await close()
    throw err
  }
  return {
    got,
    async received(count) {
      const end = Date.now() + 5000
      while (got.length < count && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
      return got
    },
    close,
  }
}
