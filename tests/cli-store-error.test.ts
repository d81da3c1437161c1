import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli-helpers.ts'

// The exit-code table of apps/cli/README.md, on the built CLI: a token store that cannot be read
// (`CONCUR_STORE_ERROR`) is an auth error (3), not a network error (4).
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'concurkit-exit-'))
  await writeFile(join(dir, 'profiles.json'), '{"default": {"refreshToken": ', { mode: 0o600 })
  await chmod(join(dir, 'profiles.json'), 0o600)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('exit codes of the built CLI: a store error', () => {
  const env = () => ({
    CONCURKIT_CONFIG_DIR: dir,
    CONCUR_CLIENT_ID: undefined,
    CONCUR_CLIENT_SECRET: undefined,
    CONCUR_USERNAME: undefined,
    CONCUR_PASSWORD: undefined,
    CONCUR_BASE_URL: undefined,
  })

  it('a corrupt token store exits 3 with one readable line, for auth status and extract', async () => {
    const status = await runCli(['auth', 'status'], { env: env() })
    expect(status.code).toBe(3)
    expect(status.stderr.trim().split('\n')).toHaveLength(1)
    expect(status.stderr).toMatch(/profiles\.json is not valid JSON/)

    const out = join(dir, 'reports.ndjson')
    const extract = await runCli(['extract', 'expense-reports', '--out', out], { env: env() })
    expect(extract.code).toBe(3)
    expect(extract.stderr.trim().split('\n')).toHaveLength(1)
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' }) // no half-written file
    // The store is left as it was for the user to inspect.
    expect(await readFile(join(dir, 'profiles.json'), 'utf8')).toBe('{"default": {"refreshToken": ')
  })
})
