import { describe, expect, it } from 'vitest'
import { TurnQueue } from './turns.js'

const microtasks = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

/**
 * A queue on a fake loop: `phase()` is one pass of the loop's check phase (the tasks queued before it,
 * microtasks after each); `request(name)` takes a turn and, once it has it, works `workMs` on the clock.
 * Returns whether the request ran at once; `ran` lists the requests in the order they ran.
 */
function fakeLoop(budgetMs: number, workMs: number) {
  let t = 0
  let pending: (() => void)[] = []
  const turns = new TurnQueue(
    budgetMs,
    () => t,
    (task) => pending.push(task),
  )
  const ran: string[] = []
  const phase = async () => {
    const now = pending
    pending = []
    for (const task of now) {
      task()
      await microtasks()
    }
  }
  const request = (name: string) => {
    const wait = turns.take()
    const run = () => {
      ran.push(name)
      t += workMs
    }
    if (wait) void wait.then(run)
    else run()
    return wait === undefined
  }
  return { turns, ran, phase, request }
}

describe('TurnQueue', () => {
  it('runs at once within the budget, then releases waiters in arrival order, one budget per slice', async () => {
    // Each request's work: 6 ms of a 10 ms budget.
    const { turns, ran: order, phase, request } = fakeLoop(10, 6)
    expect(request('a')).toBe(true)
    await microtasks()
    expect(request('b')).toBe(true) // 6 ms used of 10
    await microtasks()
    expect(request('c')).toBe(false) // 12 ms used: waits
    expect(request('d')).toBe(false)
    expect(request('e')).toBe(false)
    expect(turns.waiting).toBe(3)
    expect(order).toEqual(['a', 'b'])

    await phase()
    expect(order).toEqual(['a', 'b', 'c', 'd']) // c opened a slice: c and d fit, e tries again
    // Arrives between slices (I/O): waits behind e although the slice was closed.
    expect(request('f')).toBe(false)
    await phase()
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
    expect(turns.waiting).toBe(0)
    await phase()
    expect(request('g')).toBe(true) // nothing waiting, a new slice: at once again
    // Another request in the same synchronous run waits for its release, though budget is left.
    expect(request('h')).toBe(false)
    await phase()
    expect(order.slice(-2)).toEqual(['g', 'h'])
  })

  it('while connections are arriving no request starts; requests go on once a turn brings none', async () => {
    const { turns, ran, phase, request } = fakeLoop(10, 2)
    turns.connectionAccepted()
    expect(request('a')).toBe(false) // a connection just came in: waits although the budget is free
    await phase()
    expect(ran).toEqual([])
    turns.connectionAccepted() // another one in the next turn
    expect(request('b')).toBe(false)
    await phase()
    expect(ran).toEqual([])
    await phase() // a turn with no new connection: the requests go on, in order
    expect(ran).toEqual(['a', 'b'])
    await phase()
    expect(request('c')).toBe(true) // nothing waiting, nothing arriving: at once again
    expect(ran).toEqual(['a', 'b', 'c'])
  })

  it('on the real event loop, a timer gets its turn between slices of long requests', async () => {
    const turns = new TurnQueue(8)
    let ran = 0
    let ranBeforeTimer = -1
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        ranBeforeTimer = ran
        resolve()
      }, 0),
    )
    const busy = (ms: number) => {
      const until = performance.now() + ms
      while (performance.now() < until) {
        // the request's synchronous work
      }
    }
    const requests = Array.from({ length: 30 }, async () => {
      await turns.take()
      busy(2)
      ran++
    })
    await Promise.all([...requests, timer])
    expect(ran).toBe(30)
    // Without turns all 30 (60 ms) would run before the timer; with them, about one 8 ms slice.
    expect(ranBeforeTimer).toBeGreaterThan(0)
    expect(ranBeforeTimer).toBeLessThan(15)
  })
})
