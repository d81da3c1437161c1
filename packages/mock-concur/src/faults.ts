import type { ServerResponse } from 'node:http'
import type { Context, MiddlewareHandler } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import type { DcContext, MockEnv } from './context.js'
import { renderError } from './http/errors.js'
import { nodeBindings, requestPath } from './http/headers.js'
import { mulberry32 } from './util/hash.js'
import { randomUUID } from './util/web-crypto.js'

/**
 * The body of `POST /_mock/faults`. `path` is a glob over the request path (no query): `*` matches
 * within one path segment, `**` across segments, `?` one character. At least one effect (`status`,
 * `retryAfter`, `delayMs`, `reset`, `truncate`) is required.
 *
 * @example
 * { "method": "GET", "path": "/api/v3.0/expense/reports*", "status": 503, "retryAfter": 2, "every": 3 }
 */
export const FaultInput = z
  .strictObject({
    method: z
      .string()
      .regex(/^[A-Za-z]+$/)
      .transform((m) => m.toUpperCase())
      .optional(),
    path: z.string().min(1).max(2000),
    /** Only on this datacenter (default: every datacenter). */
    datacenter: z.string().min(1).optional(),
    status: z.number().int().min(200).max(599).optional(),
    body: z.unknown().optional(),
    /** `Retry-After` header, seconds (number) or an HTTP date (string). Alone, it implies status 429. */
    retryAfter: z.union([z.number().int().nonnegative(), z.string().min(1)]).optional(),
    delayMs: z.number().int().min(0).max(300_000).optional(),
    reset: z.literal(true).optional(),
    truncate: z.literal(true).optional(),
    probability: z.number().min(0).max(1).optional(),
    every: z.number().int().min(1).optional(),
    /** Fire at most this many times, then stay inert (still listed). */
    times: z.number().int().min(1).optional(),
  })
  .refine(
    (f) =>
      f.status !== undefined ||
      f.retryAfter !== undefined ||
      f.delayMs !== undefined ||
      f.reset === true ||
      f.truncate === true,
    { message: 'a fault needs an effect: status, retryAfter, delayMs, reset or truncate' },
  )
  .refine((f) => f.probability === undefined || f.every === undefined, {
    message: 'probability and every cannot be combined',
  })
export type FaultInput = z.infer<typeof FaultInput>

/** A fault rule (see `POST /_mock/faults`) with its counters. */
export interface FaultRule extends FaultInput {
  readonly id: string
  /** Requests the rule matched (method, path, datacenter). */
  matched: number
  /** Times it fired. */
  fired: number
}

/** Turns a path glob into an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        out += '.*'
        i++
      } else out += '[^/]*'
    } else if (ch === '?') out += '[^/]'
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${out}$`)
}

/** Fault rules matched per request with a seeded RNG, so a run is reproducible. */
export class FaultEngine {
  rules: FaultRule[] = []
  rng: () => number
  readonly #patterns = new Map<string, RegExp>()
  #seed: number

  constructor(seed: number) {
    this.#seed = seed
    this.rng = mulberry32(seed)
  }

  reseed(seed: number): void {
    this.#seed = seed
    this.rng = mulberry32(seed)
  }

  /** Removes every rule and restarts the RNG (so the next run draws the same numbers). */
  clear(): void {
    this.rules = []
    this.#patterns.clear()
    this.rng = mulberry32(this.#seed)
  }

  /** Adds a rule; returns it with its id. */
  add(input: FaultInput): FaultRule {
    const rule: FaultRule = { ...input, id: randomUUID(), matched: 0, fired: 0 }
    this.#patterns.set(rule.id, globToRegExp(rule.path))
    this.rules.push(rule)
    return rule
  }

  /** Removes one rule; false when there is none with that id. */
  remove(id: string): boolean {
    const before = this.rules.length
    this.rules = this.rules.filter((r) => r.id !== id)
    this.#patterns.delete(id)
    return this.rules.length !== before
  }

  /**
   * The first rule that fires for a request, counting matches and drawing from the seeded RNG (one
   * draw per matching probabilistic rule), or `undefined`.
   */
  pick(method: string, path: string, datacenter: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method !== method.toUpperCase()) continue
      if (rule.datacenter && rule.datacenter !== datacenter) continue
      if (!this.#patterns.get(rule.id)?.test(path)) continue
      if (rule.times !== undefined && rule.fired >= rule.times) continue
      rule.matched++
      const fires =
        rule.every !== undefined
          ? rule.matched % rule.every === 0
          : rule.probability !== undefined
            ? this.rng() < rule.probability
            : true
      if (fires) {
        rule.fired++
        return rule
      }
    }
    return undefined
  }
}

/** The error a connection-reset fault raises for in-process requests (`app.request`, `mock.fetch`). */
export class MockConnectionReset extends Error {
  readonly code = 'ECONNRESET'
  constructor(readonly faultId: string) {
    super('socket hang up (mock fault: connection reset)')
    this.name = 'MockConnectionReset'
  }
}

/** Which fault fired for a request (read by the journal). */
const notes = new WeakMap<Request, string>()

/** The journal note of the fault that fired for this request, if any. */
export function faultNote(request: Request): string | undefined {
  return notes.get(request)
}

/** Tells @hono/node-server the response was written by hand (or the socket is gone). */
const alreadySent = () => new Response(null, { headers: { 'x-hono-already-sent': 'true' } })

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

function faultResponse(c: Context<MockEnv>, rule: FaultRule, status: number, nowMs: number): Response {
  // Headers go on the context before the body is built: @hono/node-server serves Hono's responses
  // from a cache of (status, body, headers) taken at creation, so later `res.headers.set` is lost.
  if (rule.retryAfter !== undefined) c.header('retry-after', String(rule.retryAfter))
  if (rule.body !== undefined) {
    return typeof rule.body === 'string'
      ? c.body(rule.body, status as ContentfulStatusCode)
      : c.json(rule.body as object, status as ContentfulStatusCode)
  }
  return renderError(c, status as ContentfulStatusCode, STATUS_TEXT[status] ?? 'Service Unavailable', {
    nowMs,
    correlationId: c.get('correlationId') ?? randomUUID(),
  })
}

/** A copy of `res` whose body stops halfway and errors, under the full `Content-Length`. */
async function truncated(res: Response): Promise<Response> {
  const bytes = new Uint8Array(await res.arrayBuffer())
  const half = bytes.subarray(0, Math.floor(bytes.byteLength / 2))
  const headers = new Headers(res.headers)
  headers.set('content-length', String(Math.max(bytes.byteLength, 1)))
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (half.byteLength) controller.enqueue(half)
      controller.error(new MockConnectionReset('truncate'))
    },
  })
  return new Response(body, { status: res.status, headers })
}

/** Writes a truncated response on the raw socket: full Content-Length, half the body, then close. */
async function writeTruncated(outgoing: ServerResponse, res: Response): Promise<void> {
  const bytes = Buffer.from(await res.arrayBuffer())
  const headers: Record<string, string> = {}
  res.headers.forEach((v, k) => {
    headers[k] = v
  })
  headers['content-length'] = String(Math.max(bytes.byteLength, 1))
  outgoing.writeHead(res.status, headers)
  outgoing.write(bytes.subarray(0, Math.floor(bytes.byteLength / 2)), () => outgoing.socket?.destroy())
}

/**
 * Applies the first firing fault rule to a Concur path (never to `/_mock`): added latency, then a
 * connection reset, a status with Concur's (or the given) body and `Retry-After`, and/or a truncated
 * body. Runs for real sockets (@hono/node-server) and in-process requests alike.
 */
export function faultMiddleware(ctx: DcContext): MiddlewareHandler<MockEnv> {
  const { state, datacenter } = ctx
  return async (c, next) => {
    const path = requestPath(c)
    if (path.startsWith('/_mock') || state.faults.rules.length === 0) return next()
    const rule = state.faults.pick(c.req.method, path, datacenter)
    if (!rule) return next()
    const kinds = [
      rule.delayMs !== undefined && 'delay',
      rule.reset && 'reset',
      (rule.status !== undefined || rule.retryAfter !== undefined) && 'status',
      rule.truncate && 'truncate',
    ].filter(Boolean)
    notes.set(c.req.raw, `fault:${rule.id} ${kinds.join('+')}`)
    if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs))
    const env = nodeBindings(c)
    if (rule.reset) {
      if (env.incoming?.socket) {
        env.incoming.socket.destroy()
        c.res = alreadySent()
        return
      }
      throw new MockConnectionReset(rule.id)
    }
    const status = rule.status ?? (rule.retryAfter !== undefined ? 429 : undefined)
    // A delay alone leaves the answer as it is (re-assigning `c.res` would rebuild it).
    if (status === undefined && !rule.truncate) return next()
    let res: Response
    if (status !== undefined) res = faultResponse(c, rule, status, state.clock.now())
    else {
      await next()
      res = c.res
    }
    if (rule.truncate) {
      if (env.outgoing) {
        await writeTruncated(env.outgoing, res)
        c.res = alreadySent()
        return
      }
      c.res = await truncated(res)
      return
    }
    c.res = res
  }
}
