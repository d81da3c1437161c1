/**
 * The mock's clock. Every expiry (tokens, request tokens, extract jobs) reads it, so tests move
 * time forward with `advance()` instead of sleeping.
 */
export class MockClock {
  #offsetMs = 0
  readonly #base: () => number
  readonly #listeners = new Set<() => void>()

  constructor(base: () => number = Date.now) {
    this.#base = base
  }

  /** Milliseconds since the epoch, on the mock's clock. */
  now(): number {
    return this.#base() + this.#offsetMs
  }

  /** Seconds since the epoch, on the mock's clock (JWT `iat`/`exp` units). */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000)
  }

  /** Moves the clock forward (never backwards). */
  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new RangeError('advanceSeconds must be a non-negative number')
    this.#offsetMs += seconds * 1000
    for (const listener of this.#listeners) listener()
  }

  /** Calls `listener` after every `advance()` (e.g. to run what became due); returns the unsubscribe. */
  onAdvance(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** How far the clock has been moved, in seconds. */
  get offsetSeconds(): number {
    return this.#offsetMs / 1000
  }

  reset(): void {
    this.#offsetMs = 0
  }
}
