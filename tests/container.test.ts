// The container image, built and run with podman exactly as a user builds and runs it with docker:
// the build context from scripts/container-context.mjs, the repository's Containerfile, and a Node
// base image. No registry is reachable here, so the base is built locally FROM scratch out of this
// machine's Node binary and the shared libraries it loads (ldd) and passed as the NODE_IMAGE build
// argument; users get the official node image by default. Then the image runs with its ports
// published, configured by environment variables, and is checked from outside the container: curl
// (or fetch) through a password grant and a report page, `concurkit conformance --target` with the
// credentials the container printed, the image's health check, and `podman stop`.
//
// Podman runs as root with runc and a containers.conf that drops default ulimits and uses cgroupfs
// (what works inside this kind of machine). It takes about a minute, so the default `pnpm test` leaves
// it out and `pnpm test:container` (run by .ci/run, which installs podman when it can) runs it.
import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RESOURCES } from '@concurkit/contract'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli-helpers.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const wanted = process.env.CONCURKIT_CONTAINER === '1'
const hasPodman = wanted && onPath('podman')
const title = !wanted
  ? 'container image — SKIPPED in the default run: `pnpm test:container` (run by .ci/run) runs it'
  : !hasPodman
    ? 'container image — SKIPPED: podman is not installed (apt-get install podman runc; .ci/run installs it as root)'
    : 'container image built from the Containerfile and run with podman'

const suffix = `${process.pid}-${Date.now().toString(36)}`
const baseTag = `localhost/concurkit-test-base:${suffix}`
const imageTag = `localhost/concurkit-test:${suffix}`
const containers: string[] = []
let work: string
let env: NodeJS.ProcessEnv
let globalFlags: string[]

interface Run {
  code: number
  stdout: string
  stderr: string
}

function podman(args: string[], options: { timeoutMs?: number; input?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      'podman',
      [...globalFlags, ...args],
      { env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
        resolve({ code, stdout, stderr })
      },
    )
    child.stdin?.end(options.input ?? '')
  })
}

async function podmanOk(args: string[], timeoutMs?: number): Promise<string> {
  const res = await podman(args, timeoutMs === undefined ? {} : { timeoutMs })
  if (res.code !== 0)
    throw new Error(`podman ${args.join(' ')} exited ${res.code}: ${res.stderr.slice(-2000)}`)
  return res.stdout
}

/** A root filesystem holding only this machine's Node binary and the shared libraries it loads. */
function nodeRootfs(dir: string): void {
  const rootfs = join(dir, 'rootfs')
  const copy = (from: string) => {
    mkdirSync(join(rootfs, dirname(from)), { recursive: true })
    copyFileSync(from, join(rootfs, from))
  }
  mkdirSync(join(rootfs, 'usr/local/bin'), { recursive: true })
  copyFileSync(process.execPath, join(rootfs, 'usr/local/bin/node'))
  const ldd = execFileSync('ldd', [process.execPath], { encoding: 'utf8' })
  for (const lib of ldd.match(/\/\S+/g) ?? []) copy(lib)
  mkdirSync(join(rootfs, 'tmp'))
  chmodSync(join(rootfs, 'tmp'), 0o1777)
  writeFileSync(
    join(dir, 'Containerfile'),
    'FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/local/bin:/usr/bin:/bin\n',
  )
}

/** Two consecutive ports free on 127.0.0.1 (the container's datacenters listen on the same numbers). */
async function freePortPair(): Promise<number> {
  const listen = (port: number) =>
    new Promise<ReturnType<typeof createServer> | undefined>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(undefined))
      server.listen(port, '127.0.0.1', () => resolve(server))
    })
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await listen(0)
    const port = (first!.address() as { port: number }).port
    const second = port < 65535 ? await listen(port + 1) : undefined
    await new Promise((r) => first!.close(r))
    if (second) {
      await new Promise((r) => second.close(r))
      return port
    }
  }
  throw new Error('no two consecutive free ports')
}

/** GET or POST with curl when it is installed (as a user would), else fetch. */
async function http(
  url: string,
  init: { headers?: Record<string, string>; form?: string } = {},
): Promise<{ status: number; body: string }> {
  if (onPath('curl')) {
    const args = ['-sS', '-m', '10', '-o', '-', '-w', '\n%{http_code}', url]
    for (const [k, v] of Object.entries(init.headers ?? {})) args.push('-H', `${k}: ${v}`)
    // the form (it holds a password) goes through stdin, never argv
    if (init.form !== undefined)
      args.push('-H', 'content-type: application/x-www-form-urlencoded', '--data-binary', '@-')
    const out = await new Promise<string>((resolve, reject) => {
      const child = execFile('curl', args, { timeout: 15_000 }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      )
      child.stdin?.end(init.form ?? '')
    })
    const nl = out.lastIndexOf('\n')
    return { status: Number(out.slice(nl + 1)), body: out.slice(0, nl) }
  }
  const res = await fetch(url, {
    headers: {
      ...init.headers,
      ...(init.form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    ...(init.form === undefined ? {} : { method: 'POST', body: init.form }),
  })
  return { status: res.status, body: await res.text() }
}

interface Description {
  datacenters: Record<string, string>
  admin: string
  seed: number
  companies: {
    clientId: string
    clientSecret: string
    users: { loginId: string; password: string; roles: string[] }[]
  }[]
}

/** Waits for the container's one JSON line (CONCURKIT_JSON=1) in its log. */
async function description(name: string): Promise<Description> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const { stdout } = await podman(['logs', name])
    const line = stdout.split('\n').find((l) => l.startsWith('{'))
    if (line) return JSON.parse(line) as Description
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`container ${name} printed no JSON line: ${(await podman(['logs', name])).stderr}`)
}

describe.skipIf(!hasPodman)(title, () => {
  let port: number
  let name: string
  let mock: Description

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'concurkit-container-'))
    writeFileSync(
      join(work, 'containers.conf'),
      '[containers]\ndefault_ulimits = []\n\n[engine]\ncgroup_manager = "cgroupfs"\n',
    )
    env = { ...process.env, CONTAINERS_CONF: join(work, 'containers.conf') }
    globalFlags = onPath('runc') ? ['--runtime', 'runc'] : []

    execFileSync(
      process.execPath,
      [join(root, 'scripts/container-context.mjs'), '--out', join(work, 'context')],
      {
        cwd: root,
        stdio: 'ignore',
      },
    )
    mkdirSync(join(work, 'base'))
    nodeRootfs(join(work, 'base'))
    await podmanOk(['build', '--quiet', '--tag', baseTag, join(work, 'base')], 120_000)
    // --format docker: the OCI image format has no HEALTHCHECK
    await podmanOk(
      [
        'build',
        '--quiet',
        '--format',
        'docker',
        '--pull=never',
        '--build-arg',
        `NODE_IMAGE=${baseTag}`,
        '--file',
        join(root, 'Containerfile'),
        '--tag',
        imageTag,
        join(work, 'context'),
      ],
      120_000,
    )

    port = await freePortPair()
    name = `concurkit-test-${suffix}`
    containers.push(name)
    await podmanOk([
      'run',
      '--detach',
      '--name',
      name,
      '--publish',
      `127.0.0.1:${port}-${port + 1}:${port}-${port + 1}`,
      '--env',
      `CONCURKIT_PORT=${port}`,
      '--env',
      'CONCURKIT_SEED=7',
      '--env',
      'CONCURKIT_SIZE=12',
      '--env',
      'CONCURKIT_JSON=1',
      imageTag,
    ])
    mock = await description(name)
  }, 240_000)

  afterAll(async () => {
    if (!work) return
    for (const c of containers) await podman(['rm', '--force', '--time', '0', c])
    await podman(['rmi', '--force', imageTag, baseTag])
    rmSync(work, { recursive: true, force: true })
  }, 60_000)

  it('is a small image: non-root, `mock` by default, a health check, the datacenter ports exposed', async () => {
    const [image] = JSON.parse(await podmanOk(['image', 'inspect', imageTag])) as {
      Size: number
      Config: {
        User: string
        Entrypoint: string[]
        Cmd: string[]
        ExposedPorts: Record<string, unknown>
        Env: string[]
      }
      Healthcheck?: { Test: string[]; Interval: number }
    }[]
    const [base] = JSON.parse(await podmanOk(['image', 'inspect', baseTag])) as { Size: number }[]
    expect(image!.Config.User).toBe('1000:1000')
    expect(image!.Config.Cmd).toEqual(['mock'])
    expect(image!.Config.Entrypoint).toEqual(['node', '/opt/concurkit/container/entrypoint.mjs'])
    expect(Object.keys(image!.Config.ExposedPorts).sort()).toEqual(['4010/tcp', '4011/tcp'])
    expect(image!.Config.Env).toEqual(
      expect.arrayContaining(['CONCURKIT_HOST=0.0.0.0', 'CONCURKIT_PORT=4010']),
    )
    expect(image!.Healthcheck?.Test).toEqual(['CMD', 'node', '/opt/concurkit/container/healthcheck.mjs'])
    // what the Containerfile adds on top of Node: the CLI's production bundle only
    expect(image!.Size - base!.Size).toBeLessThan(40e6)
  })

  it('serves every datacenter on the published ports, configured by the environment', async () => {
    expect(mock.seed).toBe(7)
    expect(mock.datacenters).toEqual({ us: `http://127.0.0.1:${port}`, eu2: `http://127.0.0.1:${port + 1}` })
    const inside = JSON.parse(
      (await podmanOk(['exec', name, 'node', '-p', 'JSON.stringify(process.getuid())'])).trim(),
    )
    expect(inside).toBe(1000)
    for (const url of Object.values(mock.datacenters)) {
      const res = await http(`${url}/oauth2/v0/jwks`)
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body).keys.length).toBeGreaterThan(0)
    }
  })

  it('answers a password grant and a report page from outside the container', async () => {
    const company = mock.companies[0]!
    const user = company.users.find((u) => u.roles.includes('WebServicesAdmin'))!
    const form = new URLSearchParams({
      grant_type: 'password',
      client_id: company.clientId,
      client_secret: company.clientSecret,
      username: user.loginId,
      password: user.password,
      credtype: 'password',
    }).toString()
    const token = await http(`${mock.admin}/oauth2/v0/token`, { form })
    expect(token.status).toBe(200)
    const { access_token, geolocation } = JSON.parse(token.body) as {
      access_token: string
      geolocation: string
    }
    expect(geolocation).toBe(mock.datacenters.us)
    const page = await http(`${geolocation}/api/v3.0/expense/reports?user=ALL&limit=5`, {
      headers: { authorization: `Bearer ${access_token}`, accept: 'application/json' },
    })
    expect(page.status).toBe(200)
    expect(JSON.parse(page.body).Items).toHaveLength(5)
  })

  it('passes `concurkit conformance --target` with the credentials the container printed', async () => {
    const company = mock.companies[0]!
    const user = company.users.find((u) => u.roles.includes('WebServicesAdmin'))!
    const out = join(work, 'conformance.json')
    const res = await runCli(['conformance', '--target', mock.admin, '--reporter', 'json', '--out', out], {
      env: {
        CONCUR_CLIENT_ID: company.clientId,
        CONCUR_CLIENT_SECRET: company.clientSecret,
        CONCUR_USERNAME: user.loginId,
        CONCUR_PASSWORD: user.password,
        CONCUR_BASE_URL: undefined,
      },
      timeoutMs: 120_000,
    })
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      summary: {
        passed: number
        failed: number
        coverage: { resources: { exercised: number; total: number } }
      }
      checks: { id: string; status: string; reason?: string }[]
    }
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([])
    expect(res.code).toBe(0)
    expect(report.summary.passed).toBeGreaterThan(200)
    // every row a user's credentials read is exercised; company-only rows (Identity v4, …) are skipped
    const companyOnly = RESOURCES.filter((r) => r.tokenKinds && !r.tokenKinds.includes('user')).length
    expect(report.summary.coverage.resources.total).toBe(RESOURCES.length)
    expect(report.summary.coverage.resources.exercised).toBe(RESOURCES.length - companyOnly)
  }, 150_000)

  it("reports healthy through the image's HEALTHCHECK", async () => {
    const check = await podman(['healthcheck', 'run', name])
    expect(check.code).toBe(0)
    const status = (await podmanOk(['inspect', '--format', '{{.State.Health.Status}}', name])).trim()
    expect(status).toBe('healthy')
  })

  it('runs other commands and passes extra flags through (`docker run <image> mock --flag`)', async () => {
    const resources = await podman(['run', '--rm', imageTag, 'resources', '--json'])
    expect(resources.code).toBe(0)
    expect(JSON.parse(resources.stdout)).toHaveLength(RESOURCES.length)
    const unknown = await podman(['run', '--rm', imageTag, 'mock', '--not-a-flag'])
    expect(unknown.code).toBe(2)
    expect(unknown.stdout + unknown.stderr).toContain("unknown option '--not-a-flag'")
  })

  it('stops on `podman stop` (SIGTERM) at once, with exit code 0', async () => {
    const started = Date.now()
    await podmanOk(['stop', '--time', '20', name])
    expect(Date.now() - started).toBeLessThan(10_000)
    expect((await podmanOk(['inspect', '--format', '{{.State.ExitCode}}', name])).trim()).toBe('0')
  })
})
