// The Event Subscription Service checks against a remote target: a run never writes a subscription
// without the opt-in, and with it every subscription a check made is deleted again, also when the
// check fails half-way through.
import { describe, expect, it } from 'vitest'
import { runConformance } from '../src/index.js'
import { type Handler, startProxiedMock } from './mutation/proxy.js'

async function essRun(allowSubscriptions: boolean, wrap?: (upstream: Handler) => Handler) {
  const proxied = await startProxiedMock(wrap)
  const puts: string[] = []
  try {
    const result = await runConformance({
      target: {
        baseUrl: proxied.baseUrl,
        credentials: proxied.credentials,
        datacenters: proxied.datacenters,
        fetch: (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
          const request = new Request(input, init)
          if (
            request.method === 'PUT' &&
            new URL(request.url).pathname === '/events/v4/subscriptions/webhook'
          )
            puts.push(((await request.clone().json()) as { id: string }).id)
          return proxied.fetch(request)
        }) as typeof fetch,
        allowSubscriptions,
      },
      only: ['ess'],
    })
    const admin = await proxied.mock.app.request('/_mock/events')
    const left = ((await admin.json()) as { subscriptions: { id: string }[] }).subscriptions.map((s) => s.id)
    return { result, puts, left }
  } finally {
    await proxied.close()
  }
}

describe('ess checks in --target mode', () => {
  it('write nothing without allowSubscriptions: only the topics check runs, the rest say why', async () => {
    const { result, puts, left } = await essRun(false)
    const byId = Object.fromEntries(result.checks.map((c) => [c.id, c]))
    expect(byId['ess.topics.scope-rules']?.status).toBe('pass')
    expect(result.summary.skipped).toBe(result.checks.length - 1)
    expect(byId['ess.subscriptions.crud']?.reason).toMatch(/opt in with allowSubscriptions/)
    expect(byId['ess.delivery.retry']?.reason).toMatch(/receiver the target must reach/)
    expect(puts).toEqual([])
    expect(left).toEqual([])
  })

  it('delete every subscription they made, also when a check fails half-way', async () => {
    // GET of one subscription answers another id: crud fails after its PUT
    const { result, puts, left } = await essRun(true, (upstream) => async (req) => {
      const res = await upstream(req)
      if (req.method !== 'GET' || !new URL(req.url).pathname.startsWith('/events/v4/subscriptions/'))
        return res
      const subs = (await res.json()) as { id: string }[]
      return new Response(JSON.stringify(subs.map((s) => ({ ...s, id: 'someone-else' }))), {
        status: res.status,
        headers: { 'content-type': 'application/json' },
      })
    })
    const crud = result.checks.find((c) => c.id === 'ess.subscriptions.crud')
    expect(crud?.status).toBe('fail')
    expect(crud?.reason).toMatch(/answered subscription someone-else/)
    expect(puts.some((id) => /^concurkit-conformance-crud-[0-9a-f]{8}$/.test(id))).toBe(true)
    expect(left).toEqual([])
  })
})
