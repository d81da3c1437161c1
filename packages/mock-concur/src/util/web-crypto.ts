import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * Randomness, hashing and comparison over Web-standard APIs (`globalThis.crypto`, `TextEncoder`),
 * so the package's `.` entry imports no Node built-in. SHA-256 takes Node's native hash when the
 * runtime has one (`process.getBuiltinModule`, looked up once, not imported): record generation
 * hashes several times per record and the native hash is about 8× faster than pure JS.
 */

interface NodeHash {
  (algorithm: string, data: string | Uint8Array, encoding: 'hex'): string
  (algorithm: string, data: string | Uint8Array, encoding: 'buffer'): Uint8Array
}
const nodeHash: NodeHash | undefined = (() => {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule
  const m = getBuiltin?.('node:crypto') as { hash?: NodeHash } | undefined
  return typeof m?.hash === 'function' ? m.hash : undefined
})()

/**
 * Node's `Buffer` when the runtime has one (a global, not an import): its native Base64url encoder
 * spares the JS string building of `btoa` on the token service's hot path (every JWT encodes its
 * payload and signature). Other runtimes take the `btoa` path; the output is the same.
 */
interface NodeBufferLike {
  from(data: string, encoding: 'utf8'): { toString(encoding: 'base64url'): string }
  from(data: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: 'base64url'): string }
}
const NodeBuffer = (globalThis as { Buffer?: NodeBufferLike }).Buffer

/** SHA-256 of a string (UTF-8) or bytes, as lowercase hex. */
export function sha256Hex(data: string | Uint8Array, pureJs = false): string {
  if (nodeHash && !pureJs) return nodeHash('sha256', data, 'hex')
  return bytesToHex(sha256(typeof data === 'string' ? utf8ToBytes(data) : data))
}

/** SHA-256 of a string (UTF-8) as bytes (Node's native hash when the runtime has one). */
export const sha256Bytes = (data: string, pureJs = false): Uint8Array =>
  nodeHash && !pureJs ? nodeHash('sha256', data, 'buffer') : sha256(utf8ToBytes(data))

/** A random UUID v4. */
export const randomUUID = (): string => globalThis.crypto.randomUUID()

/** `n` random bytes. */
export const randomBytes = (n: number): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(n))

/** An unbiased random integer in [min, max). */
export function randomInt(min: number, max: number): number {
  const range = max - min
  const limit = 0x1_0000_0000 - (0x1_0000_0000 % range)
  const word = new Uint32Array(1)
  do globalThis.crypto.getRandomValues(word)
  while ((word[0] as number) >= limit)
  return min + ((word[0] as number) % range)
}

const encoder = new TextEncoder()

/** Base64 of bytes. */
export function base64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** A PEM block of DER bytes (64-column Base64). */
export const pem = (label: string, der: ArrayBuffer | Uint8Array): string =>
  `-----BEGIN ${label}-----\n${base64(der instanceof Uint8Array ? der : new Uint8Array(der))
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END ${label}-----\n`

/** Lowercase hex of bytes. */
export const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/** Base64url (no padding) of bytes or of a string's UTF-8 (`pureJs`: without Node's `Buffer`). */
export function base64url(data: string | Uint8Array, pureJs = false): string {
  if (NodeBuffer && !pureJs)
    return (
      typeof data === 'string'
        ? NodeBuffer.from(data, 'utf8')
        : NodeBuffer.from(data.buffer, data.byteOffset, data.byteLength)
    ).toString('base64url')
  const bytes = typeof data === 'string' ? encoder.encode(data) : data
  return base64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The UTF-8 bytes of a string. */
export const utf8 = (s: string): Uint8Array => encoder.encode(s)

/**
 * Compares two byte arrays in constant time for their length: XOR-accumulated with no early exit.
 * Different lengths are unequal (callers compare secrets whose length is not hidden, as before).
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}
