import { mulberry32 } from './util/hash.js'

/** A fault rule (see `POST /_mock/faults`). */
export interface FaultRule {
  readonly id: string
  readonly method?: string
  readonly path: string
  readonly status?: number
  readonly body?: unknown
  readonly retryAfter?: number
  readonly delayMs?: number
  readonly reset?: boolean
  readonly truncate?: boolean
  readonly probability?: number
  readonly every?: number
}

/** Fault rules matched per request with a seeded RNG, so a run is reproducible. */
export class FaultEngine {
  rules: FaultRule[] = []
  rng: () => number

  constructor(seed: number) {
    this.rng = mulberry32(seed)
  }

  reseed(seed: number): void {
    this.rng = mulberry32(seed)
  }

  clear(): void {
    this.rules = []
  }
}

import type { MiddlewareHandler } from 'hono'
import type { DcContext, MockEnv } from './context.js'

/** Applies matching fault rules to Concur paths (never to `/_mock`). */
export function faultMiddleware(_ctx: DcContext): MiddlewareHandler<MockEnv> {
  return async (_c, next) => {
    await next()
  }
}
