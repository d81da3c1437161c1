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

/** A bounded in-memory request journal (newest last). */
export class Journal {
  readonly #entries: JournalEntry[] = []
  #next = 1
  constructor(readonly capacity = 10_000) {}

  add(entry: Omit<JournalEntry, 'id'>): JournalEntry {
    const full = { id: this.#next++, ...entry }
    this.#entries.push(full)
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity)
    return full
  }

  list(): readonly JournalEntry[] {
    return this.#entries
  }

  clear(): void {
    this.#entries.length = 0
  }
}
