#!/usr/bin/env node
// The container's HEALTHCHECK: healthy (exit 0) when the mock's first datacenter answers
// `GET /_mock/clock` with 200 on 127.0.0.1:$CONCURKIT_PORT (default 4010), over HTTP or, when the
// mock serves TLS, HTTPS (its own certificate, not verified: this is the container asking itself).
// Sends CONCURKIT_ADMIN_KEY when set. `/_mock` requests are not written to the mock's journal and
// fault rules never apply to them, so a health check every few seconds changes nothing a test sees.
import http from 'node:http'
import https from 'node:https'
import process from 'node:process'

const port = Number(process.env.CONCURKIT_PORT?.trim() || '4010')
const headers = process.env.CONCURKIT_ADMIN_KEY ? { 'x-mock-admin-key': process.env.CONCURKIT_ADMIN_KEY } : {}

function probe(client, scheme) {
  return new Promise((resolve) => {
    const req = client.get(
      { host: '127.0.0.1', port, path: '/_mock/clock', headers, timeout: 2000, rejectUnauthorized: false },
      (res) => {
        res.resume()
        resolve(res.statusCode === 200 ? undefined : `${scheme}: status ${res.statusCode}`)
      },
    )
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', (err) => resolve(`${scheme}: ${err.message}`))
  })
}

const overHttp = await probe(http, 'http')
const overHttps = overHttp === undefined ? undefined : await probe(https, 'https')
if (overHttp !== undefined && overHttps !== undefined) {
  process.stderr.write(`unhealthy: 127.0.0.1:${port} answers neither (${overHttp}; ${overHttps})\n`)
  process.exitCode = 1
}
