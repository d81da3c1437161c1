/**
 * Runs async tasks with at most `concurrency` in flight (a tiny semaphore).
 *
 * @example
 * const limit = createLimit(8)
 * const details = await Promise.all(ids.map((id) => limit(() => get(id))))
 */
export function createLimit(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError('concurrency must be an integer ≥ 1')
  let active = 0
  const queue: (() => void)[] = []
  // A finished task hands its slot straight to the next waiter, so `active` never overshoots.
  const release = () => {
    const next = queue.shift()
    if (next) next()
    else active -= 1
  }
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => queue.push(resolve))
    else active += 1
    try {
      return await task()
    } finally {
      release()
    }
  }
}

/** Maps `items` with `fn`, `concurrency` at a time, keeping order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const limit = createLimit(concurrency)
  return Promise.all(items.map((item, i) => limit(() => fn(item, i))))
}
