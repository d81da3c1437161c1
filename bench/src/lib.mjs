// Shared helpers: child processes, machine description, statistics, HTTP helpers.
import { fork, spawn } from 'node:child_process'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const HERE = dirname(fileURLToPath(import.meta.url))
export const ROOT = join(HERE, '..', '..')
export const CHILD = join(HERE, 'child')

/** Machine, runtime and load, stated with every figure. */
export function machine() {
  const cpus = os.cpus()
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100),
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Sorted-copy percentile. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
export const median = (values) => percentile(values, 50)

export const round = (n, d = 2) => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : null)

/**
 * Forks a bench child (an .mjs under src/child) with IPC and waits for its `ready` message.
 * The child is killed when `stop()` is called or this process exits.
 */
// BENCH_PROF=<dir>: every child writes a CPU profile there (`--cpu-prof`), to see what bounds a figure.
const profArgs = () =>
  process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []

export async function startChild(script, args = [], { execArgv = [], timeoutMs = 60_000 } = {}) {
  const child = fork(join(CHILD, script), args, {
    execArgv: ['--expose-gc', ...profArgs(), ...execArgv],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000)
  })
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in ${timeoutMs} ms`)), timeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${script} exited with ${code}: ${stderr.trim()}`))
    })
    child.on('message', (m) => {
      if (m?.type === 'ready') {
        clearTimeout(timer)
        resolve(m)
      }
    })
  })
  children.add(child)
  const ask = (type) =>
    new Promise((resolve) => {
      const on = (m) => {
        if (m?.type === type) {
          child.off('message', on)
          resolve(m)
        }
      }
      child.on('message', on)
      child.send({ type })
    })
  return {
    ...ready,
    child,
    ask,
    async stop() {
      children.delete(child)
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await Promise.race([exited, sleep(3000)])
      if (child.exitCode === null) child.kill('SIGKILL')
    },
  }
}

const children = new Set()
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL')
})

/**
 * Runs a child to completion; it sends one `{type: 'result'}` message. `env` carries its options
 * (tokens stay off argv); errors name the script only.
 */
export function runChild(script, args = [], { execArgv = [], env = {}, timeoutMs = 600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(join(CHILD, script), args, {
      execArgv: [...profArgs(), ...execArgv],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    children.add(child)
    let stderr = ''
    let result
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-4000)
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('message', (m) => {
      if (m?.type === 'result') result = m
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      children.delete(child)
      if (result && code === 0) resolve(result)
      else
        reject(
          new Error(
            `${script} failed (${signal ?? code}): ${stderr.trim().split('\n').slice(-12).join('\n')}`,
          ),
        )
    })
  })
}

/** Spawns a command and returns its exit code, wall time and output. */
export function runCommand(cmd, args, { cwd = ROOT, env = process.env, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now()
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, ms: performance.now() - t0, stdout, stderr })
    })
  })
}

/** A password grant against a listening mock (over the socket, like any client). */
export async function passwordToken(server) {
  const res = await fetch(`${server.url}/oauth2/v0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: server.clientId,
      client_secret: server.clientSecret,
      grant_type: 'password',
      username: server.username,
      password: server.password,
    }),
  })
  if (res.status !== 200) throw new Error(`token grant answered ${res.status}`)
  return res.json()
}
