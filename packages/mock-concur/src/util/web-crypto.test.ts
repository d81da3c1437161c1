import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  base64url,
  randomInt,
  randomUUID,
  sha256Bytes,
  sha256Hex,
  timingSafeEqual,
  utf8,
} from './web-crypto.js'

// The Web-standard helpers replace node:crypto in the `.` entry: the seeded data and token bytes
// must not change, so each is checked against Node's own result.
describe('web-crypto helpers agree with node:crypto', () => {
  const texts = ['', 'a', 'report\u001f42\u001fc0\u001f7', 'zoë 東京 🔑', 'x'.repeat(100_000)]
  it.each(texts.map((t) => [t.slice(0, 16), t]))('sha256Hex(%j), native and pure JS', (_l, t) => {
    const expected = createHash('sha256').update(t, 'utf8').digest('hex')
    expect(sha256Hex(t)).toBe(expected)
    expect(sha256Hex(t, true)).toBe(expected)
    expect(sha256Hex(utf8(t), true)).toBe(expected)
  })

  it.each(texts.map((t) => [t.slice(0, 16), t]))('sha256Bytes(%j), native and pure JS', (_l, t) => {
    const expected = createHash('sha256').update(t, 'utf8').digest()
    expect(Buffer.from(sha256Bytes(t)).equals(expected)).toBe(true)
    expect(Buffer.from(sha256Bytes(t, true)).equals(expected)).toBe(true)
  })

  it('base64url matches Buffer, native and pure JS, for strings, bytes and views into a larger buffer', () => {
    for (const pureJs of [false, true]) {
      for (const t of texts) expect(base64url(t, pureJs)).toBe(Buffer.from(t, 'utf8').toString('base64url'))
      const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256)
      expect(base64url(bytes, pureJs)).toBe(Buffer.from(bytes).toString('base64url'))
      // A view (offset and length inside its ArrayBuffer) encodes only its own bytes.
      const view = bytes.subarray(7, 7 + 31)
      expect(base64url(view, pureJs)).toBe(Buffer.from(view).toString('base64url'))
      expect(base64url(new Uint8Array(0), pureJs)).toBe('')
    }
  })

  it('timingSafeEqual compares bytes; other lengths are unequal', () => {
    expect(timingSafeEqual(utf8('secret'), utf8('secret'))).toBe(true)
    expect(timingSafeEqual(utf8('secret'), utf8('secreT'))).toBe(false)
    expect(timingSafeEqual(utf8('secret'), utf8('secret!'))).toBe(false)
  })

  it('randomInt stays in range and covers it; randomUUID is v4', () => {
    const seen = new Set<number>()
    for (let i = 0; i < 2_000; i++) {
      const n = randomInt(0, 10)
      expect(n >= 0 && n < 10 && Number.isInteger(n)).toBe(true)
      seen.add(n)
    }
    expect(seen.size).toBe(10)
    expect(randomUUID()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
