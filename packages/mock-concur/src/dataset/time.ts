/** Day length in milliseconds. */
export const DAY_MS = 86_400_000
/** The seeded reports are created between this instant and `TIMELINE_START + TIMELINE_SPAN` (two years). */
export const TIMELINE_START = Date.UTC(2024, 0, 1)
export const TIMELINE_SPAN = 731 * DAY_MS
/** Every date of a report (entries, submit, payment, modification) lies within these bounds around its creation. */
export const DATE_SLACK_BEFORE = 14 * DAY_MS
export const DATE_SLACK_AFTER = 24 * DAY_MS

/**
 * Concur's v3.0 date-time: `yyyy-MM-ddTHH:mm:ss[.fff]`, UTC without zone, trailing zeros of the
 * fraction trimmed (`.210` → `.21`, `.000` → nothing).
 *
 * @example
 * formatV3Date(Date.UTC(2016, 3, 4, 23, 33, 8, 210)) // '2016-04-04T23:33:08.21'
 */
export function formatV3Date(ms: number): string {
  // Records format several dates each: `isoSeconds` (a day cache and digit tables, no Date) and the
  // trimmed fraction. Outside 1000..9999 (where toISOString changes form) or for non-integers, the
  // general path.
  if (!Number.isInteger(ms) || ms < MIN_FAST || ms > MAX_FAST) return formatV3DateSlow(ms)
  const milli = ms - Math.floor(ms / 1000) * 1000
  const base = isoSeconds(ms)
  return milli === 0 ? base : `${base}.${FRACTION[milli]}`
}

/**
 * `yyyy-MM-ddTHH:mm:ss` of an instant (UTC, milliseconds dropped): `toISOString().slice(0, 19)`, from
 * a day cache and digit tables (shared with `formatV3Date`).
 *
 * @example
 * isoSeconds(Date.UTC(2025, 0, 2, 3, 4, 5, 678)) // '2025-01-02T03:04:05'
 */
export function isoSeconds(ms: number): string {
  if (!Number.isInteger(ms) || ms < MIN_FAST || ms > MAX_FAST) return new Date(ms).toISOString().slice(0, 19)
  const day = Math.floor(ms / DAY_MS)
  const t = Math.floor((ms - day * DAY_MS) / 1000)
  const sec = t % 60
  const min = ((t - sec) / 60) % 60
  const hour = (t - sec - min * 60) / 3600
  return `${dayPrefix(day)}${TWO[hour]}:${TWO[min]}:${TWO[sec]}`
}

function formatV3DateSlow(ms: number): string {
  const iso = new Date(ms).toISOString()
  const base = iso.slice(0, 19)
  const frac = iso.slice(20, 23).replace(/0+$/, '')
  return frac ? `${base}.${frac}` : base
}

const MIN_FAST = Date.UTC(1000, 0, 1)
const MAX_FAST = Date.UTC(9999, 11, 31, 23, 59, 59, 999)
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'))
/** `.fff` with trailing zeros trimmed, by millisecond (index 0 unused). */
const FRACTION = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0').replace(/0+$/, ''))
const DAYS_KEPT = 4096
const days = new Map<number, string>()

/** `yyyy-MM-ddT` of a day number (days since the epoch), from a bounded cache. */
function dayPrefix(day: number): string {
  let s = days.get(day)
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 11)
    if (days.size >= DAYS_KEPT) days.clear()
    days.set(day, s)
  }
  return s
}

/** Midnight (UTC) of the day holding `ms`. */
export function midnight(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS
}

/**
 * Parses a v3.0 date filter value: `yyyy-MM-dd`, `yyyy-MM-ddTHH:mm:ss` or `yyyy-MM-ddTHH:mm:ss.S{1,7}`
 * (read as UTC). Returns undefined when malformed or not a real date.
 *
 * @example
 * parseV3Date('2024-02-30') // undefined
 */
export function parseV3Date(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?)?$/.exec(value)
  if (!m) return undefined
  const [y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = m.slice(1)
  const ms = Number(`${frac}000`.slice(0, 3))
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms)
  const back = new Date(t)
  if (
    back.getUTCFullYear() !== Number(y) ||
    back.getUTCMonth() !== Number(mo) - 1 ||
    back.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  )
    return undefined
  return t
}
