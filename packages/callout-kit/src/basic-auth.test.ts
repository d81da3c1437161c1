import { describe, expect, it, vi } from 'vitest'
import { basicAuthHeader, checkBasicAuth } from './basic-auth.js'
import { timingSafeEqual } from './bytes.js'

vi.mock('./bytes.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./bytes.js')>()
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
      expect((a as Uint8Array).length).toBe(32)
      expect((b as Uint8Array).length).toBe(32)
    }
  })
})

describe('Basic header round trip', () => {
  it.each([
    ['ascii', { user: 'concur', password: 'concur' }],
    ['non-ASCII and colons in the password', { user: 'zoë', password: 'pä:ss:wörd 🔑' }],
  ])('%s', (_name, creds) => {
    const header = basicAuthHeader(creds)
    expect(header).toBe(`Basic ${Buffer.from(`${creds.user}:${creds.password}`, 'utf8').toString('base64')}`)
    expect(checkBasicAuth(header, creds)).toBe(true)
    expect(checkBasicAuth(header, { ...creds, password: `${creds.password}x` })).toBe(false)
  })
})
