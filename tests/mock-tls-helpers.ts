import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { CLI } from './cli-helpers.ts'

/** The `--json` line of `concurkit mock` (the keys scripts read). */
export interface MockJson {
  datacenters: Record<string, string>
  admin: string
  seed: number
  tls?: { ca: string }
  companies: {
    id: string
    datacenter: string
    geolocation: string
    clientId: string
    clientSecret: string
    requestToken: string
    users: { loginId: string; password: string; roles: string[] }[]
  }[]
}

/** A `concurkit mock` child process and its `--json` line. */
export interface MockProcess {
  readonly json: MockJson
  readonly child: ChildProcess
  /** Stops it with SIGTERM and resolves with its exit code. */
  stop(): Promise<number | null>
  /** What it wrote to stderr. */
  stderr(): string
}

/**
 * Starts the BUILT CLI's `concurkit mock --port 0 --json ...args` and waits (up to 20 s) for its
 * JSON line.
 */
export async function startMockCli(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<MockProcess> {
  const child = spawn(process.execPath, [CLI, 'mock', '--port', '0', '--json', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const lines = createInterface({ input: child.stdout! })
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no --json line within 20 s: ${err}`)), 20_000)
    lines.once('line', (l) => {
      clearTimeout(timer)
      resolve(l)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`concurkit mock exited with ${code}: ${err}`))
    })
  })
  return {
    json: JSON.parse(line) as MockJson,
    child,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}

const NEWMAN = createRequire(import.meta.url).resolve('newman/bin/newman.js')

/** One request of a newman run, as its JSON reporter writes it. */
export interface NewmanExecution {
  cursor: { iteration: number }
  item: { name: string }
  request: {
    url: { protocol: string; host: string[]; port: string }
    body?: { urlencoded?: { key: string; value: string }[] }
  }
  response: { code: number; stream: { data: number[] } }
  assertions: { assertion: string; error?: { message: string } }[]
}

/** newman's JSON report (the parts the tests read). */
export interface NewmanReport {
  run: {
    stats: Record<'requests' | 'assertions' | 'iterations', { total: number; failed: number }>
    executions: NewmanExecution[]
    failures: { error: { message: string; test?: string }; source: { name: string } }[]
  }
}

/** A finished newman run. */
export interface NewmanRun {
  code: number
  report: NewmanReport
  /** The environment as the collection's scripts left it (`--export-environment`). */
  env: Record<string, string>
  /** Path of that exported environment file. */
  envFile: string
}

/** The parsed JSON body of an execution's response. */
export const responseJson = (e: NewmanExecution) =>
  JSON.parse(Buffer.from(e.response.stream.data).toString('utf8')) as Record<string, unknown>

/** A form field the request sent. */
export const sentField = (e: NewmanExecution, key: string) =>
  e.request.body?.urlencoded?.find((f) => f.key === key)?.value

let newmanRuns = 0

/**
 * Runs `newman run <collection> --environment <env> [--env-var k=v …] --ssl-extra-ca-certs <ca>` as a
 * user types it (newman's own CLI, a child process), with the JSON reporter and the environment
 * exported into `work`.
 */
export function runNewman(options: {
  collection: string
  environment: string
  ca: string
  work: string
  envVars?: Record<string, string>
  args?: readonly string[]
}): Promise<NewmanRun> {
  const n = ++newmanRuns
  const report = join(options.work, `report-${n}.json`)
  const exported = join(options.work, `env-${n}.json`)
  const args = [
    NEWMAN,
    'run',
    options.collection,
    '--environment',
    options.environment,
    ...Object.entries(options.envVars ?? {}).flatMap(([k, v]) => ['--env-var', `${k}=${v}`]),
    '--ssl-extra-ca-certs',
    options.ca,
    '--reporters',
    'json',
    '--reporter-json-export',
    report,
    '--export-environment',
    exported,
    '--color',
    'off',
    ...(options.args ?? []),
  ]
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } },
      (err, _o, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
        try {
          const env = JSON.parse(readFileSync(exported, 'utf8')) as {
            values: { key: string; value: string }[]
          }
          resolve({
            code,
            report: JSON.parse(readFileSync(report, 'utf8')) as NewmanReport,
            env: Object.fromEntries(env.values.map((v) => [v.key, v.value])),
            envFile: exported,
          })
        } catch (readErr) {
          reject(
            new Error(`newman wrote no report (exit ${code}): ${stderr.slice(0, 2000)}`, {
              cause: err ?? readErr,
            }),
          )
        }
      },
    )
  })
}
