import { fork } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { TokenResponse } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { passwordFields, reportPageLoad } from './__tests__/helpers.js'

// A password grant needs several event-loop iterations (its two RS256 signatures run on the thread
// pool). While clients keep the mock busy generating pages, the grant must come back after about
// one round of the pages queued ahead of it, not after a round of every page in flight per
// iteration. The measure is a count of pages answered meanwhile (from the mock's journal), not a
// time, so a slow or busy machine does not change the verdict.

const CLIENTS = 16
type Send = (path: string, init?: RequestInit) => Promise<Response>

function setUp(mock: MockConcur) {
  const company = mock.state.companies[0]!
  const form = {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(passwordFields(company)).toString(),
  }
  // Every request a page not asked before: generated from the seed, never from the page cache.
  const { paths, pagesAnswered } = reportPageLoad(mock, CLIENTS * 40)
  return { form, paths, pagesAnswered }
}

/** Pages answered while one password grant is in flight, once `warmed` (pages keep coming). */
async function grantDuringPages(
  warmed: Promise<void>,
  send: Send,
  pagesAnswered: () => number,
  form: RequestInit,
) {
  await warmed
  const before = pagesAnswered()
  const res = await send('/oauth2/v0/token', form)
  const body = TokenResponse.parse(await res.json())
  return { status: res.status, body, during: pagesAnswered() - before }
}

describe('token grants under page load', () => {
  it('over a socket, with pages from another process, a grant answers after about one round of them', async () => {
    const mock = createMockConcur({ size: 200_000, companies: 1, datacenters: ['us'] })
    const { form, paths, pagesAnswered } = setUp(mock)
    const running = await mock.listen({ host: '127.0.0.1', port: 0 })
    const origin = running.datacenters.us!
    const send: Send = (path, init) => fetch(`${origin}${path}`, init)
    const token = TokenResponse.parse(await (await send('/oauth2/v0/token', form)).json()).access_token
    const load = fork(fileURLToPath(new URL('./__tests__/page-load.mjs', import.meta.url)), {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    })
    try {
      load.send({ origin, token, paths, clients: CLIENTS })
      await once(load, 'message')
      const warmed = (async () => {
        while (pagesAnswered() < CLIENTS * 2) await new Promise((resolve) => setTimeout(resolve, 5))
      })()
      const { status, body, during } = await grantDuringPages(warmed, send, pagesAnswered, form)
      load.send({ type: 'stop' })
      const [stopped] = (await once(load, 'message')) as [{ failed: number }]
      expect(status).toBe(200)
      expect(body.id_token).toBeTypeOf('string')
      expect(stopped.failed).toBe(0)
      // Before requests took turns: a round of every client's page per iteration the grant needs
      // (the request, then each of its two signatures).
      expect(during).toBeLessThan(CLIENTS * 2)
    } finally {
      load.kill()
      await running.close()
    }
  })

  it('in-process (mock.fetch), page requests do not starve a grant of the event loop', async () => {
    const mock = createMockConcur({ size: 200_000, companies: 1, datacenters: ['us'] })
    const { form, paths, pagesAnswered } = setUp(mock)
    const origin = mock.state.baseUrl('us')
    const send: Send = (path, init) => mock.fetch(`${origin}${path}`, init)
    const auth = {
      authorization: `Bearer ${TokenResponse.parse(await (await send('/oauth2/v0/token', form)).json()).access_token}`,
    }
    let next = 0
    let failed = 0
    let stop = false
    // Resolved by the clients themselves: a timer would not fire while pages run back to back.
    let warm!: () => void
    const warmed = new Promise<void>((resolve) => {
      warm = resolve
    })
    // Bounded in any case: were the grant starved, the clients stop once every path was asked.
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (!stop && next < paths.length) {
        const res = await send(paths[next++]!, { headers: auth })
        await res.arrayBuffer()
        if (res.status !== 200) failed++
        if (pagesAnswered() >= CLIENTS * 2) warm()
      }
      warm()
    })
    const { status, body, during } = await grantDuringPages(warmed, send, pagesAnswered, form)
    stop = true
    await Promise.all(clients)
    expect(status).toBe(200)
    expect(body.refresh_token).toBeTypeOf('string')
    expect(failed).toBe(0)
    // Before, in-process pages ran back to back in microtasks: the grant's signatures came back
    // only once the clients had run out of paths.
    expect(during).toBeLessThan(CLIENTS * 2)
  })
})
