/** One request the mock answered. Secrets are redacted before they are stored. */
export interface JournalEntry {
  readonly id: number
  readonly time: string
  readonly datacenter: string
  readonly method: string
  /** Path with the query; secret-bearing parameters redacted. */
  readonly path: string
  readonly status: number
  readonly latencyMs: number
  readonly correlationId: string
  /** Optional notes (e.g. `fault:<id>`, callout results). */
  readonly note?: string
}

/**
 * A bounded in-memory request journal (newest last). A ring buffer: once full, each entry replaces
 * the oldest in O(1) (the journal is written on every request).
 */
export class Journal {
  #ring: JournalEntry[] = []
  /** Index of the oldest entry once the ring is full. */
  #start = 0
  #next = 1
  constructor(readonly capacity = 10_000) {}

  add(entry: Omit<JournalEntry, 'id'>): JournalEntry {
    const full = { id: this.#next++, ...entry }
    if (this.#ring.length < this.capacity) this.#ring.push(full)
    else {
      this.#ring[this.#start] = full
      this.#start = (this.#start + 1) % this.capacity
    }
    return full
  }

  /** The entries, oldest first (a copy). */
  list(): readonly JournalEntry[] {
    return this.#start === 0
      ? this.#ring.slice()
      : [...this.#ring.slice(this.#start), ...this.#ring.slice(0, this.#start)]
  }

  clear(): void {
    this.#ring = []
    this.#start = 0
  }
}
