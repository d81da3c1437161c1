/**
 * Waits `ms`; resolves `false` instead when `signal` fires first (the timer is cleared, so an
 * aborted wait keeps no process alive).
 *
 * @example
 * if (!(await sleep(interval, signal))) return // stopped
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(t)
      signal?.removeEventListener('abort', onAbort)
      resolve(ok)
    }
    const onAbort = () => done(false)
    const t = setTimeout(() => done(true), ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
