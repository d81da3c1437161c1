/**
 * The mock's clock. Every expiry (tokens, request tokens, extract jobs) reads it, so tests move
 * time forward with `advance()` instead of sleeping.
 */
export class MockClock {
  #offsetMs = 0
  readonly #base: () => number

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
  }

  /** How far the clock has been moved, in seconds. */
  get offsetSeconds(): number {
    return this.#offsetMs / 1000
  }

  reset(): void {
    this.#offsetMs = 0
  }
}
