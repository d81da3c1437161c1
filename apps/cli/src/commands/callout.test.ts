import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fakeIo } from '../../test/fake-io.js'
import { main } from '../main.js'

const run = async (args: string[], input = '') => {
  const io = fakeIo({ env: { NO_COLOR: '1' }, input })
  const code = await main(['node', 'concurkit', ...args], io)
  return { code, stdout: io.out(), stderr: io.err() }
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'concurkit-callout-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('concurkit callout', () => {
  it('init writes the template and refuses a non-empty directory', async () => {
    const target = join(dir, 'My Connector')
    const ok = await run(['callout', 'init', target])
    expect(ok.code).toBe(0)
    expect((await readdir(target)).sort()).toEqual(['.gitignore', 'README.md', 'package.json', 'src', 'test'])
    const again = await run(['callout', 'init', target])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/not empty/)
  })

  it('usage errors exit 2 with one line', async () => {
    for (const args of [
      ['callout', 'test', '--user', 'concur-connector', '--password-stdin'],
      ['callout', 'test', '--url', 'https://127.0.0.1:9', '--password-stdin'],
      ['callout', 'test', '--url', 'not a url', '--user', 'u', '--password-stdin'],
      ['callout', 'test', '--url', 'https://127.0.0.1:9', '--user', 'u'],
      [
        'callout',
        'test',
        '--url',
        'https://127.0.0.1:9',
        '--user',
        'u',
        '--password-stdin',
        '--require',
        'fetchFoo',
      ],
      [
        'callout',
        'test',
        '--url',
        'https://127.0.0.1:9',
        '--user',
        'u',
        '--password-stdin',
        '--ca',
        join(dir, 'missing.pem'),
      ],
    ]) {
      const res = await run(args, 'some-password')
      expect(res.code, args.join(' ')).toBe(2)
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
    }
  })

  it('exit 4 when the connector cannot be reached; the password never printed', async () => {
    const res = await run(
      [
        'callout',
        'test',
        '--url',
        'https://127.0.0.1:9',
        '--user',
        'concur-connector',
        '--password-stdin',
        '--reporter',
        'json',
      ],
      'secret-password-123',
    )
    expect(res.code).toBe(4)
    const report = JSON.parse(res.stdout) as {
      summary: { unreachable: boolean }
      checks: { reason: string }[]
    }
    expect(report.summary.unreachable).toBe(true)
    expect(report.checks[0]?.reason).toMatch(/ECONNREFUSED/)
    expect(res.stdout + res.stderr).not.toContain('secret-password-123')
  })
})
