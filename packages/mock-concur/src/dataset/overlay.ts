/**
 * The write overlay: records created, modified or deleted through the API or the admin dataset API,
 * on top of the seeded dataset. Modified seeded records keep their position; created records are
 * appended after the seeded index space in creation order, so a walk in progress still visits every
 * record that existed when it started exactly once.
 */
export interface CreatedRecord {
  /** The record as the client sees it (without `URI`); `null` once deleted. */
  record: Record<string, unknown> | null
  /** Owning user index, for owner-scoped resources. */
  readonly owner: number | undefined
  /** Values of filters that have no item field (e.g. `hasVAT` of a report), by parameter. */
  readonly hidden: Readonly<Record<string, string | boolean | null>>
  /** Binary content (receipt images). */
  bytes?: { readonly type: string; readonly data: Uint8Array }
}

/**
 * One record change seen by an overlay: `before` is the record replaced (`undefined` = the seeded
 * record at `index`, never written before), `after` the new one (`null` = deleted).
 */
export interface OverlayChange {
  readonly index?: number
  readonly created?: CreatedRecord
  readonly owner: number | undefined
  readonly before: Record<string, unknown> | null | undefined
  readonly after: Record<string, unknown> | null
}

/** The overlay of one resource of one company. Every change goes through its methods (they bump the generation). */
export class ResourceOverlay {
  readonly #changed: () => void
  readonly #observe: ((change: OverlayChange) => void) | undefined

  constructor(changed: () => void = () => {}, observe?: (change: OverlayChange) => void) {
    this.#changed = changed
    this.#observe = observe
  }

  /** Seeded records replaced (record) or deleted (null), by index. */
  readonly patches = new Map<number, Record<string, unknown> | null>()
  /** Patched indices, ascending. */
  readonly patched: number[] = []
  readonly created: CreatedRecord[] = []
  /** Binary content of seeded records replaced by a PUT (receipt images). */
  readonly bytes = new Map<number, { readonly type: string; readonly data: Uint8Array }>()

  /** Replaces (or deletes, with null) seeded record *i*. */
  patch(i: number, record: Record<string, unknown> | null): void {
    if (!this.patches.has(i)) {
      let lo = 0
      let hi = this.patched.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (this.patched[mid]! < i) lo = mid + 1
        else hi = mid
      }
      this.patched.splice(lo, 0, i)
    }
    const before = this.patches.get(i)
    this.patches.set(i, record)
    this.#changed()
    this.#observe?.({ index: i, owner: undefined, before, after: record })
  }

  /** Appends a created record. */
  add(created: CreatedRecord): void {
    this.created.push(created)
    this.#changed()
    this.#observe?.({ created, owner: created.owner, before: null, after: created.record })
  }

  /** Replaces (or deletes, with null) a created record. */
  replaceCreated(created: CreatedRecord, record: Record<string, unknown> | null): void {
    const before = created.record
    created.record = record
    this.#changed()
    this.#observe?.({ created, owner: created.owner, before, after: record })
  }

  /** Replaces the binary content of a created record (`created` given) or of seeded record `index`. */
  setBytes(
    target: { readonly created?: CreatedRecord | undefined; readonly index: number },
    bytes: { readonly type: string; readonly data: Uint8Array },
  ): void {
    if (target.created) target.created.bytes = bytes
    else this.bytes.set(target.index, bytes)
    this.#changed()
  }

  /** The first patched index ≥ pos, or Infinity. */
  nextPatched(pos: number): number {
    let lo = 0
    let hi = this.patched.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.patched[mid]! < pos) lo = mid + 1
      else hi = mid
    }
    return lo < this.patched.length ? this.patched[lo]! : Number.POSITIVE_INFINITY
  }
}

/** Every overlay of a mock, by company and resource. Cleared by `MockState.reset()`. */
export class DatasetOverlay {
  readonly #map = new Map<string, ResourceOverlay>()
  readonly #observers = new Set<(companyId: string, resource: string, change: OverlayChange) => void>()
  #generation = 0
  readonly #bump = () => {
    this.#generation++
  }

  /**
   * Grows with every write to any overlay and with `reset()`: a page rendered at one generation is
   * still exact while the generation is unchanged (response caches key on it).
   */
  get generation(): number {
    return this.#generation
  }

  /** The overlay of a resource of a company (created on first use). */
  of(companyId: string, resource: string): ResourceOverlay {
    const key = `${companyId}\u001f${resource}`
    let o = this.#map.get(key)
    if (!o) {
      o = new ResourceOverlay(this.#bump, (change) => {
        for (const observer of this.#observers) observer(companyId, resource, change)
      })
      this.#map.set(key, o)
    }
    return o
  }

  /**
   * Calls `observer` after every record change of every overlay (the one place every write API goes
   * through, e.g. to publish change events); returns the unsubscribe. Observers survive `reset()`.
   */
  observe(observer: (companyId: string, resource: string, change: OverlayChange) => void): () => void {
    this.#observers.add(observer)
    return () => this.#observers.delete(observer)
  }

  /** The overlay if any write happened. */
  peek(companyId: string, resource: string): ResourceOverlay | undefined {
    return this.#map.get(`${companyId}\u001f${resource}`)
  }

  reset(): void {
    this.#map.clear()
    this.#generation++
  }
}
