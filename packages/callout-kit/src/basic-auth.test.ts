import { timingSafeEqual } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import { basicAuthHeader, checkBasicAuth } from './basic-auth.js'

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>()
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) }
})

const credentials = { user: 'concur-connector', password: 'correct-horse-battery' }

describe('constant-time Basic auth', () => {
  it.each([
    ['right', basicAuthHeader(credentials), true],
    ['wrong user, other length', basicAuthHeader({ ...credentials, user: 'x' }), false],
    ['wrong password, other length', basicAuthHeader({ ...credentials, password: 'p'.repeat(300) }), false],
    ['missing header', undefined, false],
    ['not Basic', 'Bearer token', false],
  ])('%s: both fields compared as equal-length digests', (_name, header, expected) => {
    const spy = vi.mocked(timingSafeEqual)
    spy.mockClear()
    expect(checkBasicAuth(header, credentials)).toBe(expected)
    expect(spy).toHaveBeenCalledTimes(2)
    for (const [a, b] of spy.mock.calls) {
      expect((a as Buffer).length).toBe(32)
      expect((b as Buffer).length).toBe(32)
    }
  })
})
