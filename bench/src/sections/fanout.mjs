// 8. Fan-out rows (one detail request per record): `concurkit extract expense-v4-reports` of a
// 10,000-report company on the built CLI (loopback, default options), then the Expense v4 and
// payment-request fan-outs through the client at concurrency 16 with 50 ms added to every request.
// Every output is checked against /_mock/manifest (count and SHA-256).
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { companyRequestTokenGrant } from '@concurkit/auth'
import { digestRecords } from '@concurkit/contract'
import { CHILD, passwordToken, ROOT, runChild, runCommand, startChild } from '../lib.mjs'
import { manifest } from '../verify.mjs'

const CLI = join(ROOT, 'apps', 'cli', 'dist', 'bin.js')
const DELAY_MS = 50
const CONCURRENCY = 16

/** A company token of the mock's first app (its request token exchanged, as App Center issues it). */
async function companyToken(mock) {
  const res = await fetch(`${mock.url}/_mock/companies/${mock.company}/request-token`, { method: 'POST' })
  if (res.status >= 300) throw new Error(`request token answered ${res.status}`)
  const { requestToken } = await res.json()
  const tokens = await companyRequestTokenGrant({
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    companyId: mock.company,
    requestToken,
    baseUrl: mock.url,
  })
  return { requestToken, accessToken: tokens.accessToken.reveal() }
}

/** Count and checksum of an NDJSON extract the manifest's way; throws when they differ from it. */
function check(file, truth, what) {
  const records = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
  const got = digestRecords(records)
  if (got.count !== truth.count || got.sha256 !== truth.sha256)
    throw new Error(
      `${what}: ${got.count} records, checksum ${got.sha256 === truth.sha256 ? 'equal' : 'differs'} (manifest ${truth.count})`,
    )
  return got
}

async function cliExtract(reports, tmp, log) {
  const mock = await startChild('mock-server.mjs', [String(reports)])
  try {
    const { requestToken, accessToken } = await companyToken(mock)
    const truth = await manifest(mock.url, accessToken, mock.company, 'expense-v4-reports')
    const env = {
      ...process.env,
      NO_COLOR: '1',
      CONCUR_CLIENT_SECRET: mock.clientSecret,
      CONCUR_BASE_URL: mock.url,
      CONCURKIT_CONFIG_DIR: join(tmp, 'cli-config'),
    }
    const login = await runCommand(
      process.execPath,
      [CLI, 'auth', 'login', '--client-id', mock.clientId, '--company-id', mock.company],
      { env: { ...env, CONCUR_REQUEST_TOKEN: requestToken } },
    )
    if (login.code !== 0) throw new Error(`concurkit auth login exited ${login.code}: ${login.stderr.trim()}`)
    const out = join(tmp, 'expense-v4-reports.ndjson')
    const rssFile = join(tmp, 'cli-rss.json')
    const run = await runCommand(
      process.execPath,
      ['-r', join(CHILD, 'max-rss.cjs'), CLI, 'extract', 'expense-v4-reports', '--out', out],
      { env: { ...env, BENCH_RSS_FILE: rssFile }, timeoutMs: 600_000 },
    )
    if (run.code !== 0) throw new Error(`concurkit extract exited ${run.code}: ${run.stderr.trim()}`)
    const got = check(out, truth, 'concurkit extract expense-v4-reports')
    rmSync(out, { force: true })
    const usage = JSON.parse(readFileSync(rssFile, 'utf8'))
    const row = {
      reports: truth.count,
      ms: run.ms,
      recordsPerS: (got.count / run.ms) * 1000,
      maxRssMb: usage.maxRssMb,
      cpuMs: usage.cpuMs,
      checked: true,
    }
    log(
      `  concurkit extract expense-v4-reports: ${truth.count} reports in ${(run.ms / 1000).toFixed(1)} s (${Math.round(row.recordsPerS)} records/s), peak RSS ${row.maxRssMb.toFixed(0)} MB`,
    )
    return row
  } finally {
    await mock.stop()
  }
}

async function latencyFanouts(reports, tmp, log) {
  const mock = await startChild('mock-server.mjs', [String(reports)])
  try {
    const { accessToken } = await companyToken(mock)
    const rows = {}
    for (const [resource, token] of [
      ['expense-v4-reports', accessToken],
      ['payment-requests', null],
    ]) {
      // Payment requests are read with the administrator's user token, Expense v4 with a company token.
      const bearer = token ?? (await passwordToken(mock)).access_token
      const truth = await manifest(mock.url, bearer, mock.company, resource)
      const faults = []
      for (const path of ['/api/**', '/expensereports/**']) {
        const res = await fetch(`${mock.url}/_mock/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ path, delayMs: DELAY_MS }),
        })
        if (res.status !== 201) throw new Error(`fault rule answered ${res.status}`)
        faults.push((await res.json()).id)
      }
      try {
        const out = join(tmp, `fanout-${resource}.ndjson`)
        const r = await runChild('extract-fanout.mjs', [], {
          env: {
            BENCH_ARGS: JSON.stringify({
              url: mock.url,
              token: bearer,
              out,
              resource,
              concurrency: CONCURRENCY,
            }),
          },
        })
        check(out, truth, `${resource} fan-out`)
        rmSync(out, { force: true })
        const recordsPerS = (r.records / r.ms) * 1000
        rows[resource] = {
          records: r.records,
          pages: r.pages,
          ms: r.ms,
          recordsPerS,
          // One record per detail request: at most CONCURRENCY requests of DELAY_MS in flight.
          ofBound: recordsPerS / ((CONCURRENCY * 1000) / DELAY_MS),
          maxRssMb: r.maxRssMb,
          cpuMs: r.cpuMs,
          checked: true,
        }
        log(
          `  ${resource} fan-out (+${DELAY_MS} ms, concurrency ${CONCURRENCY}): ${r.records} records, ${Math.round(recordsPerS)} records/s (${Math.round(100 * rows[resource].ofBound)} % of ${(CONCURRENCY * 1000) / DELAY_MS}/s)`,
        )
      } finally {
        for (const id of faults) await fetch(`${mock.url}/_mock/faults/${id}`, { method: 'DELETE' })
      }
    }
    return rows
  } finally {
    await mock.stop()
  }
}

export async function fanoutBench({ quick, tmp, log }) {
  const cliReports = quick ? 1_000 : 10_000
  const latencyReports = quick ? 300 : 2_000
  const cli = await cliExtract(cliReports, tmp, log)
  const latency = await latencyFanouts(latencyReports, tmp, log)
  return { delayMs: DELAY_MS, concurrency: CONCURRENCY, cli, latency }
}
