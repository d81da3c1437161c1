import { describe, expect, it } from 'vitest'
import { fromBase64, fromUtf8, randomHex, timingSafeEqual, toBase64, utf8, utf8Length } from './bytes.js'

// The Web-standard helpers replace Node's Buffer in the `.` entry: they must read and write
// exactly what Buffer did, so headers and signatures keep their meaning.
describe('bytes helpers agree with Node Buffer', () => {
  const texts = [
    '',
    'a',
    'concur:concur',
    'zoë',
    '東京',
    '🔑 key',
    'x'.repeat(70_000),
    'lone \ud800 surrogate',
  ]
  it.each(texts.map((t) => [t.slice(0, 20), t]))('utf8 / base64 of %j', (_label, t) => {
    expect(Buffer.from(utf8(t)).equals(Buffer.from(t, 'utf8'))).toBe(true)
    expect(utf8Length(t)).toBe(Buffer.byteLength(t, 'utf8'))
    expect(toBase64(utf8(t))).toBe(Buffer.from(t, 'utf8').toString('base64'))
    expect(fromUtf8(utf8(t))).toBe(Buffer.from(t, 'utf8').toString('utf8'))
  })

  it.each([
    'YWJj',
    'YWJ',
    'YQ',
    'Y',
    '',
    'YQ==YQ==',
    'YW=Jj',
    'a-_b',
    'YWJjZA',
    'Y2Y=\n',
    ' Y W J j ',
    '!!!',
  ])('fromBase64(%j) decodes as Buffer.from(…, "base64")', (s) => {
    expect([...fromBase64(s)]).toEqual([...Buffer.from(s, 'base64')])
  })

  it('timingSafeEqual compares bytes and refuses other lengths', () => {
    expect(timingSafeEqual(utf8('abc'), utf8('abc'))).toBe(true)
    expect(timingSafeEqual(utf8('abc'), utf8('abd'))).toBe(false)
    expect(timingSafeEqual(utf8('abc'), utf8('ab'))).toBe(false)
    expect(timingSafeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true)
  })

  it('randomHex gives n random bytes as lowercase hex', () => {
    const a = randomHex(16)
    expect(a).toMatch(/^[0-9a-f]{32}$/)
    expect(randomHex(16)).not.toBe(a)
  })
})
