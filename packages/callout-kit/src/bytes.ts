/**
 * Byte helpers over Web-standard APIs (`TextEncoder`, `btoa`/`atob`, `globalThis.crypto`) so the
 * `.` entry runs on any runtime with Web APIs, not only Node.
 */

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8')

/** The UTF-8 bytes of a string. */
export const utf8 = (s: string): Uint8Array => encoder.encode(s)

/** Decodes UTF-8 bytes (invalid sequences become U+FFFD, as Node's `Buffer#toString` does). */
export const fromUtf8 = (bytes: Uint8Array): string => decoder.decode(bytes)

/** Base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

/**
 * Bytes of a Base64 text, lenient as Node's `Buffer.from(s, 'base64')`: characters outside the
 * alphabet are dropped, decoding stops at the first `=`, missing padding is accepted, URL-safe
 * `-`/`_` are read as `+`/`/`, and a trailing lone character is ignored.
 */
export function fromBase64(text: string): Uint8Array {
  const beforePad = text.split('=', 1)[0] ?? ''
  let clean = beforePad
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .replace(/[^A-Za-z0-9+/]/g, '')
  if (clean.length % 4 === 1) clean = clean.slice(0, -1)
  clean += '='.repeat((4 - (clean.length % 4)) % 4)
  const binary = atob(clean)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

/**
 * Compares two byte arrays of equal length in constant time (the time depends on the length
 * only). Arrays of different lengths are unequal; callers compare fixed-length digests or MACs.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

/** Lowercase hex of `n` random bytes from `globalThis.crypto`. */
export function randomHex(n: number): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(n))
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

/** The length in bytes of a string's UTF-8 encoding (lone surrogates count 3, as U+FFFD). */
export function utf8Length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4
        i++
      } else n += 3
    } else n += 3
  }
  return n
}
