import { type ChildProcess, execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createConnector } from '@concurkit/callout-kit'
import {
  createSelfSignedCertificate,
  type RunningConnector,
  serveConnector,
} from '@concurkit/callout-kit/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, spawn } from './cli-helpers.ts'

// Generated inside the repo so the project resolves the workspace's @concurkit/callout-kit.
const HERE = fileURLToPath(new URL('.', import.meta.url))
const user = 'concur-connector'
const password = 'template-password-1234'
let dir: string
let server: ChildProcess | undefined
let templateUrl: string
let broken: RunningConnector
let brokenCa: string

function nodeTest(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--test', 'test/'], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as { code?: unknown }).code === 'number'
          ? (err as { code: number }).code
          : -1
        : 0
      resolve({ code, output: `${stdout}${stderr}` })
    })
  })
}

beforeAll(async () => {
  dir = await mkdtemp(join(HERE, '.tmp-callout-'))
  const init = await runCli(['callout', 'init', dir, '--force'])
  expect(init.code, init.stderr).toBe(0)

  const child = spawn(process.execPath, ['src/server.js'], {
    cwd: dir,
    env: { ...process.env, CONNECTOR_USER: user, CONNECTOR_PASSWORD: password, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server = child
  templateUrl = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`template server did not start: ${out}`)), 20_000)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (https:\/\/\S+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString()
    })
    child.once('exit', (code) => reject(new Error(`template server exited ${code}: ${out}`)))
  })

  const tls = await createSelfSignedCertificate({ hosts: ['127.0.0.1'] })
  brokenCa = tls.cert
  const app = createConnector({ credentials: { user, password }, handlers: { notify: () => {} } })
  app.post('/concur/attendee/v2.0/fetch', (c) =>
    c.body(
      '<AttendeeSearchResponse><Attendee><ExternalID>1</ExternalID></Attendee></AttendeeSearchResponse>',
      200,
      {
        'content-type': 'application/xml',
      },
    ),
  )
  broken = await serveConnector({ app, tls, port: 0 })
})

afterAll(async () => {
  if (server && server.exitCode === null) server.kill('SIGTERM')
  await broken?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('concurkit callout (built CLI)', () => {
  it('init writes a project whose own test passes', async () => {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    expect(Object.keys(pkg.dependencies)).toEqual(['@concurkit/callout-kit'])
    for (const h of ['fetch-attendee', 'fetch-list', 'notify', 'launch-external-url'])
      expect(await readFile(join(dir, `src/handlers/${h}.js`), 'utf8')).toContain('export')
    const run = await nodeTest(dir)
    expect(run.code, run.output).toBe(0)
    expect(run.output).toMatch(/# pass 4/)
  })

  it('test passes against the template connector (pretty and JSON)', async () => {
    const args = [
      'callout',
      'test',
      '--url',
      templateUrl,
      '--user',
      user,
      '--ca',
      join(dir, 'dev-cert.pem'),
      '--password-stdin',
    ]
    const pretty = await runCli(args, { input: password })
    expect(pretty.code, pretty.stdout + pretty.stderr).toBe(0)
    expect(pretty.stdout).toMatch(/9 passed, 0 failed/)
    expect(pretty.stdout).not.toContain(password)
    const json = await runCli([...args, '--reporter', 'json'], { input: password })
    expect(json.code, json.stderr).toBe(0)
    const report = JSON.parse(json.stdout) as {
      summary: { ok: boolean; passed: number }
      checks: { status: string }[]
    }
    expect(report.summary).toMatchObject({ ok: true, passed: 9 })
  })

  it('test fails with a readable reason against a broken connector (exit 1, JUnit)', async () => {
    const ca = join(dir, 'broken-ca.pem')
    await import('node:fs/promises').then((fs) => fs.writeFile(ca, brokenCa))
    const base = ['callout', 'test', '--url', broken.url, '--user', user, '--ca', ca, '--password-stdin']
    const res = await runCli(base, { input: password })
    expect(res.code, res.stderr).toBe(1)
    expect(res.stdout, res.stderr).toMatch(
      /✗ fetch-attendee-v2 .*missing element <FirstName> \(element AttendeeSearchResponse\/Attendee\[1\]\/FirstName\)/,
    )
    const out = join(dir, 'report.xml')
    const junit = await runCli([...base, '--reporter', 'junit', '--out', out], { input: password })
    expect(junit.code, junit.stderr).toBe(1)
    expect(await readFile(out, 'utf8')).toMatch(
      /<failure message="missing element &lt;FirstName> \(element AttendeeSearchResponse\/Attendee\[1\]\/FirstName\)"/,
    )
    const wrong = await runCli(base, { input: 'not-the-password-at-all' })
    expect(wrong.code, wrong.stderr).toBe(1)
    expect(wrong.stdout).toMatch(/testconnection .*refused the credentials \(HTTP 401\)/)
  })
})
