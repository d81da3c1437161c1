import type { Dataset } from './dataset.js'
import { type Filters, fieldMatches } from './filters.js'
import type { ResourceOverlay } from './overlay.js'
import type { Provider, WireRecord } from './providers.js'

/** What a list request asks for: parsed filters and the owner its principal may see (undefined = everyone). */
export interface ScanQuery {
  readonly filters: Filters
  readonly owner: number | undefined
}

/** One page of a scan: records with their positions, and where the next page starts (null at the end). */
export interface ScanResult {
  readonly records: { readonly position: number; readonly record: WireRecord }[]
  readonly next: number | null
}

/** Candidates a single page may examine before it returns what it has (the walk resumes where it stopped). */
export const SCAN_BUDGET = 250_000

/**
 * The records of one page, from position `from`: seeded records (patched ones replaced, deleted ones
 * skipped) in index order, then records created through the overlay in creation order.
 *
 * @example
 * const page = scanPage(ds, providerOf('expense-reports')!, overlay, { filters: new Map(), owner: undefined }, 0, 25)
 */
export function scanPage(
  ds: Dataset,
  provider: Provider,
  overlay: ResourceOverlay | undefined,
  query: ScanQuery,
  from: number,
  limit: number,
  budget = SCAN_BUDGET,
): ScanResult {
  const matcher = makeMatcher(ds, provider, overlay, query)
  const records: { position: number; record: WireRecord }[] = []
  const base = provider.size(ds)
  let pos = from
  let left = budget
  while (records.length < limit) {
    if (left-- <= 0) return { records, next: pos }
    if (pos < base) {
      const c = matcher.plan.next(pos)
      const p = overlay ? overlay.nextPatched(pos) : Number.POSITIVE_INFINITY
      const i = Math.min(c < 0 ? base : c, p)
      if (i >= base) {
        pos = base
        continue
      }
      pos = i + 1
      const rec = matcher.base(i)
      if (rec) records.push({ position: i, record: rec })
      continue
    }
    const j = pos - base
    if (!overlay || j >= overlay.created.length) return { records, next: null }
    pos++
    const rec = matcher.created(j)
    if (rec) records.push({ position: base + j, record: rec })
  }
  return { records, next: pos }
}

/**
 * Whether any record matches at or after `from` (looking at most `budget` candidates; true when unsure).
 *
 * @example
 * hasMore(ds, provider, overlay, query, page.next)
 */
export function hasMore(
  ds: Dataset,
  provider: Provider,
  overlay: ResourceOverlay | undefined,
  query: ScanQuery,
  from: number,
  budget = 20_000,
): boolean {
  const r = scanPage(ds, provider, overlay, query, from, 1, budget)
  return r.records.length > 0 || r.next !== null
}

/**
 * Every matching record in paging order (no budget): for the manifest and tests.
 *
 * @example
 * for (const rec of scanAll(ds, provider, overlay, query)) hash.update(...)
 */
export function* scanAll(
  ds: Dataset,
  provider: Provider,
  overlay: ResourceOverlay | undefined,
  query: ScanQuery,
): Generator<WireRecord> {
  let from: number | null = 0
  while (from !== null) {
    const page = scanPage(ds, provider, overlay, query, from, 1000, Number.POSITIVE_INFINITY)
    for (const r of page.records) yield r.record
    from = page.next
  }
}

function makeMatcher(
  ds: Dataset,
  provider: Provider,
  overlay: ResourceOverlay | undefined,
  query: ScanQuery,
) {
  const plan = provider.plan(ds, query.filters, query.owner)
  const fielded = provider.filters.filter((d) => d.field && query.filters.has(d.param))
  const fieldless = provider.filters.filter((d) => !d.field && query.filters.has(d.param))
  let hiddenPlan: ReturnType<Provider['plan']> | undefined
  const hidden = () => {
    if (!hiddenPlan) {
      const f = new Map(fieldless.map((d) => [d.param, query.filters.get(d.param)!]))
      hiddenPlan = provider.plan(ds, f, query.owner)
    }
    return hiddenPlan
  }
  const fieldsOk = (rec: WireRecord) =>
    fielded.every((d) => fieldMatches(d, query.filters.get(d.param)!, rec))
  return {
    plan,
    base(i: number): WireRecord | undefined {
      if (overlay?.patches.has(i)) {
        const rec = overlay.patches.get(i)
        if (!rec) return undefined
        const h = hidden()
        return h.next(i) === i && h.test(i) && fieldsOk(rec) ? rec : undefined
      }
      return plan.test(i) ? provider.generate(ds, i) : undefined
    },
    created(j: number): WireRecord | undefined {
      const c = overlay?.created[j]
      if (!c?.record) return undefined
      if (query.owner !== undefined && c.owner !== query.owner) return undefined
      if (!fieldsOk(c.record)) return undefined
      for (const d of fieldless) {
        const v = query.filters.get(d.param)
        const h = c.hidden[d.param]
        if (typeof v === 'boolean' ? (h ?? false) !== v : h !== v) return undefined
      }
      return c.record
    },
  }
}
