// 1. Mock throughput: the mock vs a bare node:http server answering the identical bytes vs Prism.
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { encodeOffset } from '@concurkit/mock-concur/internal'
import autocannon from 'autocannon'
import { request } from 'undici'
import { passwordToken, ROOT, round, sleep, startChild } from '../lib.mjs'

const require = createRequire(import.meta.url)
const ROUTE = '/api/v3.0/expense/reports'
const PATH = `${ROUTE}?limit=100&user=ALL`
/** Render workers of the mock in the distinct-pages rows besides none (`listen({ workers })`). */
export const WORKER_COUNTS = [1, 2]

function load(url, { seconds, connections, headers, paths }) {
  let i = 0
  // `paths`: a different page per request (round robin), so no cache can answer twice.
  const requests = paths
    ? [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }]
    : undefined
  const opts = { url: `${url}${PATH}`, connections, duration: seconds, headers, pipelining: 1 }
  return new Promise((resolve, reject) => {
    autocannon(requests ? { ...opts, requests } : opts, (err, r) => {
      if (err) reject(err)
      else
        resolve({
          rps: r.requests.average,
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          requests: r.requests.total,
          non2xx: r.non2xx,
          errors: r.errors + r.timeouts,
          mbPerS: r.throughput.average / 2 ** 20,
        })
    })
  })
}

/** Capture one real response (status, headers, body) of the mock. */
async function capture(url, token) {
  const res = await request(`${url}${PATH}`, { headers: { authorization: `Bearer ${token}` } })
  const body = Buffer.from(await res.body.arrayBuffer())
  if (res.statusCode !== 200) throw new Error(`capture answered ${res.statusCode}`)
  return {
    status: res.statusCode,
    headers: res.headers,
    bodyBase64: body.toString('base64'),
    bytes: body.length,
  }
}

/** The project's OpenAPI with the captured 100-item page as the route's example. */
function prismSpec(body, dir) {
  const spec = JSON.parse(readFileSync(join(ROOT, 'docs', 'openapi.json'), 'utf8'))
  const op = spec.paths?.[ROUTE]?.get
  if (!op) throw new Error(`docs/openapi.json has no GET ${ROUTE}`)
  const ok = op.responses?.['200'] ?? {}
  ok.content = { 'application/json': { ...(ok.content?.['application/json'] ?? {}), example: body } }
  op.responses['200'] = ok
  const file = join(dir, 'openapi-prism.json')
  writeFileSync(file, JSON.stringify(spec))
  return file
}

async function startPrism(specFile) {
  const bin = join(require.resolve('@stoplight/prism-cli/package.json'), '..', 'dist', 'index.js')
  const port = 40_000 + Math.floor(Math.random() * 10_000)
  const child = spawn(
    process.execPath,
    [bin, 'mock', '-h', '127.0.0.1', '-p', String(port), '--errors', 'false', specFile],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SCARF_ANALYTICS: 'false', DO_NOT_TRACK: '1' },
    },
  )
  let out = ''
  const ready = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 60_000)
    const on = (d) => {
      out = (out + d).slice(-8000)
      if (/Prism is listening/.test(out)) {
        clearTimeout(timer)
        resolve(true)
      }
    }
    child.stdout.on('data', on)
    child.stderr.on('data', on)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(false)
    })
  })
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await sleep(200)
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }
  if (!ready) {
    await stop()
    return { error: out.split('\n').filter(Boolean).slice(-3).join(' | ') || 'did not start' }
  }
  return { url: `http://127.0.0.1:${port}`, stop }
}

export async function throughput({ quick, tmp, log }) {
  const seconds = quick ? 2 : 10
  const connections = 10
  const mock = await startChild('mock-server.mjs', ['1000000'])
  try {
    const token = (await passwordToken(mock)).access_token
    const headers = { authorization: `Bearer ${token}` }
    const cap = await capture(mock.url, token)
    const capFile = join(tmp, 'capture.json')
    writeFileSync(capFile, JSON.stringify(cap))
    const bare = await startChild('bare-server.mjs', [capFile])
    const warm = { seconds: 1, connections, headers }
    const results = {}
    try {
      await load(mock.url, warm)
      results.mock = await load(mock.url, { seconds, connections, headers })
      log(`  mock  ${round(results.mock.rps, 1)} req/s p99 ${results.mock.p99Ms} ms`)
      // The same route over 10,000 different pages of the 1M reports: every page generated.
      const paths = Array.from(
        { length: 10_000 },
        (_, k) => `${PATH}&offset=${encodeOffset(mock.seed, mock.company, 'expense-reports', k * 100)}`,
      )
      results.mockDistinct = await load(mock.url, { seconds, connections, headers, paths })
      log(
        `  mock, distinct pages ${round(results.mockDistinct.rps, 1)} req/s p99 ${results.mockDistinct.p99Ms} ms`,
      )
      // The same distinct pages from a mock listening with render workers (`concurkit mock
      // --workers N`): pages made on worker threads while the main thread answers the others.
      results.mockDistinctWorkers = []
      for (const workers of WORKER_COUNTS) {
        const pooled = await startChild('mock-server.mjs', ['1000000', String(workers)])
        try {
          const auth = { authorization: `Bearer ${(await passwordToken(pooled)).access_token}` }
          await load(pooled.url, { ...warm, headers: auth })
          const r = await load(pooled.url, { seconds, connections, headers: auth, paths })
          results.mockDistinctWorkers.push({ workers, ...r })
          log(`  mock --workers ${workers}, distinct pages ${round(r.rps, 1)} req/s p99 ${r.p99Ms} ms`)
        } finally {
          await pooled.stop()
        }
      }
      await load(bare.url, warm)
      results.bare = await load(bare.url, { seconds, connections, headers })
      log(`  bare  ${round(results.bare.rps, 1)} req/s p99 ${results.bare.p99Ms} ms`)
    } finally {
      await bare.stop()
    }
    const prism = await startPrism(prismSpec(JSON.parse(Buffer.from(cap.bodyBase64, 'base64')), tmp))
    if (prism.url) {
      try {
        const probe = await request(`${prism.url}${PATH}`, { headers })
        const probeBody = await probe.body.text()
        await load(prism.url, warm)
        results.prism = await load(prism.url, { seconds, connections, headers })
        results.prism.status = probe.statusCode
        results.prism.bytes = Buffer.byteLength(probeBody)
        log(
          `  prism ${round(results.prism.rps, 1)} req/s p99 ${results.prism.p99Ms} ms (status ${probe.statusCode})`,
        )
      } finally {
        await prism.stop()
      }
    } else {
      results.prism = { error: prism.error }
      log(`  prism could not run: ${prism.error}`)
    }
    const ok = (r) => r && !r.error && r.non2xx === 0 && r.errors === 0
    return {
      seconds,
      connections,
      prismVersion: require('@stoplight/prism-cli/package.json').version,
      bytes: cap.bytes,
      ...results,
      mock_vs_bare: ok(results.mock) && ok(results.bare) ? results.mock.rps / results.bare.rps : null,
      // Distinct pages/s: the best of the mock without and with render workers (the rows say which).
      distinct_pages_per_s:
        [results.mockDistinct, ...(results.mockDistinctWorkers ?? [])]
          .filter(ok)
          .reduce((best, r) => Math.max(best ?? 0, r.rps), null) ?? null,
      mock_vs_prism: ok(results.mock) && ok(results.prism) ? results.mock.rps / results.prism.rps : null,
    }
  } finally {
    await mock.stop()
  }
}
