import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONCUR_NOT_AUTHENTICATED, CONCUR_REFRESH_EXPIRED, CONCUR_STORE_ERROR } from '../src/errors.js'
import { companyRequestTokenGrant, passwordGrant, refreshTokenGrant } from '../src/grants.js'
import { createTokenManager, type TokenEvent } from '../src/manager.js'
import { memoryStore, type StoredProfile, type TokenStore } from '../src/store.js'
import { type MockSetup, requestToken, startMock } from './helpers.js'

let s: MockSetup
beforeAll(async () => {
  s = await startMock()
})
afterAll(() => s.close())

const HOUR = 3600

async function userManager(store: TokenStore = memoryStore(), events: TokenEvent[] = [], userIndex = 2) {
  const user = s.c0.users[userIndex]!
  const manager = createTokenManager({ ...s.client, store, profile: 'user', onEvent: (e) => events.push(e) })
  const tokens = await passwordGrant({ ...s.client, username: user.loginId, password: user.password })
  await manager.save(tokens, { grant: 'password', username: user.loginId })
  return { manager, store, tokens, events }
}

/** A store whose `set` fails `times` times (a full disk, a lost connection to a secrets manager). */
function flakyStore(
  inner: TokenStore,
  times: number,
): TokenStore & { failures: number; failNext(n: number): void } {
  let left = times
  const s = {
    failures: 0,
    failNext(n: number) {
      left = n
    },
    get: (k: string) => inner.get(k),
    delete: (k: string) => inner.delete(k),
    async set(k: string, v: StoredProfile) {
      if (left > 0) {
        left--
        s.failures++
        throw new Error('disk full')
      }
      await inner.set(k, v)
    },
  }
  return s
}

describe('token manager against the mock', () => {
  it('returns the stored token while fresh and refreshes ahead of expiry on the mock clock', async () => {
    const { manager, tokens, events } = await userManager()
    const since = s.mark()
    expect(await manager.getAccessToken()).toBe(tokens.accessToken.reveal())
    s.mock.state.clock.advance(HOUR - 200) // inside the 300 s refresh-ahead window
    const next = await manager.getAccessToken()
    expect(next).not.toBe(tokens.accessToken.reveal())
    expect(s.tokenRequests(since)).toEqual([{ datacenter: s.c0.datacenter, status: 200 }])
    expect(events.map((e) => e.type)).toEqual(['refreshed'])
    expect(events[0]).toMatchObject({ rotated: true })
    s.mock.state.clock.advance(HOUR) // fully expired
    expect(await manager.getAccessToken()).not.toBe(next)
    expect(s.tokenRequests(since)).toHaveLength(2)
  })

  it('single flight: 100 concurrent callers cause exactly one refresh request', async () => {
    const { manager } = await userManager()
    s.mock.state.clock.advance(HOUR + 1)
    const since = s.mark()
    const tokens = await Promise.all(Array.from({ length: 100 }, () => manager.getAccessToken()))
    expect(new Set(tokens).size).toBe(1)
    expect(s.tokenRequests(since)).toHaveLength(1)
    // many 401s for the same (stale) token: one refresh
    const stale = tokens[0]!
    const mark = s.mark()
    const again = await Promise.all(
      Array.from({ length: 20 }, () => manager.forceRefresh({ staleToken: stale })),
    )
    expect(new Set(again).size).toBe(1)
    expect(again[0]).not.toBe(stale)
    expect(s.tokenRequests(mark)).toHaveLength(1)
    manager.invalidate(stale) // no longer current: ignored
    expect(await manager.getAccessToken()).toBe(again[0])
    expect(s.tokenRequests(mark)).toHaveLength(1)
  })

  it('persists the rotated refresh token before returning the access token (write fails once)', async () => {
    const inner = memoryStore()
    const store = flakyStore(inner, 0)
    const { manager } = await userManager(store)
    s.mock.state.clock.advance(HOUR + 1)
    store.failNext(1)
    const token = await manager.getAccessToken()
    expect(store.failures).toBe(1)
    const stored = await inner.get('user')
    expect(stored!.tokens.accessToken.reveal()).toBe(token)
    // the next run (a new process) finds a valid refresh token
    s.mock.state.clock.advance(HOUR + 1)
    const nextRun = createTokenManager({ ...s.client, store: inner, profile: 'user' })
    await expect(nextRun.getAccessToken()).resolves.toMatch(/^ey/)
  })

  it('never uses tokens it could not store; the next call stores them first (crash between receiving and storing)', async () => {
    const inner = memoryStore()
    const store = flakyStore(inner, 0)
    const events: TokenEvent[] = []
    const { manager } = await userManager(store, events)
    const before = (await inner.get('user'))!
    s.mock.state.clock.advance(HOUR + 1)
    store.failNext(3) // every immediate retry fails
    const since = s.mark()
    await expect(manager.getAccessToken()).rejects.toMatchObject({ code: CONCUR_STORE_ERROR })
    expect(events.map((e) => e.type)).toContain('store-failed')
    expect(s.tokenRequests(since)).toHaveLength(1) // Concur rotated the refresh token...
    expect((await inner.get('user'))!.tokens.refreshToken!.equals(before.tokens.refreshToken)).toBe(true)
    // ...and the new access token was not handed out. The store works again: the pending set is written
    // first, then used, without another refresh.
    const token = await manager.getAccessToken()
    expect(s.tokenRequests(since)).toHaveLength(1)
    const stored = (await inner.get('user'))!
    expect(stored.tokens.accessToken.reveal()).toBe(token)
    expect(stored.tokens.refreshToken!.equals(before.tokens.refreshToken)).toBe(false)
    // the next run refreshes with the stored (rotated) token
    s.mock.state.clock.advance(HOUR + 1)
    const nextRun = createTokenManager({ ...s.client, store: inner, profile: 'user' })
    await expect(nextRun.getAccessToken()).resolves.not.toBe(token)
  })

  it('adopts tokens another process refreshed instead of refreshing again', async () => {
    const store = memoryStore()
    const { manager, tokens } = await userManager(store)
    const other = createTokenManager({ ...s.client, store, profile: 'user' })
    s.mock.state.clock.advance(HOUR + 1)
    const fromOther = await other.getAccessToken()
    const since = s.mark()
    expect(await manager.getAccessToken()).toBe(fromOther)
    expect(s.tokenRequests(since)).toHaveLength(0)
    expect(fromOther).not.toBe(tokens.accessToken.reveal())
  })

  it('flags refresh tokens near their 6-month end and fails clearly after it', async () => {
    const events: TokenEvent[] = []
    const store = memoryStore()
    const token = await requestToken(s, s.c0)
    const manager = createTokenManager({
      ...s.client,
      store,
      profile: 'company',
      refreshWarningDays: 14,
      onEvent: (e) => events.push(e),
    })
    const tokens = await companyRequestTokenGrant({ ...s.client, companyId: s.c0.id, requestToken: token })
    await manager.save(tokens, { grant: 'company', companyId: s.c0.id })
    expect(await manager.status()).toMatchObject({
      authenticated: true,
      grant: 'company',
      principal: { type: 'company', companyId: s.c0.id },
      refreshExpiresSoon: false,
      geolocation: s.base,
    })
    // 170 days on: within 14 days of the end (180 days)
    s.mock.state.clock.advance(170 * 86_400)
    expect((await manager.status()).refreshExpiresSoon).toBe(true)
    expect((await manager.status()).accessValid).toBe(false)
    // a fresh access token with the same (old) refresh token raises the event once
    const soon = createTokenManager({
      ...s.client,
      store,
      profile: 'company',
      onEvent: (e) => events.push(e),
    })
    await store.set('company', {
      ...(await store.get('company'))!,
      tokens: { ...tokens, expiresAt: s.mock.state.clock.now() + 3_600_000 },
    })
    await soon.getAccessToken()
    await soon.getAccessToken()
    expect(events.map((e) => e.type)).toEqual(['refresh-expires-soon'])
    events.length = 0
    // the refresh token still works; the rotated one carries a new end (read from the answer)
    await expect(manager.getAccessToken()).resolves.toMatch(/^ey/)
    expect(events.map((e) => e.type)).toEqual(['refreshed'])
    expect((await manager.status()).refreshExpiresSoon).toBe(false)
  })

  it('reports CONCUR_REFRESH_EXPIRED after the refresh token end, and CONCUR_NOT_AUTHENTICATED with no profile', async () => {
    const { manager } = await userManager()
    s.mock.state.clock.advance(181 * 86_400)
    await expect(manager.getAccessToken()).rejects.toMatchObject({ code: CONCUR_REFRESH_EXPIRED })
    const empty = createTokenManager({ ...s.client, store: memoryStore(), profile: 'none' })
    await expect(empty.getAccessToken()).rejects.toMatchObject({ code: CONCUR_NOT_AUTHENTICATED })
    expect(await empty.status()).toEqual({ profile: 'none', authenticated: false })
  })

  it('revoke: DELETE /app-mgmt/v0/connections, then the refresh token is dead and the profile cleared', async () => {
    const { manager, store } = await userManager()
    const stored = (await store.get('user'))!
    const since = s.mark()
    await manager.revoke()
    const del = s.mock.state.journal.list().filter((e) => e.id > since && e.method === 'DELETE')
    expect(del.map((e) => [e.path, e.status])).toEqual([['/app-mgmt/v0/connections', 200]])
    expect(await store.get('user')).toBeUndefined()
    expect((await manager.status()).authenticated).toBe(false)
    await expect(
      refreshTokenGrant({
        ...s.client,
        refreshToken: stored.tokens.refreshToken!,
        geolocation: stored.tokens.geolocation,
      }),
    ).rejects.toMatchObject({ code: CONCUR_REFRESH_EXPIRED })
  })
})
