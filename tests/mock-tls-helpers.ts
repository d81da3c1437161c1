import { type ChildProcess, spawn } from 'node:child_process'
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
