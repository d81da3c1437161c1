import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { createMockConcur } from '@concurkit/mock-concur'
import { describe, expect, it } from 'vitest'
import { adminGrant, CLI, runCli, spawn } from './cli-helpers.ts'

// `concurkit mock --workers N` (built CLI, child process): list pages rendered on worker threads
// are the bytes an in-process mock with the same options answers, and the process still stops on
// SIGTERM with exit 0.
/** OS threads of a process (Linux), or undefined elsewhere. */
async function threadsOf(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined)
  const m = status ? /^Threads:\s+(\d+)/m.exec(status) : null
  return m ? Number(m[1]) : undefined
}

/** `concurkit mock … --json` started as a child, with its description and an administrator's token. */
async function startCliMock(extra: string[], nodeOptions: string[] = []) {
  const child = spawn(
    process.execPath,
    [
      ...nodeOptions,
      CLI,
      'mock',
      '--port',
      '0',
      '--json',
      '--size',
      '2000',
      '--companies',
      '1',
      '--datacenters',
      'us',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr!.on('data', (d) => {
    stderr += d
  })
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
  const d = JSON.parse(line) as {
    seed: number
    datacenters: Record<string, string>
    companies: { clientId: string; clientSecret: string; users: { loginId: string; password: string }[] }[]
  }
  const c = d.companies[0]!
  const base = d.datacenters.us!
  const { access_token } = await adminGrant(fetch, base, c, c.users[0]!)
  const stop = async () => {
    child.kill('SIGTERM')
    const [code] = (await once(child, 'exit')) as [number | null]
    return { code, stderr }
  }
  return { child, seed: d.seed, base, token: access_token, stop }
}

describe('concurkit mock --workers', () => {
  it('serves the same pages as a mock without workers, on more threads, and stops cleanly', async () => {
    // Node options a worker cannot take (`--expose-gc`, V8's heap size) must not stop the workers.
    const pooled = await startCliMock(['--workers', '2'], ['--expose-gc', '--max-old-space-size=1024'])
    const plain = await startCliMock([])
    try {
      // The reference: an in-process mock with the same options (its own origin in URIs).
      const reference = createMockConcur({ seed: pooled.seed, size: 2000, companies: 1, datacenters: ['us'] })
      const rc = reference.state.companies[0]!
      const rBase = reference.state.baseUrl(rc.datacenter)
      const rToken = (await adminGrant(reference.fetch, rBase, rc.apps[0]!, rc.users[0]!)).access_token
      let path: string | null = '/api/v3.0/expense/entries?limit=100&user=ALL'
      for (let page = 0; page < 4 && path; page++) {
        const res = await fetch(`${pooled.base}${path}`, {
          headers: { authorization: `Bearer ${pooled.token}` },
        })
        const ref = await reference.fetch(`${rBase}${path}`, {
          headers: { authorization: `Bearer ${rToken}` },
        })
        expect(res.status).toBe(200)
        const text = (await res.text()).replaceAll(pooled.base, 'ORIGIN')
        expect(text).toBe((await ref.text()).replaceAll(rBase, 'ORIGIN'))
        const next = (JSON.parse(text) as { NextPage: string | null }).NextPage
        path = next ? next.replace('ORIGIN', '') : null
      }
      const xml = await fetch(`${pooled.base}/api/v3.0/expense/reports?limit=5&user=ALL`, {
        headers: { authorization: `Bearer ${pooled.token}`, accept: 'application/xml' },
      })
      expect(xml.status).toBe(200)
      expect(await xml.text()).toContain('<Report>')
      // The same traffic on the mock without workers: two render workers are two more threads.
      const first = await fetch(`${plain.base}/api/v3.0/expense/entries?limit=100&user=ALL`, {
        headers: { authorization: `Bearer ${plain.token}` },
      })
      expect(first.status).toBe(200)
      const [withWorkers, without] = [await threadsOf(pooled.child.pid!), await threadsOf(plain.child.pid!)]
      if (withWorkers !== undefined && without !== undefined)
        expect(withWorkers - without).toBeGreaterThanOrEqual(2)
    } finally {
      const [a, b] = [await pooled.stop(), await plain.stop()]
      expect(a.code, a.stderr).toBe(0)
      expect(b.code, b.stderr).toBe(0)
    }
  })

  it('refuses a worker count that is not an integer from 0 to 64, in one line', async () => {
    for (const bad of ['-1', '65', 'two', '1.5']) {
      const res = await runCli(['mock', '--port', '0', '--workers', bad])
      expect(res.code, bad).toBe(2)
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
      expect(res.stderr).toMatch(/--workers must be/)
    }
  })
})
