import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { createConcurClient, extract } from '../src/index.ts'

const dir = await mkdtemp(join(tmpdir(), 'extract-args-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

it('refuses an empty partition list with a clear error, before any request or file', async () => {
  const client = createConcurClient({
    auth: { getAccessToken: async () => 'unused' },
    baseUrl: 'http://127.0.0.1:9',
  })
  try {
    await expect(
      extract({
        client,
        resources: ['expense-reports'],
        format: 'ndjson',
        out: join(dir, 'out.ndjson'),
        partitions: [],
      }),
    ).rejects.toMatchObject({
      code: 'CONCUR_INVALID_ARGUMENT',
      message: expect.stringMatching(/at least one partition/),
    })
    expect(await readdir(dir)).toEqual([])
  } finally {
    await client.close()
  }
})
