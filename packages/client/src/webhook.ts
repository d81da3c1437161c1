import { createHmac, timingSafeEqual } from 'node:crypto'
import { appendFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ConcurkitError, WEBHOOK_ERROR_CODES } from '@concurkit/contract'
import { type Dispatcher, request } from 'undici'
import { invalidArgument } from './errors.js'
import { sleep } from './sleep.js'

/**
 * The header carrying the signature: `concurkit-signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`.
 *
 * @example
 * const header = req.headers[WEBHOOK_SIGNATURE_HEADER] // 't=1732377600,v1=5f1c…'
 */
export const WEBHOOK_SIGNATURE_HEADER = 'concurkit-signature'
/**
 * The header carrying the stable event id (the same on every redelivery; de-duplicate on it).
 *
 * @example
 * if (seen.has(req.headers[WEBHOOK_EVENT_ID_HEADER])) return res.writeHead(200).end()
 */
export const WEBHOOK_EVENT_ID_HEADER = 'concurkit-event-id'
/**
 * The header carrying the delivery attempt number (1-based).
 *
 * @example
 * const attempt = Number(req.headers[WEBHOOK_ATTEMPT_HEADER])
 */
export const WEBHOOK_ATTEMPT_HEADER = 'concurkit-delivery-attempt'

/**
 * Why a signature was refused (stable strings).
 *
 * @example
 * if (!check.valid && check.reason === WEBHOOK_SIGNATURE_REASONS.EXPIRED) res.writeHead(401).end('replayed?')
 */
export const WEBHOOK_SIGNATURE_REASONS = Object.freeze({
  MISSING: 'signature_missing',
  MALFORMED: 'signature_malformed',
  MISMATCH: 'signature_mismatch',
  EXPIRED: 'timestamp_outside_tolerance',
} as const)
export type WebhookSignatureReason =
  (typeof WEBHOOK_SIGNATURE_REASONS)[keyof typeof WEBHOOK_SIGNATURE_REASONS]

type Body = string | Uint8Array

function hmac(key: string, timestamp: number, body: Body): Buffer {
  const mac = createHmac('sha256', key)
  mac.update(`${timestamp}.`)
  mac.update(body)
  return mac.digest()
}

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') invalidArgument('the signing key must be a non-empty string')
}

/**
 * Signs a webhook body: HMAC-SHA256 with `key` over `${timestamp}.${body}` (the exact bytes sent),
 * returned as the `concurkit-signature` header value `t=<timestamp>,v1=<hex>`.
 *
 * @example
 * const header = signWebhook('{"id":"…"}', process.env.KEY!, Math.floor(Date.now() / 1000))
 * // 't=1732377600,v1=5f1c…'
 */
export function signWebhook(
  body: Body,
  key: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): string {
  checkKey(key)
  if (!Number.isInteger(timestamp) || timestamp < 0)
    invalidArgument('timestamp must be unix seconds (an integer ≥ 0)')
  return `t=${timestamp},v1=${hmac(key, timestamp, body).toString('hex')}`
}

/** Headers as Node (`req.headers`), a fetch `Headers`, or a plain record. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>

/** Options of `verifyWebhookSignature`. */
export interface VerifyWebhookOptions {
  /** The raw request body, byte for byte as received (not re-serialised JSON). */
  body: Body
  /** The `concurkit-signature` header value … */
  header?: string | null
  /** … or the request headers to read it from. */
  headers?: HeaderSource
  /** The signing key; several during a key rotation. */
  key: string | readonly string[]
  /** Largest accepted age (and clock lead) of the timestamp, in seconds. Default 300. */
  toleranceSeconds?: number
  /** Current unix time in seconds (tests). */
  now?: number
}

/** The outcome of `verifyWebhookSignature`. */
export type WebhookVerification =
  | { readonly valid: true; readonly timestamp: number }
  | { readonly valid: false; readonly reason: WebhookSignatureReason; readonly timestamp?: number }

function headerOf(headers: HeaderSource | undefined): string | undefined {
  if (!headers) return undefined
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(n: string): string | null }).get(WEBHOOK_SIGNATURE_HEADER) ?? undefined
  }
  const rec = headers as Readonly<Record<string, string | readonly string[] | undefined>>
  const name = Object.keys(rec).find((k) => k.toLowerCase() === WEBHOOK_SIGNATURE_HEADER)
  const v = name === undefined ? undefined : rec[name]
  return Array.isArray(v) ? v.join(',') : (v as string | undefined)
}

/**
 * Verifies a delivery: parses `t=<unix>,v1=<hex>` (several `v1` allowed), refuses a timestamp
 * further than `toleranceSeconds` from now (replays), recomputes HMAC-SHA256 over
 * `${t}.${body}` with each key and compares in constant time. Never throws for a bad header.
 *
 * @example
 * const check = verifyWebhookSignature({ body: rawBody, headers: req.headers, key: process.env.KEY! })
 * if (!check.valid) return res.writeHead(401).end(check.reason)
 */
export function verifyWebhookSignature(options: VerifyWebhookOptions): WebhookVerification {
  const keys = typeof options.key === 'string' ? [options.key] : [...options.key]
  if (keys.length === 0) invalidArgument('verifyWebhookSignature needs a key')
  for (const k of keys) checkKey(k)
  const tolerance = options.toleranceSeconds ?? 300
  if (!Number.isFinite(tolerance) || tolerance < 0) invalidArgument('toleranceSeconds must be a number ≥ 0')
  const header = options.header ?? headerOf(options.headers)
  if (!header || header.trim() === '') return { valid: false, reason: WEBHOOK_SIGNATURE_REASONS.MISSING }
  let timestamp: number | undefined
  const signatures: Buffer[] = []
  for (const part of header.split(',')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const name = part.slice(0, eq).trim()
    const value = part.slice(eq + 1).trim()
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value)
    else if (name === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'))
  }
  if (timestamp === undefined || signatures.length === 0)
    return { valid: false, reason: WEBHOOK_SIGNATURE_REASONS.MALFORMED }
  const now = options.now ?? Math.floor(Date.now() / 1000)
  if (Math.abs(now - timestamp) > tolerance)
    return { valid: false, reason: WEBHOOK_SIGNATURE_REASONS.EXPIRED, timestamp }
  let match = false
  for (const k of keys) {
    const expected = hmac(k, timestamp, options.body)
    for (const s of signatures) if (timingSafeEqual(expected, s)) match = true
  }
  return match
    ? { valid: true, timestamp }
    : { valid: false, reason: WEBHOOK_SIGNATURE_REASONS.MISMATCH, timestamp }
}

/** What `deliverEvents` needs of an event: a stable id (and, for the iterator's cursor, an `ack`). */
export interface DeliverableEvent {
  readonly id: string
}

/** An event source that can be told an event is handled (`watch()` returns one). */
export interface AckableEvents<E> extends AsyncIterable<E> {
  /** Marks the last event handled (the cursor is stored). */
  ack?(): Promise<void>
}

/** One failed attempt, as passed to `onAttempt` and written to the dead-letter file. */
export interface DeliveryAttempt {
  readonly eventId: string
  readonly attempt: number
  readonly ok: boolean
  readonly status?: number
  readonly error?: string
  /** ms until the next attempt, when there is one. */
  readonly retryIn?: number
}

/** Options of `deliverEvents`. */
export interface DeliverEventsOptions<E> {
  /** Sends one event; throw to fail the attempt (a `WebhookAttemptError` may carry `retryAfterMs`). */
  deliver(event: E, attempt: number): Promise<void>
  /** Attempts per event before it is dead-lettered (or the run fails). Default 8. */
  attempts?: number
  /** First backoff in ms, doubled per attempt with ±50 % jitter. Default 1 000. */
  minDelay?: number
  /** Largest backoff in ms (also caps `Retry-After`). Default 60 000. */
  maxDelay?: number
  /**
   * NDJSON file for events that failed every attempt; the event is then acknowledged and the run
   * goes on. Without it, such an event ends the run with `WebhookDeliveryError` (not acknowledged).
   */
  deadLetter?: string
  /** Stops after the delivery in flight (a pending backoff is cut short; that event is not acknowledged). */
  signal?: AbortSignal
  /** Every attempt (progress display). */
  onAttempt?(attempt: DeliveryAttempt): void
}

/** Totals of a delivery run. */
export interface DeliveryResult {
  delivered: number
  deadLettered: number
  attempts: number
  /** Whether the run ended because the signal fired. */
  stopped: boolean
}

/**
 * A failed attempt with its HTTP status and the receiver's `Retry-After`, if any.
 *
 * @example
 * throw new WebhookAttemptError('receiver answered 503', { status: 503, retryAfterMs: 2000 })
 */
export class WebhookAttemptError extends ConcurkitError {
  declare readonly code: typeof WEBHOOK_ERROR_CODES.ATTEMPT_FAILED
  readonly status: number | undefined
  readonly retryAfterMs: number | undefined
  constructor(message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(
      WEBHOOK_ERROR_CODES.ATTEMPT_FAILED,
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    )
    this.name = 'WebhookAttemptError'
    this.status = options.status
    this.retryAfterMs = options.retryAfterMs
  }
}

/**
 * An event failed every attempt and there is no dead-letter file (`WEBHOOK_DELIVERY_FAILED`);
 * the event was not acknowledged, so the next run delivers it again.
 *
 * @example
 * if (err instanceof WebhookDeliveryError) console.error(err.eventId, err.attempts)
 */
export class WebhookDeliveryError extends ConcurkitError {
  declare readonly code: typeof WEBHOOK_ERROR_CODES.DELIVERY_FAILED
  readonly eventId: string
  readonly attempts: number
  constructor(message: string, eventId: string, attempts: number, options?: { cause?: unknown }) {
    super(WEBHOOK_ERROR_CODES.DELIVERY_FAILED, message, options)
    this.name = 'WebhookDeliveryError'
    this.eventId = eventId
    this.attempts = attempts
  }
}

function checkCount(name: string, v: number, min: number): void {
  if (!Number.isFinite(v) || v < min) invalidArgument(`${name} must be a number ≥ ${min}`)
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

/**
 * Delivers events one at a time, in order: each is retried with exponential backoff (±50 % jitter,
 * `Retry-After` honoured) up to `attempts` times, then written to the dead-letter NDJSON file.
 * After a delivery (or dead-lettering) the source's `ack()` is called, so its cursor never runs
 * ahead of what was delivered: at-least-once, with the event id for de-duplication.
 *
 * @example
 * await deliverEvents(watcher, { deliver: async (e) => { process.stdout.write(`${JSON.stringify(e)}\n`) } })
 */
export async function deliverEvents<E extends DeliverableEvent>(
  events: AckableEvents<E>,
  options: DeliverEventsOptions<E>,
): Promise<DeliveryResult> {
  const attempts = options.attempts ?? 8
  const minDelay = options.minDelay ?? 1000
  const maxDelay = options.maxDelay ?? 60_000
  if (!Number.isInteger(attempts) || attempts < 1) invalidArgument('attempts must be an integer ≥ 1')
  checkCount('minDelay', minDelay, 0)
  checkCount('maxDelay', maxDelay, minDelay)
  const { signal } = options
  const result: DeliveryResult = { delivered: 0, deadLettered: 0, attempts: 0, stopped: false }
  const iterator = events[Symbol.asyncIterator]()
  try {
    for (;;) {
      if (signal?.aborted) {
        result.stopped = true
        return result
      }
      const next = await iterator.next()
      if (next.done) return result
      const event = next.value
      let lastError: unknown
      let lastStatus: number | undefined
      let delivered = false
      for (let attempt = 1; attempt <= attempts; attempt++) {
        result.attempts += 1
        try {
          await options.deliver(event, attempt)
          options.onAttempt?.({ eventId: event.id, attempt, ok: true })
          delivered = true
          break
        } catch (err) {
          lastError = err
          lastStatus = err instanceof WebhookAttemptError ? err.status : undefined
          const base = Math.min(maxDelay, minDelay * 2 ** (attempt - 1))
          const jittered = base * 0.5 + Math.random() * base
          const hinted = err instanceof WebhookAttemptError ? err.retryAfterMs : undefined
          const wait = Math.min(maxDelay, hinted ?? jittered)
          const more = attempt < attempts
          options.onAttempt?.({
            eventId: event.id,
            attempt,
            ok: false,
            ...(lastStatus === undefined ? {} : { status: lastStatus }),
            error: message(err),
            ...(more ? { retryIn: Math.round(wait) } : {}),
          })
          if (more && !(await sleep(wait, signal))) {
            result.stopped = true
            return result // not acknowledged: delivered again next run
          }
        }
      }
      if (delivered) {
        result.delivered += 1
      } else {
        if (!options.deadLetter) {
          throw new WebhookDeliveryError(
            `event ${event.id} failed ${attempts} attempts: ${message(lastError)}`,
            event.id,
            attempts,
            { cause: lastError },
          )
        }
        await mkdir(dirname(options.deadLetter), { recursive: true })
        const line = {
          event,
          attempts,
          failedAt: new Date().toISOString(),
          ...(lastStatus === undefined ? {} : { status: lastStatus }),
          error: message(lastError),
        }
        await appendFile(options.deadLetter, `${JSON.stringify(line)}\n`, { mode: 0o600 })
        result.deadLettered += 1
      }
      await events.ack?.()
    }
  } finally {
    await iterator.return?.()
  }
}

/** Options of `deliverWebhooks`. */
export interface DeliverWebhooksOptions<E> extends Omit<DeliverEventsOptions<E>, 'deliver'> {
  /** The receiver (`http:` or `https:`). */
  url: string
  /** Signing key; without one, no signature header is sent. */
  key?: string
  /** ms for the receiver to answer (headers and body). Default 10 000. */
  timeout?: number
  /** An undici dispatcher (proxy, custom CA, tests). */
  dispatcher?: Dispatcher
  /** Extra request headers. */
  headers?: Readonly<Record<string, string>>
  /** Unix seconds for the signature timestamp (tests). */
  now?: () => number
}

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value
  if (!v) return undefined
  const seconds = Number(v)
  const ms = Number.isNaN(seconds) ? new Date(v).getTime() - Date.now() : seconds * 1000
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined
}

/**
 * POSTs each event as JSON to `url`, signed (`concurkit-signature: t=…,v1=…`, see
 * `verifyWebhookSignature`), with `concurkit-event-id` and `concurkit-delivery-attempt` headers. A
 * 2xx answer is a delivery; anything else (or a network error / timeout) is retried as in
 * `deliverEvents`. The request in flight is never aborted by `signal`: a stop waits for it.
 *
 * @example
 * const events = watch(client, 'expense-reports', { interval: '5m' })
 * await deliverWebhooks(events, { url: 'https://hooks.example.com/concur', key: process.env.KEY, deadLetter: 'dead.ndjson' })
 */
export async function deliverWebhooks<E extends DeliverableEvent>(
  events: AckableEvents<E>,
  options: DeliverWebhooksOptions<E>,
): Promise<DeliveryResult> {
  let url: URL
  try {
    url = new URL(options.url)
  } catch {
    return invalidArgument(`"${options.url}" is not a URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    invalidArgument('the callback URL must be http(s)')
  if (options.key !== undefined) checkKey(options.key)
  const timeout = options.timeout ?? 10_000
  checkCount('timeout', timeout, 1)
  const now = options.now ?? (() => Math.floor(Date.now() / 1000))
  const { url: _u, key, timeout: _t, dispatcher, headers, now: _n, ...rest } = options
  return deliverEvents(events, {
    ...rest,
    async deliver(event, attempt) {
      const body = JSON.stringify(event)
      const h: Record<string, string> = {
        'user-agent': 'concurkit-watch',
        ...headers,
        'content-type': 'application/json',
        [WEBHOOK_EVENT_ID_HEADER]: event.id,
        [WEBHOOK_ATTEMPT_HEADER]: String(attempt),
      }
      if (key !== undefined) h[WEBHOOK_SIGNATURE_HEADER] = signWebhook(body, key, now())
      let res: Dispatcher.ResponseData
      try {
        res = await request(url, {
          method: 'POST',
          headers: h,
          body,
          headersTimeout: timeout,
          bodyTimeout: timeout,
          signal: AbortSignal.timeout(timeout),
          ...(dispatcher ? { dispatcher } : {}),
        })
      } catch (err) {
        throw new WebhookAttemptError(`POST ${url.origin}${url.pathname} failed: ${message(err)}`, {
          cause: err,
        })
      }
      await res.body.dump().catch(() => undefined)
      if (res.statusCode < 200 || res.statusCode >= 300) {
        const after =
          res.statusCode === 429 || res.statusCode === 503
            ? retryAfterMs(res.headers['retry-after'])
            : undefined
        throw new WebhookAttemptError(`POST ${url.origin}${url.pathname} answered ${res.statusCode}`, {
          status: res.statusCode,
          ...(after === undefined ? {} : { retryAfterMs: after }),
        })
      }
    },
  })
}
