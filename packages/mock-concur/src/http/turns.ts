/**
 * Fair turns on the event loop for the mock's requests.
 *
 * A generated page runs to completion on the event loop (milliseconds for 100 records, more as XML).
 * Left alone, one poll phase of the loop reads every request that arrived and renders each one before
 * the loop looks at anything else, so under load one loop iteration lasts as long as all those pages
 * together. A token grant needs several iterations (its RS256 signatures run on the thread pool, and
 * each completion is picked up by a later poll phase): under 256 connections of page traffic it waited
 * behind every page batch several times and answered seconds after the pages queued with it.
 *
 * `TurnQueue` bounds the request work started in one slice of the loop: a request runs at once while
 * nothing is waiting and the current slice has used less than `budgetMs`; otherwise it waits in FIFO
 * order and is released by `setImmediate`, one per callback, until the next slice's budget is used.
 * One request at a time is let run at once (the next one from the same synchronous run waits too), so
 * the budget is checked against work done, not work about to start. The loop therefore returns to I/O
 * (new requests, thread-pool completions) at least every budget plus one request, so a grant's continuations wait milliseconds, while every request still takes exactly
 * one turn in arrival order (pages and grants alike: no kind jumps the queue). While connections are
 * arriving (`connectionAccepted`) no request starts, so new connections are accepted within milliseconds.
 *
 * @example
 * const turns = new TurnQueue()
 * app.use('*', async (_c, next) => {
 *   await turns.take()
 *   await next()
 * })
 */
export class TurnQueue {
  readonly #waiting: (() => void)[] = []
  #head = 0
  /** When the current slice started (`now()`), or -1 while none is open. */
  #sliceStart = -1
  /** A request was let run at once in this synchronous run (its work has not started yet). */
  #admitted = false
  readonly #budgetMs: number
  /** Connections accepted since the last arrival check; whether that check found any; one is scheduled. */
  #accepted = 0
  #arriving = false
  #checking = false
  readonly #now: () => number
  readonly #later: (task: () => void) => void

  /**
   * @param budgetMs request work started per slice of the loop before the rest waits (default 8 ms)
   * @param now the clock (tests pass their own)
   * @param later runs a task after pending I/O: `setImmediate` where the runtime has it, else `setTimeout(0)`
   */
  constructor(
    budgetMs = 8,
    now: () => number = () => performance.now(),
    later: (task: () => void) => void = LATER,
  ) {
    this.#budgetMs = budgetMs
    this.#now = now
    this.#later = later
  }

  /** Requests waiting for their turn. */
  get waiting(): number {
    return this.#waiting.length - this.#head
  }

  /**
   * The caller's turn: `undefined` when it may run now, else a promise that resolves when it may
   * (`await` of `undefined` costs one microtask, so callers may always `await` it).
   */
  take(): Promise<void> | undefined {
    if (this.waiting === 0 && !this.#admitted && this.#open()) {
      // Requests started together (several `fetch` calls in one go) would all pass the budget check
      // before any of them has worked: the others wait and are released one at a time.
      this.#admitted = true
      MICROTASK(this.#settle)
      return undefined
    }
    return new Promise<void>((resolve) => {
      this.#waiting.push(resolve)
      this.#later(this.#release)
    })
  }

  /** Whether the current slice has budget left; opens a slice (closed after pending I/O) if none is. */
  #open(): boolean {
    if (this.#accepted > 0 || this.#arriving) return false
    const now = this.#now()
    if (this.#sliceStart < 0) {
      this.#sliceStart = now
      this.#later(this.#close)
      return true
    }
    return now - this.#sliceStart < this.#budgetMs
  }

  /**
   * A connection was accepted (the listening servers call this). libuv accepts one connection per turn
   * of the loop, so connections opened together while requests fill every slice were accepted one per
   * slice (256 at once: the last ones 0.4–1.4 s after the client had connected). While connections are
   * arriving (one was accepted since the previous turn's check) no request starts: the loop turns over,
   * finishing what is in flight and accepting one connection per turn, until a turn brings none; then
   * requests go on in their order. A turn without request work takes microseconds.
   */
  connectionAccepted(): void {
    this.#accepted++
    if (this.#checking) return
    this.#checking = true
    this.#later(this.#checkArrivals)
  }

  readonly #checkArrivals = (): void => {
    this.#arriving = this.#accepted > 0
    this.#accepted = 0
    if (this.#arriving) this.#later(this.#checkArrivals)
    else this.#checking = false
  }

  readonly #settle = (): void => {
    this.#admitted = false
  }

  readonly #close = (): void => {
    this.#sliceStart = -1
  }

  /** One scheduled release per waiter: lets the oldest one run, or tries again after the next I/O. */
  readonly #release = (): void => {
    if (!this.#open()) {
      this.#later(this.#release)
      return
    }
    const next = this.#waiting[this.#head]
    this.#waiting[this.#head++] = noop
    if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#head)
      this.#head = 0
    }
    next?.()
  }
}

const noop = (): void => {}

// Taken when the module loads, so a test's fake timers cannot stall requests that are waiting.
const MICROTASK = globalThis.queueMicrotask
const setTimer = globalThis.setTimeout
const LATER: (task: () => void) => void =
  typeof globalThis.setImmediate === 'function'
    ? globalThis.setImmediate.bind(globalThis)
    : (task) => {
        setTimer(task, 0)
      }

/**
 * The process's turns: the event loop is one per process (or worker), shared by every mock in it.
 */
export const requestTurns = new TurnQueue()
