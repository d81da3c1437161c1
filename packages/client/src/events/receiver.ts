import type { KeyObject } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  CONCUR_CORRELATION_HEADER,
  CONCUR_SIGNATURE_HEADER,
  EVENT_RETENTION_MS,
  EventEnvelope,
  verifyConcurEventSignature,
} from '@concurkit/contract'
import { invalidArgument } from '../errors.js'

/** A public key of the ESS signature: PEM text, DER bytes or a Node `KeyObject`. */
export type EventPublicKey = string | Uint8Array | KeyObject

/** An event the receiver verified and accepted (once per event id). */
export interface ReceivedEvent {
  readonly event: EventEnvelope
  /** The body exactly as received (what the signature covers). */
  readonly rawBody: string
  /** `Concur-Correlationid`: reuse it on follow-up API calls. */
  readonly correlationId: string | undefined
  /** Receive time, epoch ms. */
  readonly receivedAt: number
}

/** Why a delivery was refused, for logs (the sender sees only the status). */
export interface RejectedDelivery {
  readonly status: number
  readonly reason: string
  readonly eventId?: string
}

/** Options of {@link createEventReceiver}. */
export interface EventReceiverOptions {
  /** The ESS public key(s): Concur's published PEM (both during a rotation), or the mock's. */
  publicKey: EventPublicKey | readonly EventPublicKey[]
  /**
   * Handle each new event before it is acknowledged: the answer is 200 once it resolves, 503 (Concur
   * retries) when it throws. Without it, events are acknowledged at once and read from the
   * receiver's async iterator.
   */
  onEvent?(event: ReceivedEvent): Promise<void> | void
  /** Called for every refused delivery (bad signature, malformed, stale). */
  onRejected?(rejected: RejectedDelivery): void
  /** Largest accepted body. Default 1 MiB (413 beyond). */
  maxBodyBytes?: number
  /** How many event ids are remembered for de-duplication. Default 100,000. */
  seenCapacity?: number
  /**
   * Oldest accepted `timeStamp` (replays of captured deliveries): Concur retries for 72 h, so the
   * default is 72 h + 5 min. A `timeStamp` ahead of the receiver's clock is accepted (the signature
   * already proves the sender; a mock whose clock was moved forward sends such events).
   */
  maxAgeMs?: number
  /** Events waiting for the iterator before new ones get 503 (Concur retries). Default 10,000. */
  maxQueue?: number
  /** Clock (epoch ms), for tests. */
  now?: () => number
}

/** A verifying ESS receiver: a `node:http` listener, a fetch handler (Hono) and an async iterable. */
export interface EventReceiver extends AsyncIterable<ReceivedEvent> {
  /** `http.createServer(receiver.listener)` / `https.createServer(tls, receiver.listener)`. */
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void
  /** For fetch-style servers: `app.post('/concur', (c) => receiver.fetch(c.req.raw))`. */
  fetch(request: Request): Promise<Response>
  /** Verifies and accepts one delivery; returns the HTTP status to answer. */
  receive(rawBody: Uint8Array | string, headers: (name: string) => string | undefined): Promise<number>
  /** Ends the iteration (events already queued are still yielded). */
  close(): void
  readonly stats: { accepted: number; duplicates: number; rejected: number }
}

/**
 * Creates a receiver of Concur's Event Subscription Service deliveries: verifies `Concur-Signature`
 * over the raw body (401 when it fails), refuses malformed bodies (400) and replays of old captured
 * deliveries (400: older than the 72 h retry window), de-duplicates by event id (a redelivery is
 * acknowledged but not handed out twice), acknowledges at once and hands the events out as an async
 * iterable.
 *
 * @example
 * const receiver = createEventReceiver({ publicKey: readFileSync('concur-ess.pem', 'utf8') })
 * https.createServer({ key, cert }, receiver.listener).listen(8443)
 * for await (const { event } of receiver) console.log(event.eventType, event.facts)
 * @see https://developer.concur.com/api-reference/ess/v4.event-subscription.html
 */
export function createEventReceiver(options: EventReceiverOptions): EventReceiver {
  const keys = (
    Array.isArray(options.publicKey) ? options.publicKey : [options.publicKey]
  ) as EventPublicKey[]
  if (keys.length === 0) invalidArgument('createEventReceiver needs the ESS public key')
  // Fails now on a key that is not a public key, not on the first delivery.
  verifyConcurEventSignature('', 'AA==', keys)
  const maxBody = options.maxBodyBytes ?? 1024 * 1024
  const capacity = options.seenCapacity ?? 100_000
  const maxAge = options.maxAgeMs ?? EVENT_RETENTION_MS + 5 * 60_000
  const maxQueue = options.maxQueue ?? 10_000
  const now = options.now ?? Date.now
  const seen = new Set<string>()
  const inFlight = new Set<string>()
  const queue: ReceivedEvent[] = []
  const waiters: ((r: IteratorResult<ReceivedEvent>) => void)[] = []
  let closed = false
  const stats = { accepted: 0, duplicates: 0, rejected: 0 }

  const remember = (id: string) => {
    seen.add(id)
    if (seen.size > capacity) seen.delete(seen.values().next().value as string)
  }
  const reject = (status: number, reason: string, eventId?: string): number => {
    stats.rejected++
    options.onRejected?.({ status, reason, ...(eventId ? { eventId } : {}) })
    return status
  }

  async function receive(
    raw: Uint8Array | string,
    header: (name: string) => string | undefined,
  ): Promise<number> {
    const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8')
    if (!verifyConcurEventSignature(raw, header(CONCUR_SIGNATURE_HEADER), keys))
      return reject(401, header(CONCUR_SIGNATURE_HEADER) ? 'signature mismatch' : 'Concur-Signature missing')
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return reject(400, 'body is not JSON')
    }
    const parsed = EventEnvelope.safeParse(json)
    if (!parsed.success) return reject(400, 'body is not an ESS event envelope')
    const event = parsed.data
    const at = Date.parse(event.timeStamp)
    const t = now()
    if (!Number.isFinite(at)) return reject(400, 'timeStamp is not a date', event.id)
    if (t - at > maxAge) return reject(400, 'event older than the retry window (replay?)', event.id)
    if (seen.has(event.id)) {
      stats.duplicates++
      return 200
    }
    if (inFlight.has(event.id)) return 503
    const received: ReceivedEvent = {
      event,
      rawBody: text,
      correlationId: header(CONCUR_CORRELATION_HEADER),
      receivedAt: t,
    }
    if (options.onEvent) {
      inFlight.add(event.id)
      try {
        await options.onEvent(received)
      } catch (err) {
        return reject(503, `handler failed: ${err instanceof Error ? err.message : String(err)}`, event.id)
      } finally {
        inFlight.delete(event.id)
      }
      remember(event.id)
      stats.accepted++
      return 200
    }
    if (closed || queue.length >= maxQueue)
      return reject(503, closed ? 'receiver closed' : 'queue full', event.id)
    remember(event.id)
    stats.accepted++
    const waiter = waiters.shift()
    if (waiter) waiter({ value: received, done: false })
    else queue.push(received)
    return 200
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const answer = (status: number) => {
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(status === 200 ? 'ok' : String(status))
    }
    if (req.method !== 'POST') {
      answer(405)
      req.resume()
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let tooBig = false
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > maxBody) {
        tooBig = true
        return
      }
      chunks.push(c)
    })
    req.on('error', () => answer(400))
    req.on('end', () => {
      if (tooBig) {
        answer(reject(413, 'body too large'))
        return
      }
      const headerOf = (name: string) => {
        const v = req.headers[name]
        return Array.isArray(v) ? v[0] : v
      }
      receive(Buffer.concat(chunks), headerOf).then(answer, () => answer(500))
    })
  }

  return {
    listener,
    async fetch(request: Request) {
      if (request.method !== 'POST') return new Response('405', { status: 405 })
      const body = new Uint8Array(await request.arrayBuffer())
      if (body.byteLength > maxBody) return new Response('413', { status: reject(413, 'body too large') })
      const status = await receive(body, (n) => request.headers.get(n) ?? undefined)
      return new Response(status === 200 ? 'ok' : String(status), { status })
    },
    receive,
    close() {
      closed = true
      for (const w of waiters.splice(0)) w({ value: undefined, done: true })
    },
    stats,
    [Symbol.asyncIterator](): AsyncIterator<ReceivedEvent> {
      return {
        next() {
          const value = queue.shift()
          if (value) return Promise.resolve({ value, done: false })
          if (closed) return Promise.resolve({ value: undefined, done: true })
          return new Promise((resolve) => waiters.push(resolve))
        },
        return() {
          closed = true
          return Promise.resolve({ value: undefined, done: true })
        },
      }
    },
  }
}
