import { sha256Hex } from './web-crypto.js'

/**
 * SHA-256 of the joined parts, as hex. Deterministic: the same parts give the same bytes everywhere.
 * Native one-shot hash on Node (record generation calls this several times per record), pure JS
 * elsewhere (`web-crypto.ts`).
 */
export function hashHex(...parts: readonly (string | number)[]): string {
  return sha256Hex(parts.join('\u001f'))
}

/** A deterministic UUID (version-4 layout) derived from the parts. */
export function uuidFrom(...parts: readonly (string | number)[]): string {
  const h = hashHex(...parts)
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** A deterministic 32-bit unsigned integer derived from the parts (for seeding RNGs). */
export function seedFrom(...parts: readonly (string | number)[]): number {
  return Number.parseInt(hashHex(...parts).slice(0, 8), 16)
}

/** Mulberry32: a tiny, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
