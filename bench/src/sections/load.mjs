// 9. Load: 256 connections of mixed traffic against one mock (1M reports) at the same time —
// cached pages (one URL), distinct pages (a different page per request), XML pages (distinct,
// `Accept: application/xml`) and password grants — with p50/p99 per kind. Each kind is its own
// autocannon instance (its own histogram) and all of them run together.
import { encodeOffset } from '@concurkit/mock-concur/internal'
import autocannon from 'autocannon'
import { passwordToken, percentile, round, startChild } from '../lib.mjs'

const PATH = '/api/v3.0/expense/reports?limit=100&user=ALL'

/** Connections per kind (256 in all). */
export const LOAD_MIX = { cached: 96, distinct: 96, xml: 32, grants: 32 }

/**
 * One autocannon instance. Besides its histogram, each connection's first answer is kept apart from
 * the later ones: all connections open at once, and a first answer includes the wait for the mock to
 * accept the connection (see `renderLoad`).
 */
function run(opts) {
  return new Promise((resolve, reject) => {
    const answered = new WeakSet()
    const later = []
    let firstMaxMs = 0
    const instance = autocannon({ pipelining: 1, ...opts }, (err, r) => {
      if (err) reject(err)
      else
        resolve({
          connections: opts.connections,
          rps: r.requests.average,
          requests: r.requests.total,
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          maxMs: r.latency.max,
          laterP99Ms: later.length ? Math.round(percentile(later, 99)) : null,
          firstMaxMs: Math.round(firstMaxMs),
          non2xx: r.non2xx,
          errors: r.errors + r.timeouts,
        })
    })
    instance.on('response', (client, status, _bytes, ms) => {
      if (status < 200 || status > 299) return
      if (answered.has(client)) later.push(ms)
      else {
        answered.add(client)
        firstMaxMs = Math.max(firstMaxMs, ms)
      }
    })
  })
}

/** Render workers of the mock in the second run of the mix (`listen({ workers })`). */
export const LOAD_WORKERS = 1

export async function loadBench({ quick, log }) {
  const seconds = quick ? 3 : 10
  const plain = await mix(0, seconds, log)
  log(`  with --workers ${LOAD_WORKERS}:`)
  const pooled = await mix(LOAD_WORKERS, seconds, log)
  const p99s = [plain, pooled].map((r) => r.load_p99_ms).filter((v) => v !== null)
  return {
    ...plain,
    withWorkers: { workers: LOAD_WORKERS, ...pooled },
    // The best of the two runs (the page says which).
    load_p99_ms: p99s.length ? Math.min(...p99s) : null,
  }
}

/** One 256-connection mixed run against a mock with `workers` render workers. */
async function mix(workers, seconds, log) {
  const mock = await startChild('mock-server.mjs', ['1000000', String(workers)])
  try {
    const token = (await passwordToken(mock)).access_token
    const auth = { authorization: `Bearer ${token}` }
    const pages = (n, start) =>
      Array.from(
        { length: n },
        (_, k) =>
          `${PATH}&offset=${encodeOffset(mock.seed, mock.company, 'expense-reports', (start + k) * 100)}`,
      )
    // Disjoint page ranges, so the distinct and XML kinds never meet the page cache.
    const distinct = pages(5_000, 0)
    const xml = pages(4_000, 5_000)
    let d = 0
    let x = 0
    const form = new URLSearchParams({
      client_id: mock.clientId,
      client_secret: mock.clientSecret,
      grant_type: 'password',
      username: mock.username,
      password: mock.password,
    }).toString()
    const base = { url: `${mock.url}${PATH}`, duration: seconds, timeout: 30 }
    const kinds = {
      cached: { ...base, connections: LOAD_MIX.cached, headers: auth },
      distinct: {
        ...base,
        connections: LOAD_MIX.distinct,
        headers: auth,
        requests: [{ setupRequest: (req) => ({ ...req, path: distinct[d++ % distinct.length] }) }],
      },
      xml: {
        ...base,
        connections: LOAD_MIX.xml,
        headers: { ...auth, accept: 'application/xml' },
        requests: [{ setupRequest: (req) => ({ ...req, path: xml[x++ % xml.length] }) }],
      },
      grants: {
        ...base,
        url: `${mock.url}/oauth2/v0/token`,
        connections: LOAD_MIX.grants,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      },
    }
    // Warm-up: the cached page in the cache and every kind's code path compiled (a second of each
    // kind at 4 connections, all together; the distinct pages it asks for are not asked for again).
    const names = Object.keys(kinds)
    await Promise.all(names.map((n) => run({ ...kinds[n], duration: 1, connections: 4 })))
    const results = await Promise.all(names.map((n) => run(kinds[n])))
    const byKind = Object.fromEntries(names.map((n, i) => [n, results[i]]))
    for (const n of names)
      log(
        `  ${n.padEnd(8)} ${String(byKind[n].connections).padStart(3)} conn: ${round(byKind[n].rps, 1)} req/s, p50 ${byKind[n].p50Ms} ms, p99 ${byKind[n].p99Ms} ms (after each connection's first answer ${byKind[n].laterP99Ms} ms; slowest first answer ${byKind[n].firstMaxMs} ms)${byKind[n].non2xx || byKind[n].errors ? ` (${byKind[n].non2xx} non-2xx, ${byKind[n].errors} errors)` : ''}`,
      )
    // Errors or a page kind with no answer at all void the p99 (grants are reported as measured).
    const ok =
      results.every((r) => r.non2xx === 0 && r.errors === 0) &&
      ['cached', 'distinct', 'xml'].every((n) => byKind[n].requests > 0)
    return {
      seconds,
      connections: results.reduce((a, r) => a + r.connections, 0),
      kinds: byKind,
      // The resource pages' p99: the worst of the three page kinds (each kind has its own histogram).
      load_p99_ms: ok ? Math.max(byKind.cached.p99Ms, byKind.distinct.p99Ms, byKind.xml.p99Ms) : null,
      ok,
    }
  } finally {
    await mock.stop()
  }
}
