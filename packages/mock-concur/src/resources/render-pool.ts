import { Worker } from 'node:worker_threads'
import type { CachedPage, PageRenderer, V3PageJob } from './page-cache.js'

/**
 * The worker's module: beside this one once built; when this module runs from its TypeScript
 * source (the package's own tests), the built one.
 */
function workerUrl(): URL {
  const here = import.meta.url
  return here.endsWith('.ts')
    ? new URL('../../dist/resources/render-worker.js', here)
    : new URL('./render-worker.js', here)
}

/**
 * A worker inherits the parent's Node options, except when the parent resolves with export
 * conditions (`--conditions`, `-C`; a test runner's source condition would point the worker at
 * TypeScript files): then it starts with none, as it needs none to load the built modules of this
 * package and its dependencies.
 */
function workerOptions(): { execArgv?: string[] } {
  const conditions = process.execArgv.some(
    (a) => a === '--conditions' || a === '-C' || a.startsWith('--conditions=') || a.startsWith('-C='),
  )
  return conditions ? { execArgv: [] } : {}
}

/** Render workers (see {@link startRenderPool}). */
export interface RenderPool extends PageRenderer {
  /** Workers started. */
  readonly size: number
  /** Pages the workers have rendered so far. */
  readonly rendered: number
  /** Resolves once every worker has loaded (or failed); pages asked for before render here. */
  ready(): Promise<void>
  /** Stops every worker; later pages render on the calling thread. */
  close(): Promise<void>
}

interface Slot {
  readonly worker: Worker
  readonly pending: Map<number, { resolve(page: CachedPage): void; reject(err: Error): void }>
  ready: boolean
  dead: boolean
}

/**
 * Jobs a worker holds before the caller renders the page itself instead of queueing it. The main
 * thread hands a worker its next page only between its own requests (a slice of the loop is up to
 * ~8 ms of them, `http/turns.ts`), so a short queue leaves the worker idle while the main thread
 * renders pages it could have taken: with two, the worker idled ~35–50 % of a 256-connection run while
 * the main thread spent ~45 % of its time rendering. Eight keep it busy (a page waits at most ~7 pages
 * of ~3 ms there), and no queue grows without bound (a single queue for every page made the worker the
 * bottleneck: distinct pages p99 ~900 ms).
 */
export const QUEUE_PER_WORKER = 8

/**
 * Starts `size` worker threads that render v3.0 list pages of the seeded data. `render` hands a job
 * to the least busy worker that has loaded and rejects when none can take it (all busy, still
 * loading, stopped or crashed): the caller then renders the page itself, so a page is never lost or
 * held up by a worker. The workers do not keep the process alive.
 *
 * @example
 * const pool = startRenderPool(2)
 * state.pageRenderer = pool
 * await pool.close()
 */
export function startRenderPool(size: number): RenderPool {
  let nextId = 0
  let closed = false
  let rendered = 0
  const fail = (slot: Slot, err: Error) => {
    slot.dead = true
    for (const p of slot.pending.values()) p.reject(err)
    slot.pending.clear()
  }
  const slots: Slot[] = []
  for (let i = 0; i < size; i++) {
    let worker: Worker
    try {
      worker = new Worker(workerUrl(), workerOptions())
    } catch {
      // A worker that cannot start leaves its pages to the main thread.
      continue
    }
    worker.unref()
    const slot: Slot = { worker, pending: new Map(), ready: false, dead: false }
    worker.on(
      'message',
      (m: { ready?: true; id: number; body?: Uint8Array; contentType?: string; error?: string }) => {
        if (m.ready) {
          slot.ready = true
          return
        }
        const p = slot.pending.get(m.id)
        if (!p) return
        slot.pending.delete(m.id)
        if (m.error !== undefined || !m.body) p.reject(new Error(m.error ?? 'render worker answered no page'))
        else {
          rendered++
          p.resolve({ body: m.body, contentType: m.contentType ?? 'application/json' })
        }
      },
    )
    worker.on('error', (err) => fail(slot, err))
    worker.on('exit', (code) => fail(slot, new Error(`render worker exited with code ${code}`)))
    slots.push(slot)
  }
  const loaded = Promise.all(
    slots.map(
      (slot) =>
        new Promise<void>((resolve) => {
          if (slot.ready || slot.dead) return resolve()
          const done = () => resolve()
          slot.worker.once('message', done)
          slot.worker.once('exit', done)
        }),
    ),
  ).then(() => undefined)
  return {
    size: slots.length,
    get rendered() {
      return rendered
    },
    ready: () => loaded,
    render(job: V3PageJob): Promise<CachedPage> {
      let best: Slot | undefined
      for (const s of slots) if (s.ready && !s.dead && (!best || s.pending.size < best.pending.size)) best = s
      if (closed || !best || best.pending.size >= QUEUE_PER_WORKER)
        return Promise.reject(new Error('no render worker free'))
      const slot = best
      const id = nextId++
      return new Promise<CachedPage>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject })
        slot.worker.postMessage({ id, job })
      })
    },
    async close() {
      closed = true
      await Promise.all(slots.map((s) => s.worker.terminate()))
    },
  }
}
