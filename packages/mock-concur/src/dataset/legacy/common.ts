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

/**
 * `yyyy-MM-ddTHH:mm:ss` (UTC) as Concur's XML APIs write date-times: `toISOString().slice(0, 19)`.
 * A trip page writes three per trip, so the day part comes from a small cache and the time of day
 * is assembled from two-digit strings; outside years 1000..9999 (where `toISOString` changes form)
 * or for non-integers, the general path.
 *
 * @example
 * isoSeconds(Date.UTC(2025, 0, 2, 3, 4, 5, 678)) // '2025-01-02T03:04:05'
 */
export function isoSeconds(ms: number): string {
  if (!Number.isInteger(ms) || ms < ISO_MIN_FAST || ms > ISO_MAX_FAST) return isoSecondsSlow(ms)
  const day = Math.floor(ms / DAY_MS)
  const t = Math.floor((ms - day * DAY_MS) / 1000)
  const sec = t % 60
  const min = ((t - sec) / 60) % 60
  const hour = (t - sec - min * 60) / 3600
  return `${isoDay(day)}${TWO_DIGITS[hour]}:${TWO_DIGITS[min]}:${TWO_DIGITS[sec]}`
}

function isoSecondsSlow(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19)
}

const ISO_MIN_FAST = Date.UTC(1000, 0, 1)
const ISO_MAX_FAST = Date.UTC(9999, 11, 31, 23, 59, 59, 999)
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'))
const ISO_DAYS_KEPT = 4096
const isoDays = new Map<number, string>()

/** `yyyy-MM-ddT` of a day number (days since the epoch), from a bounded cache. */
function isoDay(day: number): string {
  let s = isoDays.get(day)
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 11)
    if (isoDays.size >= ISO_DAYS_KEPT) isoDays.clear()
    isoDays.set(day, s)
  }
  return s
}

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
