import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConcurRequestError } from '../errors.js'
import { staticToken } from '../http.js'
import { getSubscription, listSubscriptions, listTopics, subscribe, unsubscribe } from './management.js'

const mock = createMockConcur({ size: 10 })
const c = mock.state.companies[0]!
let running: RunningMock
let base: string

async function appToken(appIndex = 0, scope?: string): Promise<string> {
  const app = c.apps[appIndex]!
  const res = await fetch(`${base}/oauth2/v0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'client_credentials',
      ...(scope ? { scope } : {}),
    }),
  })
  return ((await res.json()) as { access_token: string }).access_token
}

beforeAll(async () => {
  running = await mock.listen()
  base = running.datacenters[c.datacenter]!
})
afterAll(() => running.close())

describe('ESS management client', () => {
  it('lists topics, subscribes, reads, lists and unsubscribes', async () => {
    const call = { baseUrl: base, auth: staticToken(await appToken()) }
    expect(await listTopics(call)).toContain('public.concur.expense.report')
    expect(await listTopics({ ...call, auth: staticToken(await appToken(0, 'events.topic.read')) })).toEqual(
      [],
    )
    const saved = await subscribe(
      {
        id: 'client-sub',
        topic: 'public.concur.expense.report',
        webHookConfig: { endpoint: 'https://h.example/x' },
      },
      call,
    )
    expect(saved.message).toBe("Subscription 'client-sub' saved successfully")
    expect((await getSubscription('client-sub', call)).companyIds).toEqual([c.id])
    expect((await listSubscriptions(call)).map((s) => s.id)).toEqual(['client-sub'])
    expect((await unsubscribe('client-sub', call)).message).toContain('marked for deletion')
    expect(await listSubscriptions(call)).toEqual([])
  })

  it('throws ConcurRequestError with the status and Concur message, never the token', async () => {
    const token = await appToken(1)
    const err = await listTopics({ baseUrl: base, auth: staticToken(token) }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConcurRequestError)
    expect((err as ConcurRequestError).status).toBe(403)
    expect((err as ConcurRequestError).message).toMatch(
      /GET \/events\/v4\/topics → 403: .*events\.topic\.read/,
    )
    expect((err as Error).message).not.toContain(token)
  })
})
