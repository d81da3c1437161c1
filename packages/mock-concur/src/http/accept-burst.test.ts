import { fork } from 'node:child_process'
import { once } from 'node:events'
import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { TokenResponse } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { createMockConcur } from '../mock.js'
import { passwordFields, reportPageLoad } from '../oauth/__tests__/helpers.js'

// libuv accepts one connection per turn of the event loop. While clients keep the mock busy with
// pages, connections opened together were accepted one per slice of request work (~8 ms each); now no
// request starts while connections are arriving, so a burst of new connections is accepted within a
// few turns and their requests queue with the others. Measured as a count of pages answered meanwhile
// (from the mock's journal), not a time, so a slow machine does not change the verdict.

const CLIENTS = 16
const NEW = 48

/** One GET on a connection of its own (no agent); resolves with the status once the answer is read. */
function onNewConnection(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('connections opened during page load', () => {
  it(`${NEW} connections opened at once are accepted before the pages queued behind them, not one per slice of pages`, async () => {
    const mock = createMockConcur({ size: 200_000, companies: 1, datacenters: ['us'] })
    const company = mock.state.companies[0]!
    const running = await mock.listen({ host: '127.0.0.1', port: 0 })
    const origin = running.datacenters.us!
    const form = new URLSearchParams(passwordFields(company)).toString()
    const token = TokenResponse.parse(
      await (
        await fetch(`${origin}/oauth2/v0/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        })
      ).json(),
    ).access_token
    const { paths, pagesAnswered } = reportPageLoad(mock, CLIENTS * 60)
    const load = fork(fileURLToPath(new URL('../oauth/__tests__/page-load.mjs', import.meta.url)), {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    })
    try {
      load.send({ origin, token, paths, clients: CLIENTS })
      await once(load, 'message')
      while (pagesAnswered() < CLIENTS * 2) await new Promise((resolve) => setTimeout(resolve, 5))
      const before = pagesAnswered()
      // The same cached page for every new connection: its answer costs little once accepted.
      const statuses = await Promise.all(
        Array.from({ length: NEW }, () =>
          onNewConnection(`${origin}/api/v3.0/expense/reports?limit=1&user=ALL`, token),
        ),
      )
      const during = pagesAnswered() - before - NEW
      load.send({ type: 'stop' })
      const [stopped] = (await once(load, 'message')) as [{ failed: number }]
      expect(statuses).toEqual(Array(NEW).fill(200))
      expect(stopped.failed).toBe(0)
      // Pages answered besides the new connections' own: with one accept per 8 ms slice of pages,
      // 137–165 (2-core machine); with no request started while connections arrive, 16–19 (the pages
      // the 16 clients already had in flight).
      expect(during).toBeLessThan(NEW)
    } finally {
      load.kill()
      await running.close()
    }
  })
})
