import { LEGACY_EPOCH_MS } from '../../dataset/legacy/common.js'
import type { MockState } from '../../state.js'

/**
 * "Today" for the history windows of the current-generation APIs (Cards v4's 24 months, Itinerary
 * v4's six months): the day the fixed-dated dataset was taken (`LEGACY_EPOCH_MS`, 2025-01-01) plus
 * however far the mock's clock was moved. Windows measured from the wall clock would empty out as
 * the real date moves away from the dataset's, and the same seed must give the same answers every day.
 *
 * @example
 * datasetToday(state) // 1735689600000 on a fresh mock
 */
export function datasetToday(state: MockState): number {
  return LEGACY_EPOCH_MS + Math.round(state.clock.offsetSeconds * 1000)
}

/** `ms` moved back by whole calendar months (UTC). */
export function monthsBefore(ms: number, months: number): number {
  const d = new Date(ms)
  d.setUTCMonth(d.getUTCMonth() - months)
  return d.getTime()
}

/** Parses a `yyyy-MM-dd` date (UTC midnight); undefined when malformed or not a real day. */
export function parseDay(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) return undefined
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  return new Date(t).toISOString().slice(0, 10) === value ? t : undefined
}
