import type { Dataset } from '../../dataset/dataset.js'
import { decodeId, encodeId } from '../../dataset/ids.js'
import { type CreatedRecord, DatasetOverlay, type ResourceOverlay } from '../../dataset/overlay.js'
import type { Provider, WireRecord } from '../../dataset/providers.js'
import { formatV3Date } from '../../dataset/time.js'
import type { MockState } from '../../state.js'
import type { V3Row } from './row.js'

/** A record found by id: where it lives and who owns it. */
export interface FoundRecord {
  readonly index: number
  readonly record: WireRecord
  readonly owner: number | undefined
  readonly created?: CreatedRecord
}

/**
 * Finds a record of a resource by id (seeded, patched or created); undefined when unknown or deleted.
 *
 * @example
 * findRecord(ds, providerOf('expense-reports')!, overlay, id)?.record.Name
 */
export function findRecord(
  ds: Dataset,
  provider: Provider,
  overlay: ResourceOverlay | undefined,
  id: string,
): FoundRecord | undefined {
  const i = decodeId(provider.kind, ds.tag, id)
  if (i === undefined) return undefined
  const base = provider.size(ds)
  if (i < base) {
    if (overlay?.patches.has(i)) {
      const rec = overlay.patches.get(i)
      return rec ? { index: i, record: rec, owner: provider.owner?.(ds, i) } : undefined
    }
    if (!provider.exists(ds, i)) return undefined
    return { index: i, record: provider.generate(ds, i), owner: provider.owner?.(ds, i) }
  }
  const c = overlay?.created[i - base]
  return c?.record ? { index: i, record: c.record, owner: c.owner, created: c } : undefined
}

/** The id of the next record created in a resource's overlay. */
export function nextCreatedId(ds: Dataset, provider: Provider, overlay: ResourceOverlay): string {
  return encodeId(provider.kind, ds.tag, provider.size(ds) + overlay.created.length)
}

/** Sets a record's modification field (if its row has one) to `nowMs`. */
export function stampRow(row: V3Row | undefined, rec: WireRecord, nowMs: number): void {
  const field = row?.writeRules?.modifiedField
  if (field) rec[field] = formatV3Date(nowMs)
}

/** The write overlay of a mock (cleared by reset). */
export function overlaysOf(state: MockState): DatasetOverlay {
  return state.store('dataset-overlay', () => new DatasetOverlay())
}
