import { hashHex, seedFrom } from '../../util/hash.js'

/**
 * Anchor of the XML resources' dates: every generated date is a fixed offset from it, so the same
 * seed gives the same bytes on every machine and every day.
 */
export const LEGACY_EPOCH_MS = Date.UTC(2025, 0, 1)
export const DAY_MS = 86_400_000

/** Murmur3's 32-bit finaliser over a combination of integers: a cheap, well-mixed hash for hot loops. */
export function mix32(...parts: readonly number[]): number {
  let h = 0x9e3779b9
  for (const p of parts) {
    h ^= Math.imul(p | 0, 0xcc9e2d51)
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64
    h ^= h >>> 16
    h = Math.imul(h, 0x85ebca6b)
    h ^= h >>> 13
    h = Math.imul(h, 0xc2b2ae35)
    h ^= h >>> 16
  }
  return h >>> 0
}

/** A 32-bit key for (seed, company, resource): computed once, then mixed with record indexes. */
export function resourceKey(seed: number, companyId: string, resource: string): number {
  return seedFrom(seed, companyId, resource)
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/**
 * An opaque Concur-style id (`nYoPK$pZmcowMRUqcl5bnDAwwsMydyt$xd`): base64 of a hash with `+` → `$p`
 * and `/` → `$s`, as Concur encodes its encrypted keys.
 */
export function opaqueId(length: number, ...parts: readonly (string | number)[]): string {
  const hex = hashHex(...parts) + hashHex('more', ...parts)
  let out = ''
  for (let i = 0; out.length < length; i += 3) {
    const n = Number.parseInt(hex.slice(i, i + 3), 16)
    const ch = B64[(n >> 6) & 63]! + B64[n & 63]!
    out += ch.replace(/\+/g, '$p').replace(/\//g, '$s')
  }
  let id = out.slice(0, length).replace(/\$$/, 'x')
  if (!id.includes('$')) {
    // Concur's keys nearly always hold an escaped character; keep the mock's ids just as awkward.
    const at = 3 + (Number.parseInt(hex.slice(60, 62), 16) % Math.max(1, length - 6))
    id = `${id.slice(0, at)}${hex.charCodeAt(62) % 2 === 0 ? '$p' : '$s'}${id.slice(at, length - 2)}`
  }
  return id
}

// `yyyy-MM-ddTHH:mm:ss` (UTC), as Concur's XML APIs write date-times: `toISOString().slice(0, 19)`.
export { isoSeconds } from '../time.js'

/** A decimal with Concur's eight fraction digits (`283.88000000`). */
export function decimal8(value: number): string {
  return value.toFixed(8)
}

/**
 * Parses a date or date-time query value (`YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY-MM-DDThh:mm:ss[.fff]`) as
 * UTC milliseconds; `undefined` when malformed.
 */
export function parseQueryDate(value: string): number | undefined {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?Z?)?$/.exec(
    value.trim(),
  )
  if (!m) return undefined
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = m
  const ms = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(frac.padEnd(3, '0').slice(0, 3)),
  )
  const check = new Date(ms)
  if (Number.isNaN(ms) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d))
    return undefined
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined
  return ms
}

/** The index encoded in a login ID of the mock (`first.last12@domain` → 12), if it has that shape. */
export function userIndexFromLogin(login: string): number | undefined {
  const m = /(\d+)@[^@]+$/.exec(login)
  if (!m) return undefined
  const n = Number(m[1])
  return Number.isSafeInteger(n) ? n : undefined
}
