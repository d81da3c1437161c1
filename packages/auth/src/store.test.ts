import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONCUR_STORE_ERROR, CONCUR_STORE_INSECURE } from './errors.js'
import { Secret } from './secret.js'
import { decodeProfile, encodeProfile, fileStore, memoryStore, type StoredProfile } from './store.js'
import type { TokenSet } from './token-endpoint.js'

const posix = process.platform !== 'win32'

function profile(n: number, withRefresh = true): StoredProfile {
  const tokens: TokenSet = {
    accessToken: new Secret(`access-${n}`),
    refreshToken: withRefresh ? new Secret(`refresh-${n}`) : undefined,
    idToken: undefined,
    tokenType: 'Bearer',
    scope: 'EXPRPT',
    geolocation: 'https://us.api.concursolutions.com',
    obtainedAt: 1000,
    expiresAt: 3_601_000,
    refreshExpiresAt: withRefresh ? 99_000 : undefined,
  }
  return {
    clientId: 'cid',
    grant: 'password',
    principal: { type: 'user', username: `u${n}` },
    tokens,
    updatedAt: n,
  }
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'concurkit-auth-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('encode/decode', () => {
  it('round-trips and rejects malformed entries', () => {
    const p = profile(1)
    const back = decodeProfile(JSON.parse(JSON.stringify(encodeProfile(p))))
    expect(back.tokens.accessToken.reveal()).toBe('access-1')
    expect(back.tokens.refreshToken?.reveal()).toBe('refresh-1')
    expect(back.tokens.refreshExpiresAt).toBe(99_000)
    expect(back.principal).toMatchObject({ type: 'user', username: 'u1' })
    expect(() => decodeProfile({ ...encodeProfile(p), accessToken: 5 })).toThrow(
      expect.objectContaining({ code: CONCUR_STORE_ERROR }),
    )
    expect(() => decodeProfile('x')).toThrow(expect.objectContaining({ code: CONCUR_STORE_ERROR }))
  })
})

describe('memoryStore', () => {
  it('gets, sets and deletes by profile', async () => {
    const store = memoryStore()
    expect(await store.get('a')).toBeUndefined()
    await store.set('a', profile(1))
    expect((await store.get('a'))?.updatedAt).toBe(1)
    await store.delete('a')
    expect(await store.get('a')).toBeUndefined()
  })
})

describe('fileStore', () => {
  it('writes atomically with mode 0600 and keeps several profiles side by side', async () => {
    const path = join(dir, 'nested', 'tokens.json')
    const store = fileStore(path)
    await store.set('company', profile(1))
    await store.set('user:jane', profile(2, false))
    if (posix) expect((await stat(path)).mode & 0o777).toBe(0o600)
    const json = JSON.parse(await readFile(path, 'utf8'))
    expect(Object.keys(json.profiles)).toEqual(['company', 'user:jane'])
    expect(json.version).toBe(1)
    expect((await store.get('company'))?.tokens.refreshToken?.reveal()).toBe('refresh-1')
    expect((await store.get('user:jane'))?.tokens.refreshToken).toBeUndefined()
    // a second instance (another process) sees both
    expect((await fileStore(path).get('user:jane'))?.principal.username).toBe('u2')
    await store.delete('company')
    expect(await store.get('company')).toBeUndefined()
    expect(await store.get('user:jane')).toBeDefined()
    // no temp files left behind
    expect(await readdir(join(dir, 'nested'))).toEqual(['tokens.json'])
  })

  it('serialises concurrent writes in one process without losing profiles', async () => {
    const path = join(dir, 'many.json')
    const store = fileStore(path)
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`p${i}`, profile(i))))
    const json = JSON.parse(await readFile(path, 'utf8'))
    expect(Object.keys(json.profiles)).toHaveLength(20)
  })

  it.skipIf(!posix)('refuses a group/world-readable file and says to chmod 600', async () => {
    const path = join(dir, 'open.json')
    const store = fileStore(path)
    await store.set('company', profile(1))
    await chmod(path, 0o644)
    const err = await store.get('company').catch((e: unknown) => e)
    expect(err).toMatchObject({ code: CONCUR_STORE_INSECURE })
    expect((err as Error).message).toContain('chmod 600')
    await expect(store.set('other', profile(2))).rejects.toMatchObject({ code: CONCUR_STORE_INSECURE })
    await chmod(path, 0o600)
    expect(await store.get('company')).toBeDefined()
  })

  it('reports a missing file as empty and junk as CONCUR_STORE_ERROR', async () => {
    expect(await fileStore(join(dir, 'absent.json')).get('x')).toBeUndefined()
    const junk = join(dir, 'junk.json')
    await writeFile(junk, '{not json', { mode: 0o600 })
    await expect(fileStore(junk).get('x')).rejects.toMatchObject({ code: CONCUR_STORE_ERROR })
    const other = join(dir, 'other.json')
    await writeFile(other, '{"a":1}', { mode: 0o600 })
    await expect(fileStore(other).get('x')).rejects.toMatchObject({ code: CONCUR_STORE_ERROR })
  })
})
