import { closeSync, openSync } from 'node:fs'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, credentialsEnv, runCli, spawn } from '../cli-helpers.ts'
import { recordFigures } from './helpers.ts'

const mock = createMockConcur({ seed: 8, companies: 1, size: 40, datacenters: ['us'] })
const company = mock.state.companies[0]!
let running: RunningMock
let dir: string
const figures = { scenarios: 0 }

const env = (baseUrl: string) => ({
  CONCURKIT_CONFIG_DIR: join(dir, 'config'),
  ...credentialsEnv(company),
  CONCUR_BASE_URL: baseUrl,
})

/** One readable line on stderr (`error: …`), no stack trace, no secret. */
function expectOneLine(stderr: string, what: string) {
  const lines = stderr.trim().split('\n')
  expect({ what, lines: lines.length, line: lines[0] }).toEqual({
    what,
    lines: 1,
    line: expect.stringMatching(/^error: \S/),
  })
  expect(stderr).not.toMatch(/\n\s+at |node:internal/)
  expect(stderr).not.toContain(company.users[0]!.password)
  expect(stderr).not.toContain(company.apps[0]!.clientSecret)
  figures.scenarios++
}

/** Files in `dir` named like the output (the output itself, `.part`, temp files) — none may stay. */
async function leftovers(prefix: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.startsWith(prefix))
}

beforeAll(async () => {
  running = await mock.listen({ port: 0 })
  dir = await mkdtemp(join(tmpdir(), 'concurkit-robust-'))
})
afterAll(async () => {
  await running?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
  await recordFigures('cli-robustness', figures)
})

describe('CLI robustness: one readable line, the documented exit code, no partial file', () => {
  it('unwritable --out (a path below a regular file) → usage error 2, before any request', async () => {
    const blocker = join(dir, 'blocker')
    await writeFile(blocker, 'x')
    const res = await runCli(['extract', 'expense-reports', '--out', join(blocker, 'out.ndjson')], {
      env: env(running.datacenters.us!),
    })
    expect(res.code).toBe(2)
    expectOneLine(res.stderr, 'unwritable --out')
    expect(res.stdout).toBe('')
  })

  it('a write error (stdout is /dev/full: no space left) → exit 4, no temp file left', async () => {
    const full = openSync('/dev/full', 'w')
    // A temp dir of the child's own: other test files extract to stdout at the same time.
    const childTmp = await mkdtemp(join(tmpdir(), 'concurkit-robust-tmp-'))
    try {
      const res = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [CLI, 'extract', 'expense-reports', '--user', 'ALL', '--out', '-'],
          {
            env: { ...process.env, NO_COLOR: '1', TMPDIR: childTmp, ...env(running.datacenters.us!) },
            stdio: ['ignore', full, 'pipe'],
          },
        )
        let stderr = ''
        child.stderr?.on('data', (d: Buffer) => {
          stderr += d.toString()
        })
        child.on('close', (code) => resolve({ code, stderr }))
      })
      expect(res.code).toBe(4)
      expectOneLine(res.stderr, 'ENOSPC')
      expect(res.stderr).toMatch(/ENOSPC|no space|write/i)
    } finally {
      closeSync(full)
    }
    expect(await readdir(childTmp)).toEqual([])
    await rm(childTmp, { recursive: true, force: true })
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} mid-extract → exit 4 "interrupted", no output file`, async () => {
      await fetch(`${running.admin}/_mock/faults`, { method: 'DELETE' })
      // A request an earlier (interrupted) child left in flight is still answered (after its 400 ms
      // delay) and journaled: let it land before clearing, so it cannot pass for this child's.
      await new Promise((r) => setTimeout(r, 600))
      await fetch(`${running.admin}/_mock/journal`, { method: 'DELETE' })
      await fetch(`${running.admin}/_mock/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path: '/api/**', delayMs: 400 }),
      })
      const out = join(dir, `signal-${signal}.ndjson`)
      try {
        const res = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [CLI, 'extract', 'expense-entries', '--user', 'ALL', '--out', out],
            {
              env: { ...process.env, NO_COLOR: '1', ...env(running.datacenters.us!) },
              stdio: ['ignore', 'pipe', 'pipe'],
            },
          )
          let stderr = ''
          child.stderr?.on('data', (d: Buffer) => {
            stderr += d.toString()
          })
          child.on('close', (code) => resolve({ code, stderr }))
          // Signal once the first resource request reached the mock.
          const started = Date.now()
          let signalled = false
          const poll = setInterval(async () => {
            if (signalled) return
            if (Date.now() - started > 30_000) {
              clearInterval(poll)
              child.kill('SIGKILL')
              reject(new Error('the extract never reached the mock'))
              return
            }
            const j = (await (await fetch(`${running.admin}/_mock/journal`)).json()) as {
              entries: { path: string }[]
            }
            // Polls overlap when the mock is slow: signal exactly once.
            if (!signalled && j.entries.some((e) => e.path.startsWith('/api/'))) {
              signalled = true
              clearInterval(poll)
              child.kill(signal)
            }
          }, 50)
        })
        expect(res.code).toBe(4)
        expectOneLine(res.stderr, signal)
        expect(res.stderr).toMatch(/interrupted/)
        // the output does not exist; a checkpoint for resuming may (documented)
        expect(await leftovers(`signal-${signal}.ndjson`)).not.toContain(`signal-${signal}.ndjson`)
      } finally {
        await fetch(`${running.admin}/_mock/faults`, { method: 'DELETE' })
      }
    })
  }

  it('unknown resource and bad dates → usage error 2, no file', async () => {
    const cases = [
      ['extract', 'no-such-resource', '--out', join(dir, 'u1.ndjson')],
      ['extract', 'expense-reports', '--from', '2024-13-45', '--out', join(dir, 'u2.ndjson')],
      ['extract', 'expense-reports', '--on', 'yesterday-ish', '--out', join(dir, 'u3.ndjson')],
      ['extract', 'expense-reports', '--days-back', '-3', '--out', join(dir, 'u4.ndjson')],
      ['extract', 'expense-reports', '--format', 'xlsx', '--out', join(dir, 'u5.ndjson')],
    ]
    const results = await Promise.all(
      cases.map((args) => runCli(args, { env: env(running.datacenters.us!) })),
    )
    for (const [i, res] of results.entries()) {
      expect({ args: cases[i]!.slice(1, 4).join(' '), code: res.code }).toEqual({
        args: cases[i]!.slice(1, 4).join(' '),
        code: 2,
      })
      expectOneLine(res.stderr, cases[i]!.join(' '))
    }
    expect(await leftovers('u')).toEqual([])
  })

  it('network down (base URL on a closed port) → exit 4, one line, no file', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer()
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port
        srv.close(() => resolve(p))
      })
    })
    const res = await runCli(['extract', 'expense-reports', '--out', join(dir, 'down.ndjson')], {
      env: env(`http://127.0.0.1:${port}`),
      timeoutMs: 60_000,
    })
    expect(res.code).toBe(4)
    expectOneLine(res.stderr, 'network down')
    expect(await leftovers('down')).toEqual([])
  })
})
