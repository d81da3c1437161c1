import {
  CONCUR_CORRELATION_HEADER,
  CONCUR_SIGNATURE_HEADER,
  type DatacenterName,
  EVENT_ACK_TIMEOUT_MS,
  EVENT_RETENTION_MS,
  type EventEnvelope,
  isRetriedStatus,
  type Subscription,
  signConcurEvent,
} from '@concurkit/contract'
import { redactPath } from '../redact.js'
import type { MockState } from '../state.js'
import { randomUUID } from '../util/web-crypto.js'
import { createEventKeyMaterial, type EventKeyMaterial } from './keys.js'

/** A subscription held by the mock (one datacenter, one application). */
export interface SubscriptionRecord {
  readonly id: string
  readonly datacenter: DatacenterName
  topic: string
  filter: string
  regex: RegExp
  endpoint: string
  readonly applicationId: string
  readonly companyIds: readonly string[]
  /** Events waiting for delivery, oldest (publication order) first; only the head is attempted. */
  readonly queue: PendingDelivery[]
  inFlight: boolean
}

/** An event on its way to one subscription. */
export interface PendingDelivery {
  readonly envelope: EventEnvelope
  /** The exact bytes sent (and signed). */
  readonly body: string
  /** Mock-clock ms of publication: retries stop 72 h later. */
  readonly publishedAt: number
  attempts: number
  /** Mock-clock ms of the next attempt. */
  nextAttemptAt: number
  lastError?: string
}

/** One line of the delivery log (admin API `GET /_mock/events/deliveries`). */
export interface DeliveryLogEntry {
  /** Mock-clock time, ISO 8601. */
  readonly time: string
  readonly datacenter: DatacenterName
  readonly subscriptionId: string
  readonly endpoint: string
  readonly eventId: string
  readonly eventType: string
  readonly topic: string
  readonly attempt: number
  /** HTTP status of the answer; 0 when there was none (I/O error, timeout). */
  readonly status: number
  readonly outcome: 'delivered' | 'retry' | 'refused' | 'dropped'
  readonly error?: string
  /** Mock-clock time of the next attempt (outcome `retry`). */
  readonly nextAttemptAt?: string
  /** The body sent and its `Concur-Signature` (both public: they travel on the wire). */
  readonly body: string
  readonly signature: string
}

/** What a caller of {@link publishEvent} gives: the envelope is completed by the mock. */
export interface PublishInput {
  readonly companyId: string
  readonly topic: string
  readonly eventType: string
  readonly facts: Record<string, unknown>
  readonly correlationId?: string
  /** Extra envelope fields of the topic (`route`, `subtopic`, `data`, `groups`, `scopes`). */
  readonly extra?: Readonly<Record<string, unknown>>
}

const LOG_CAPACITY = 1000
const FIRST_RETRY_MS = 30_000
const MAX_RETRY_MS = 15 * 60_000
/** Real-time pace at which waiting retries are looked at (the mock clock also runs in real time). */
const TICK_MS = 1000

/** The mock's wait before retry *n* (n ≥ 1): 30 s, doubled per attempt, at most 15 min (mock clock). */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS)
}

/** The ESS state of a mock: subscriptions, queues, the delivery log, trusted receiver CAs, keys. */
export class EventsStore {
  readonly subscriptions = new Map<string, SubscriptionRecord>()
  #log: DeliveryLogEntry[] = []
  /** CA certificates (PEM) the mock trusts for HTTPS endpoints, beyond the public roots. */
  trusted: string[] = []
  /** How long a receiver has to answer (real ms). Default 60 s, as Concur documents. */
  ackTimeoutMs = EVENT_ACK_TIMEOUT_MS
  #material: Promise<EventKeyMaterial> | undefined
  #ready: EventKeyMaterial | undefined
  #timer: ReturnType<typeof setInterval> | undefined
  #scheduled = false
  readonly #state: MockState
  readonly #active = new Set<Promise<void>>()

  constructor(state: MockState) {
    this.#state = state
    state.clock.onAdvance(() => this.schedule())
  }

  static key(datacenter: string, id: string): string {
    return `${datacenter}\u001f${id}`
  }

  /** The key material (created once, on first need). */
  material(): Promise<EventKeyMaterial> {
    if (!this.#material) {
      this.#material = createEventKeyMaterial().then((m) => {
        this.#ready = m
        return m
      })
      this.#material.catch(() => {})
    }
    return this.#material
  }

  /** The key material if it exists already (synchronous readers such as `describeMock`). */
  get ready(): EventKeyMaterial | undefined {
    return this.#ready
  }

  /** The subscriptions of a datacenter (optionally of one application). */
  list(datacenter: DatacenterName, applicationId?: string): SubscriptionRecord[] {
    return [...this.subscriptions.values()].filter(
      (s) =>
        s.datacenter === datacenter && (applicationId === undefined || s.applicationId === applicationId),
    )
  }

  /** The delivery log, oldest first (a copy). */
  get log(): readonly DeliveryLogEntry[] {
    return this.#log.slice()
  }

  addLog(entry: DeliveryLogEntry): void {
    this.#log.push(entry)
    if (this.#log.length > LOG_CAPACITY) this.#log.splice(0, this.#log.length - LOG_CAPACITY)
  }

  /** Runs what is due soon (once per turn of the event loop). */
  schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      this.pump()
    })
  }

  /** Starts the delivery of every subscription whose head event is due; returns when all settled. */
  pump(): Promise<void> {
    for (const sub of this.subscriptions.values()) {
      if (sub.inFlight || sub.queue.length === 0) continue
      const run = drain(this.#state, this, sub)
        .catch((err: unknown) => {
          // Never an unhandled rejection in the server: the event stays queued and is retried.
          this.#state.journal.add({
            time: new Date(this.#state.clock.now()).toISOString(),
            datacenter: sub.datacenter,
            method: 'POST',
            path: '-',
            status: 0,
            latencyMs: 0,
            correlationId: '-',
            note: `ess delivery subscription=${sub.id}: internal error ${err instanceof Error ? err.message : String(err)}`,
          })
        })
        .finally(() => this.#active.delete(run))
      this.#active.add(run)
    }
    this.#tick()
    return Promise.all([...this.#active]).then(() => {})
  }

  #tick(): void {
    const waiting = [...this.subscriptions.values()].some((s) => s.queue.length > 0)
    if (waiting && !this.#timer) {
      this.#timer = setInterval(() => this.schedule(), TICK_MS)
      this.#timer.unref()
    } else if (!waiting && this.#timer) {
      clearInterval(this.#timer)
      this.#timer = undefined
    }
  }

  reset(): void {
    this.subscriptions.clear()
    this.#log = []
    this.trusted = []
    this.ackTimeoutMs = EVENT_ACK_TIMEOUT_MS
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = undefined
  }
}

/** The ESS store of a mock. */
export function eventsStore(state: MockState): EventsStore {
  return state.store('events', () => new EventsStore(state))
}

/** A subscription as the management API shows it. */
export function subscriptionView(s: SubscriptionRecord): Subscription {
  return {
    id: s.id,
    topic: s.topic,
    filter: s.filter,
    webHookConfig: { endpoint: s.endpoint },
    applicationId: s.applicationId,
    scope: '',
    groups: [],
    companyIds: [...s.companyIds],
  }
}

/**
 * THE publish hook of the mock's ESS: completes the envelope (`id`, `correlationId`, `timeStamp` on
 * the mock clock), and queues the event for every subscription of the company's datacenter whose
 * topic matches, whose `companyIds` hold the company and whose `filter` matches the `eventType`.
 * Every API that changes data calls it (expense reports through the write overlay; request,
 * itinerary and provisioning APIs once the mock serves them).
 *
 * @example
 * publishEvent(state, { companyId, topic: 'public.concur.user.provisioning', eventType: 'provisionCompleted', facts })
 */
export function publishEvent(state: MockState, input: PublishInput): EventEnvelope | undefined {
  const company = state.company(input.companyId)
  if (!company) return undefined
  const store = eventsStore(state)
  const id = randomUUID()
  const envelope: EventEnvelope = {
    id,
    correlationId: input.correlationId ?? id,
    ...(input.extra ?? {}),
    eventType: input.eventType,
    topic: input.topic,
    timeStamp: new Date(state.clock.now()).toISOString(),
    facts: input.facts,
  }
  const body = JSON.stringify(envelope)
  const now = state.clock.now()
  let queued = 0
  for (const sub of store.subscriptions.values()) {
    if (sub.datacenter !== company.datacenter || sub.topic !== input.topic) continue
    if (!sub.companyIds.includes(company.id) || !sub.regex.test(input.eventType)) continue
    sub.queue.push({ envelope, body, publishedAt: now, attempts: 0, nextAttemptAt: now })
    queued++
  }
  if (queued > 0) store.schedule()
  return envelope
}

/** Whether any subscription could receive an event of this company's datacenter and topic. */
export function hasSubscribers(state: MockState, datacenter: DatacenterName, topic: string): boolean {
  const store = state.stores.get('events') as EventsStore | undefined
  if (!store) return false
  for (const s of store.subscriptions.values())
    if (s.datacenter === datacenter && s.topic === topic) return true
  return false
}

/** Delivers a subscription's due events in publication order until one must wait (or none is left). */
async function drain(state: MockState, store: EventsStore, sub: SubscriptionRecord): Promise<void> {
  sub.inFlight = true
  try {
    for (;;) {
      if (store.subscriptions.get(EventsStore.key(sub.datacenter, sub.id)) !== sub) return
      const head = sub.queue[0]
      if (!head) return
      const now = state.clock.now()
      if (now - head.publishedAt >= EVENT_RETENTION_MS) {
        sub.queue.shift()
        record(state, store, sub, head, {
          status: 0,
          outcome: 'dropped',
          error: `not delivered within 72 h of publication (${head.attempts} attempt(s)${head.lastError ? `, last: ${head.lastError}` : ''})`,
          signature: '',
        })
        continue
      }
      if (head.nextAttemptAt > now) return
      const material = await store.material()
      const signature = signConcurEvent(head.body, material.signingKey)
      head.attempts++
      const started = performance.now()
      // Outbound HTTP(S) with a client certificate needs Node: loaded at the first delivery.
      const { post } = await import('./post-node.js')
      const result = await post(store, material, sub.endpoint, head.body, {
        'content-type': 'application/json',
        [CONCUR_SIGNATURE_HEADER]: signature,
        [CONCUR_CORRELATION_HEADER]: String(head.envelope.correlationId),
      })
      const latencyMs = Math.round((performance.now() - started) * 100) / 100
      if (store.subscriptions.get(EventsStore.key(sub.datacenter, sub.id)) !== sub) return
      if (result.status >= 200 && result.status < 300) {
        sub.queue.shift()
        record(state, store, sub, head, { status: result.status, outcome: 'delivered', signature, latencyMs })
      } else if (!isRetriedStatus(result.status)) {
        sub.queue.shift()
        record(state, store, sub, head, {
          status: result.status,
          outcome: 'refused',
          error: `HTTP ${result.status}: not retried`,
          signature,
          latencyMs,
        })
      } else {
        head.lastError = result.error ?? `HTTP ${result.status}`
        head.nextAttemptAt = state.clock.now() + retryDelayMs(head.attempts)
        record(state, store, sub, head, {
          status: result.status,
          outcome: 'retry',
          error: head.lastError,
          nextAttemptAt: new Date(head.nextAttemptAt).toISOString(),
          signature,
          latencyMs,
        })
      }
    }
  } finally {
    sub.inFlight = false
  }
}

function record(
  state: MockState,
  store: EventsStore,
  sub: SubscriptionRecord,
  head: PendingDelivery,
  r: {
    status: number
    outcome: DeliveryLogEntry['outcome']
    error?: string
    nextAttemptAt?: string
    signature: string
    latencyMs?: number
  },
): void {
  const time = new Date(state.clock.now()).toISOString()
  const eventId = String(head.envelope.id)
  const eventType = String(head.envelope.eventType)
  store.addLog({
    time,
    datacenter: sub.datacenter,
    subscriptionId: sub.id,
    endpoint: sub.endpoint,
    eventId,
    eventType,
    topic: sub.topic,
    attempt: head.attempts,
    status: r.status,
    outcome: r.outcome,
    ...(r.error ? { error: r.error } : {}),
    ...(r.nextAttemptAt ? { nextAttemptAt: r.nextAttemptAt } : {}),
    body: head.body,
    signature: r.signature,
  })
  const what =
    r.outcome === 'delivered'
      ? 'delivered'
      : r.outcome === 'retry'
        ? `failed (${r.error}); retry at ${r.nextAttemptAt}`
        : r.outcome === 'refused'
          ? `refused (${r.error})`
          : `dropped: ${r.error}`
  let origin = sub.endpoint
  try {
    origin = new URL(sub.endpoint).origin
  } catch {}
  state.journal.add({
    time,
    datacenter: sub.datacenter,
    method: 'POST',
    path: r.outcome === 'dropped' ? '-' : redactPath(sub.endpoint),
    status: r.status,
    latencyMs: r.latencyMs ?? 0,
    correlationId: String(head.envelope.correlationId),
    note: `ess delivery subscription=${sub.id} event=${eventId} ${eventType} attempt ${head.attempts} → ${origin}: ${what}`,
  })
}
