// The container image's entrypoint and health check (container/*.mjs) on the host, without a
// container runtime: laid out as in the image (`container/` beside the CLI's `dist/`), started as the
// image starts them. The CONCURKIT_* variables configure `mock`, command-line flags win over them,
// other commands run as given, bad values are one-line usage errors, SIGTERM stops the mock, and the
// health check tells a serving mock from a missing one (and uses the admin key when one is set).
// tests/container.test.ts builds and runs the real image.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
let dir: string
let entrypoint: string
let healthcheck: string
const children: ChildProcess[] = []

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'concurkit-entrypoint-'))
  mkdirSync(join(dir, 'container'))
  for (const f of ['entrypoint.mjs', 'healthcheck.mjs'])
    copyFileSync(join(root, 'container', f), join(dir, 'container', f))
  symlinkSync(join(root, 'apps/cli/dist'), join(dir, 'dist'), 'dir')
  entrypoint = join(dir, 'container/entrypoint.mjs')
  healthcheck = join(dir, 'container/healthcheck.mjs')
})

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Environment of a child: this process's, without any CONCURKIT_* variable, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CONCURKIT_')))
  return { ...base, NO_COLOR: '1', ...env }
}

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function run(file: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [file, ...args],
      { env: childEnv(env), timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

interface Started {
  child: ChildProcess
  description: {
    datacenters: Record<string, string>
    admin: string
    seed: number
    companies: { id: string }[]
  }
  exited: Promise<{ code: number | null; stderr: string }>
}

/** Starts the entrypoint (with `--json` from the environment) and waits for its JSON line. */
function start(args: string[], env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [entrypoint, ...args], {
    env: childEnv({ CONCURKIT_HOST: '127.0.0.1', CONCURKIT_PORT: '0', CONCURKIT_JSON: '1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stderr })),
  )
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d
      const nl = stdout.indexOf('\n')
      if (nl >= 0) resolve({ child, description: JSON.parse(stdout.slice(0, nl)), exited })
    })
    void exited.then(({ code }) => reject(new Error(`entrypoint exited ${code} before listening: ${stderr}`)))
  })
}

const portOf = (url: string) => new URL(url).port

describe('container entrypoint', () => {
  it('configures mock from CONCURKIT_* variables and stops on SIGTERM with exit 0', async () => {
    const { child, description, exited } = await start([], {
      CONCURKIT_SEED: '7',
      CONCURKIT_COMPANIES: '2',
      CONCURKIT_SIZE: '3',
      CONCURKIT_DATACENTERS: 'us, eu',
    })
    expect(description.seed).toBe(7)
    expect(Object.keys(description.datacenters)).toEqual(['us', 'eu'])
    expect(description.companies).toHaveLength(2)
    const res = await fetch(`${description.admin}/_mock/manifest?resource=expense-reports`)
    expect(res.status).toBe(200)
    child.kill('SIGTERM')
    expect((await exited).code).toBe(0)
  })

  it('no arguments means `mock`; flags on the command line win over the environment', async () => {
    const { description } = await start(['mock', '--seed', '9'], { CONCURKIT_SEED: '7' })
    expect(description.seed).toBe(9)
    const defaulted = await start([], { CONCURKIT_SEED: '11' })
    expect(defaulted.description.seed).toBe(11)
  })

  it('passes CONCURKIT_ARGS and unknown flags through to the CLI', async () => {
    const fromEnv = await run(entrypoint, [], { CONCURKIT_PORT: '0', CONCURKIT_ARGS: '--no-such-flag' })
    expect(fromEnv.code).toBe(2)
    expect(fromEnv.stderr).toContain("unknown option '--no-such-flag'")
    const fromArgs = await run(entrypoint, ['mock', '--also-unknown'], { CONCURKIT_PORT: '0' })
    expect(fromArgs.code).toBe(2)
    expect(fromArgs.stderr).toContain("unknown option '--also-unknown'")
  })

  it('runs other commands as given, without the mock variables', async () => {
    const res = await run(entrypoint, ['resources', '--json'], { CONCURKIT_PORT: 'not-a-port' })
    expect(res.code).toBe(0)
    expect(JSON.parse(res.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'expense-reports' })]),
    )
  })

  it('a bad value is a one-line usage error (exit 2)', async () => {
    const badSwitch = await run(entrypoint, [], { CONCURKIT_JSON: 'maybe' })
    expect(badSwitch.code).toBe(2)
    expect(badSwitch.stderr.trim()).toBe(
      'error: CONCURKIT_JSON must be 1, true, yes or 0, false, no (got "maybe")',
    )
    const badPort = await run(entrypoint, [], { CONCURKIT_PORT: 'abc' })
    expect(badPort.code).toBe(2)
    expect(badPort.stderr.trim().split('\n')).toHaveLength(1)
    expect(badPort.stderr).toContain('--port must be an integer (got "abc")')
  })

  it('health check: healthy while the mock serves, unhealthy (exit 1, one line) when nothing listens', async () => {
    const { child, description, exited } = await start([], {})
    const port = portOf(description.admin)
    const healthy = await run(healthcheck, [], { CONCURKIT_PORT: port })
    expect(healthy).toMatchObject({ code: 0, stderr: '' })
    child.kill('SIGTERM')
    await exited
    const down = await run(healthcheck, [], { CONCURKIT_PORT: port })
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(
      new RegExp(`^unhealthy: 127\\.0\\.0\\.1:${port} answers neither \\(http: .+; https: .+\\)\\n$`),
    )
  })

  it('health check sends CONCURKIT_ADMIN_KEY; the key never reaches argv or output', async () => {
    const key = 'admin-key-7f3c91'
    const { child, description, exited } = await start([], { CONCURKIT_ADMIN_KEY: key })
    const port = portOf(description.admin)
    expect((await fetch(`${description.admin}/_mock/clock`)).status).toBe(401)
    expect(await run(healthcheck, [], { CONCURKIT_PORT: port })).toMatchObject({ code: 1 })
    expect(await run(healthcheck, [], { CONCURKIT_PORT: port, CONCURKIT_ADMIN_KEY: key })).toMatchObject({
      code: 0,
      stderr: '',
    })
    child.kill('SIGTERM')
    const { code, stderr } = await exited
    expect(code).toBe(0)
    expect(JSON.stringify(description) + stderr).not.toContain(key)
  })
})
