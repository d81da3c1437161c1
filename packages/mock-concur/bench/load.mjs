// Load against the mock in a child process (bench/serve.ts): the v3.0 reports page (same page and
// distinct pages) and the token endpoint (password and refresh grants), with autocannon.
// Run from packages/mock-concur: node bench/load.mjs [seconds] [--prof]
// (autocannon is resolved from the bench workspace package; NODE_OPTIONS can add --cpu-prof to the child).
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const require = createRequire(new URL('../../../bench/package.json', import.meta.url))
const autocannon = require('autocannon')
const seconds = Number(process.argv[2] ?? 5)
const only = process.argv[3] ?? 'pages,tokens'
// tsx's ESM loader (a dev dependency of the client package in this workspace).
const tsxLoader = createRequire(new URL('../../client/package.json', import.meta.url)).resolve('tsx/esm')
const prof = process.env.MOCK_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MOCK_CPU_PROF}`] : []
const child = spawn(
  process.execPath,
  [...prof, '--conditions=@concurkit/source', '--import', tsxLoader, 'bench/serve.ts', '1000000'],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  },
)
const info = JSON.parse(await new Promise((r) => createInterface({ input: child.stdout }).once('line', r)))
const run = (opts) =>
  new Promise((resolve, reject) =>
    autocannon({ connections: 10, duration: seconds, ...opts }, (err, r) => (err ? reject(err) : resolve(r))),
  )
// Server CPU (user + system) of a child, from /proc, to compare the work per request.
const cpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100
}
let serverPid = 0
const measure = async (opts) => {
  const before = cpuMs(serverPid)
  const r = await run(opts)
  r.cpuPerReqMs = (cpuMs(serverPid) - before) / Math.max(1, r.requests.total)
  return r
}
const show = (name, r) =>
  process.stdout.write(
    `${name}: ${Math.round(r.requests.average)} req/s p50 ${r.latency.p50} ms p99 ${r.latency.p99} ms, server CPU ${r.cpuPerReqMs?.toFixed(3)} ms/req, non-2xx ${r.non2xx} errors ${r.errors}\n`,
  )
serverPid = child.pid
const auth = { authorization: `Bearer ${info.token}` }
const page = `${info.url}/api/v3.0/expense/reports?limit=100&user=ALL`
if (only.includes('pages')) {
  const distinct = !only.includes('same')
  await run({ url: page, headers: auth, duration: 1 })
  show('same page (limit=100, user=ALL, 1M reports)', await measure({ url: page, headers: auth }))
  // The ceiling: a bare node:http server in its own process answering the captured bytes.
  const res = await fetch(page, { headers: auth })
  const body = Buffer.from(await res.arrayBuffer())
  const bodyFile = join(mkdtempSync(join(tmpdir(), 'mock-load-')), 'page.json')
  writeFileSync(bodyFile, body)
  const bare = spawn(
    process.execPath,
    [
      '-e',
      `const b=require('node:fs').readFileSync(process.env.BODY_FILE);require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':${JSON.stringify(res.headers.get('content-type'))},'concur-correlationid':${JSON.stringify(res.headers.get('concur-correlationid'))},'content-length':b.length});s.end(b)})}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BODY_FILE: bodyFile } },
  )
  const port = await new Promise((r) => createInterface({ input: bare.stdout }).once('line', r))
  const mockPid = serverPid
  serverPid = bare.pid
  const bareUrl = `http://127.0.0.1:${port}/api/v3.0/expense/reports?limit=100&user=ALL`
  await run({ url: bareUrl, duration: 1 })
  show(`bare node:http, same ${body.length} bytes`, await measure({ url: bareUrl }))
  bare.kill('SIGTERM')
  serverPid = mockPid
  let n = 0
  if (distinct)
    show(
      'distinct pages (limit=100, user=ALL, 1M reports; every request a new page)',
      await measure({
        url: page,
        requests: [
          {
            method: 'GET',
            headers: auth,
            setupRequest: (req) => ({
              ...req,
              path: `/api/v3.0/expense/reports?limit=100&user=ALL&limit=${n++}`,
            }),
          },
        ],
      }),
    )
}
if (only.includes('tokens') || only.includes('refresh')) {
  const form = (f) => new URLSearchParams(f).toString()
  const client = { client_id: info.clientId, client_secret: info.clientSecret }
  const headers = { 'content-type': 'application/x-www-form-urlencoded' }
  const pw = form({ ...client, grant_type: 'password', username: info.username, password: info.password })
  const url = `${info.url}/oauth2/v0/token`
  if (!only.includes('refresh'))
    show('password grants', await measure({ url, method: 'POST', headers, body: pw, connections: 16 }))
  const pool = []
  for (let i = 0; i < 32; i++) {
    const res = await fetch(url, { method: 'POST', headers, body: pw })
    pool.push((await res.json()).refresh_token)
  }
  show(
    'refresh grants',
    await measure({
      url,
      connections: 16,
      requests: [
        {
          method: 'POST',
          headers,
          setupRequest: (req) => ({
            ...req,
            body: form({ ...client, grant_type: 'refresh_token', refresh_token: pool.shift() ?? 'none' }),
          }),
          onResponse: (status, body) => {
            if (status === 200) pool.push(JSON.parse(body).refresh_token)
          },
        },
      ],
    }),
  )
}
child.kill('SIGTERM')
