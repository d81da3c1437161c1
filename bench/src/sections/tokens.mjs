// 4. Token service: password grants and refresh grants per second against the mock in its own process.
// Refresh tokens are single use: a pool seeded with one password grant per connection; each refresh
// takes a token from the pool and its answer puts the rotated one back (a connection has one request
// in flight, so the pool never runs dry while every grant succeeds).
// First, with nothing else running, the RSA ceiling of this machine (child/rsa-ceiling.mjs): the
// grants/s that signing alone would allow, so the figures can be read against it.
import autocannon from 'autocannon'
import { passwordToken, runChild, startChild } from '../lib.mjs'

const form = (fields) => new URLSearchParams(fields).toString()

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, r) =>
      err
        ? reject(err)
        : resolve({
            perS: r.requests.average,
            p50Ms: r.latency.p50,
            p99Ms: r.latency.p99,
            requests: r.requests.total,
            non2xx: r.non2xx,
            errors: r.errors + r.timeouts,
          }),
    )
  })
}

export async function tokens({ quick, log }) {
  const seconds = quick ? 3 : 10
  const connections = 16
  const rsa = await runChild('rsa-ceiling.mjs', [quick ? '1' : '3'])
  log(
    `  RS256 signatures/s: ${Math.round(rsa.oneCorePerS)} on one core, ${Math.round(rsa.pooledPerS)} on the thread pool`,
  )
  const mock = await startChild('mock-server.mjs', ['10000'])
  try {
    const url = `${mock.url}/oauth2/v0/token`
    const headers = { 'content-type': 'application/x-www-form-urlencoded' }
    const client = { client_id: mock.clientId, client_secret: mock.clientSecret }
    const password = form({
      ...client,
      grant_type: 'password',
      username: mock.username,
      password: mock.password,
    })
    const passwordRun = (duration) =>
      run({ url, method: 'POST', headers, body: password, connections, duration })
    await passwordRun(1)
    const pw = await passwordRun(seconds)
    log(`  password grants ${Math.round(pw.perS)}/s p99 ${pw.p99Ms} ms`)
    const pool = []
    for (let i = 0; i < connections * 2; i++) pool.push((await passwordToken(mock)).refresh_token)
    const refreshRun = (duration) =>
      run({
        url,
        connections,
        duration,
        requests: [
          {
            method: 'POST',
            headers,
            setupRequest(req) {
              const token = pool.shift() ?? 'pool-empty'
              return { ...req, body: form({ ...client, grant_type: 'refresh_token', refresh_token: token }) }
            },
            onResponse(status, body) {
              if (status === 200) pool.push(JSON.parse(body).refresh_token)
            },
          },
        ],
      })
    const rf = await refreshRun(seconds)
    log(`  refresh grants ${Math.round(rf.perS)}/s p99 ${rf.p99Ms} ms (${rf.non2xx} non-2xx)`)
    return {
      seconds,
      connections,
      rsa: {
        oneCorePerS: rsa.oneCorePerS,
        pooledPerS: rsa.pooledPerS,
        es256OneCorePerS: rsa.es256OneCorePerS,
      },
      // Grants/s as a share of what signing alone allows (2 signatures per password grant, 1 per refresh).
      passwordOfCeiling: (pw.perS * 2) / rsa.pooledPerS,
      refreshOfCeiling: rf.perS / rsa.pooledPerS,
      grants_vs_signing:
        pw.non2xx === 0 && rf.non2xx === 0
          ? Math.min((pw.perS * 2) / rsa.pooledPerS, rf.perS / rsa.pooledPerS)
          : null,
      password: pw,
      refresh: rf,
      token_grants_per_s: pw.non2xx === 0 && rf.non2xx === 0 ? Math.min(pw.perS, rf.perS) : null,
    }
  } finally {
    await mock.stop()
  }
}
