import type { FilterDefinition, ResourceName } from '@concurkit/contract'
import { V3_ROWS, v3RowOf } from '../resources/v3/index.js'
import type { V3Row } from '../resources/v3/row.js'
import type { Dataset } from './dataset.js'
import type { Filters } from './filters.js'
import type { IdKind } from './ids.js'
import type { Plan } from './plan.js'

export { receiptImageIdOf } from '../resources/v3/receipt-images.js'

/** A record as generated (client-visible fields without `URI`). */
export type WireRecord = Record<string, unknown>

/**
 * How the mock serves one resource from the lazy dataset: its index space (with holes), record
 * generator, owner and filter plan. Each v3.0 row's provider lives in its own file under
 * `resources/v3/` (with the row's write rules); the plans they share are in `row-plans.ts`.
 */
export interface Provider {
  readonly key: ResourceName | 'lists'
  readonly kind: IdKind
  /** Filter definitions (from the registry row). */
  readonly filters: readonly FilterDefinition[]
  /** Size of the seeded index space (some indices may be holes). */
  size(ds: Dataset): number
  exists(ds: Dataset, i: number): boolean
  generate(ds: Dataset, i: number): WireRecord
  /** The user index owning record *i*, for owner-scoped resources. */
  owner?(ds: Dataset, i: number): number
  /** A plan over the seeded records for the filters and owner (holes excluded). */
  plan(ds: Dataset, filters: Filters, owner: number | undefined): Plan
}

/** The providers of the v3.0 resources (and `lists`), by key. */
export const PROVIDERS: ReadonlyMap<string, V3Row> = new Map(V3_ROWS.map((p) => [p.key, p]))

/**
 * The provider of a v3.0 resource (or `lists`).
 *
 * @example
 * providerOf('expense-reports')?.generate(ds, 0)
 */
export function providerOf(key: string): V3Row | undefined {
  return v3RowOf(key)
}
