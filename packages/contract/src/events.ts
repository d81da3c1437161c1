import type { KeyObject } from 'node:crypto'
import { z } from 'zod'
import { requireNodeCrypto } from './node-crypto.js'

/**
 * The Event Subscription Service (ESS) v4: topics, scopes, the management API bodies, the event
 * envelope and its facts, and the delivery signature. Reference §6 (PD:api-reference/ess/
 * v4.event-subscription.markdown, PD:event-topics/*).
 */

/** The scope every ESS management call needs (App JWT from `client_credentials`). */
export const EVENTS_TOPIC_READ = 'events.topic.read'

/**
 * The documented topics: their event types and the resource scopes an app needs (beyond
 * `events.topic.read`) to see and subscribe to them (reference §6.4).
 *
 * @example
 * EVENT_TOPICS['public.concur.expense.report'].eventTypes // ['reportCreated', …]
 */
export const EVENT_TOPICS = {
  'public.concur.expense.report': {
    eventTypes: ['reportCreated', 'reportUpdated', 'reportDeleted', 'statusChanged'],
    scopes: ['expense.report.read', 'expense.report.readwrite'],
  },
  'public.concur.user.provisioning': {
    eventTypes: ['provisionCompleted'],
    scopes: ['user.provision.read'],
  },
  'public.concur.request': {
    eventTypes: [
      'statusChange.APPROVED',
      'statusChange.CANCELED',
      'statusChange.SENTBACK',
      'statusChange.PENDING.TMC',
      'statusChange.PENDING.RequestManager',
      'statusChange.PENDING.RequestAuditor',
      'statusChange.PENDING.CostObjectApprover',
      'statusChange.PENDING.AuthorizedApprover',
      'statusChange.PENDING.BudgetManager',
      'statusChange.PENDING.RiskManager',
      'statusChange.PENDING.RequestAdministrator',
      'statusChange.PENDING.ExternalValidation',
    ],
    scopes: ['travelrequest.write'],
  },
  'public.concur.travel.itinerary': {
    eventTypes: [
      'ItineraryCreated',
      'ItineraryUpdated',
      'ItineraryCancelled',
      'ItineraryDeleted',
      'ItineraryAnonymized',
    ],
    scopes: ['travel.itinerary.read'],
  },
  'public.concur.user.profile.identity': {
    eventTypes: ['IdentityProfileCreated', 'IdentityProfileUpdated', 'IdentityProfileDeleted'],
    scopes: ['identity.user.event.read'],
  },
  'public.concur.user.profile.spend': {
    eventTypes: ['SpendProfileCreated', 'SpendProfileUpdated', 'SpendProfileDeleted'],
    scopes: ['spend.user.event.read'],
  },
  'public.concur.user.travel.profile': {
    eventTypes: ['TravelProfileCreated', 'TravelProfileUpdated', 'TravelProfileDeleted'],
    scopes: ['travel.profile.user.event.read', 'travel.user.event.read'],
  },
  'public.concur.travel.book': {
    eventTypes: ['travelBookingCompleted', 'travelBookingUpdated'],
    scopes: ['travel.trips.booking.read'],
  },
  'concur.travel.search': {
    eventTypes: ['travelSearchAir', 'travelSearchHotel'],
    scopes: ['travelrequest.write'],
  },
  'public.concur.document.tax.compliance': {
    eventTypes: ['MX.compliance', 'PL.compliance'],
    scopes: ['document.tax.compliance.read'],
  },
  'public.concur.financialintegration': {
    eventTypes: [
      'expense.readyForIntegration',
      'invoice.readyForIntegration',
      'payroll.readyForIntegration',
      'cashadvance.readyForIntegration',
      'requestObligation.readyForIntegration',
      'reportObligation.readyForIntegration',
    ],
    scopes: ['FISVC'],
  },
  'public.concur.spend.accountingintegration': {
    eventTypes: [
      'data.statusUpdated',
      'mapping.updated',
      'listMapping.created',
      'listMapping.deleted',
      'data.resetRequested',
    ],
    scopes: ['spend.accountingintegration.read'],
  },
} as const satisfies Record<string, { eventTypes: readonly string[]; scopes: readonly string[] }>

/** A documented ESS topic name. */
export const EventTopic = z.enum(Object.keys(EVENT_TOPICS) as [keyof typeof EVENT_TOPICS])
export type EventTopic = z.infer<typeof EventTopic>

/** Every resource scope of the ESS topics, plus `events.topic.read`. */
export const EVENT_SCOPES: readonly string[] = [
  EVENTS_TOPIC_READ,
  ...new Set(Object.values(EVENT_TOPICS).flatMap((t) => t.scopes)),
]

/**
 * The topics a token's scopes may read: `events.topic.read` plus one of the topic's scopes. With
 * `events.topic.read` alone the list is empty, as Concur documents.
 *
 * @example
 * topicsForScopes(['events.topic.read', 'expense.report.read']) // ['public.concur.expense.report']
 */
export function topicsForScopes(scopes: Iterable<string>): EventTopic[] {
  const held = new Set(scopes)
  if (!held.has(EVENTS_TOPIC_READ)) return []
  return EventTopic.options.filter((t) => EVENT_TOPICS[t].scopes.some((s) => held.has(s)))
}

/** `GET /events/v4/topics` answer: topic names. */
export const TopicList = z.array(z.string())
export type TopicList = z.infer<typeof TopicList>

/** A subscription id: lowercase letters, digits, `.` and `-` (globally unique). */
export const SubscriptionId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9.-]+$/, 'id: lowercase letters, numbers, "." and "-" only')

/** `webHookConfig` of a subscription. */
export const WebHookConfig = z.object({ endpoint: z.string() })

/**
 * Body of `PUT /events/v4/subscriptions/webhook` (create or update by `id`). The read-only fields
 * of a subscription (`applicationId`, `scope`, `groups`, `companyIds`) are accepted and ignored, so
 * a subscription read with GET can be sent back.
 */
export const SubscriptionPut = z.strictObject({
  id: SubscriptionId,
  topic: z.string().min(1),
  /** A regular expression on `eventType`; `.*` (default) = every event. */
  filter: z.string().optional(),
  webHookConfig: z.strictObject({ endpoint: z.url({ protocol: /^https?$/ }) }),
  applicationId: z.string().optional(),
  scope: z.string().optional(),
  groups: z.array(z.string()).optional(),
  companyIds: z.array(z.string()).optional(),
})
export type SubscriptionPut = z.infer<typeof SubscriptionPut>

/** A subscription as `GET /events/v4/subscriptions[/{id}]` answers it. */
export const Subscription = z.looseObject({
  id: z.string(),
  topic: z.string(),
  filter: z.string(),
  webHookConfig: WebHookConfig,
  applicationId: z.string(),
  scope: z.string(),
  groups: z.array(z.string()),
  companyIds: z.array(z.string()),
})
export type Subscription = z.infer<typeof Subscription>

/** `GET /events/v4/subscriptions` answer. */
export const SubscriptionList = z.array(Subscription)
export type SubscriptionList = z.infer<typeof SubscriptionList>

/** `{"message": "Subscription '…' saved successfully"}` (PUT) / `"… marked for deletion"` (DELETE). */
export const SubscriptionMessage = z.looseObject({ message: z.string() })
export type SubscriptionMessage = z.infer<typeof SubscriptionMessage>

/** The most subscriptions one application may hold (per datacenter). */
export const MAX_SUBSCRIPTIONS_PER_APP = 5

/**
 * The common envelope of every event (reference §6.3). Tolerant: topics add `subtopic`, `route`,
 * `data`, `groups`, `scopes`.
 */
export const EventEnvelope = z.looseObject({
  id: z.string(),
  correlationId: z.string(),
  eventType: z.string(),
  topic: z.string(),
  /** RFC 3339 UTC, e.g. `2021-03-18T23:11:51.034Z`. */
  timeStamp: z.string(),
  facts: z.record(z.string(), z.unknown()),
  subtopic: z.string().nullable().optional(),
  route: z.string().optional(),
  data: z.unknown().optional(),
  groups: z.unknown().optional(),
  scopes: z.unknown().optional(),
})
export type EventEnvelope = z.infer<typeof EventEnvelope>

/** Facts of every `public.concur.expense.report` event (`href` absent on `reportDeleted`). */
export const ExpenseReportFacts = z.looseObject({
  companyId: z.string(),
  userId: z.string().nullable(),
  actingUserId: z.string().nullable(),
  reportId: z.string().max(20),
  reportType: z.string(),
  lastModifiedDate: z.string(),
  href: z.string().optional(),
})
export type ExpenseReportFacts = z.infer<typeof ExpenseReportFacts>

/** The first workflow step of a `statusChanged` event. */
export const StartingStep = z.looseObject({
  roleCode: z.string(),
  stepInstances: z.array(z.looseObject({ id: z.string(), assignedUserId: z.string().nullable() })),
})

/** Facts of `statusChanged`: the report facts plus approval and payment statuses and the step. */
export const ExpenseReportStatusFacts = ExpenseReportFacts.extend({
  previousApprovalStatus: z.string(),
  currentApprovalStatus: z.string(),
  previousPaymentStatus: z.string(),
  currentPaymentStatus: z.string(),
  stepCode: z.string().nullable(),
  processId: z.string().nullable(),
  startingStep: StartingStep.nullable().optional(),
})
export type ExpenseReportStatusFacts = z.infer<typeof ExpenseReportStatusFacts>

/** Facts of `public.concur.user.provisioning` `provisionCompleted`. */
export const UserProvisioningFacts = z.looseObject({
  originator: z.string(),
  provisionId: z.string(),
  provisionStatusHref: z.string(),
  success: z.boolean(),
})
export type UserProvisioningFacts = z.infer<typeof UserProvisioningFacts>

/** Facts of `public.concur.request` (booleans are sent as strings, e.g. `"false"`). */
export const RequestFacts = z.looseObject({
  companyId: z.string(),
  id: z.string(),
  requestId: z.string(),
  href: z.string(),
  userId: z.string(),
  actingUserId: z.string().nullable(),
  status: z.string(),
  role: z.string(),
  currentApprovalStatus: z.string(),
  stepCode: z.string(),
  isClosed: z.string(),
  isTest: z.string(),
  isRecall: z.string(),
  isPaymentCardRelated: z.string(),
  policyId: z.string().optional(),
  entityId: z.string().optional(),
  recipientId: z.string().optional(),
})
export type RequestFacts = z.infer<typeof RequestFacts>

/** Facts of `public.concur.travel.itinerary` (`hrefs` absent on Deleted/Anonymized). */
export const ItineraryFacts = z.looseObject({
  id: z.string(),
  companyId: z.string(),
  userId: z.string(),
  hrefs: z.looseObject({ v4: z.string() }).optional(),
})
export type ItineraryFacts = z.infer<typeof ItineraryFacts>

/** Facts of `public.concur.user.profile.identity`. */
export const IdentityProfileFacts = z.looseObject({
  originator: z.string(),
  companyId: z.string(),
  userId: z.string(),
  userHref: z.string(),
  attributes: z.array(z.string()).nullable(),
})
export type IdentityProfileFacts = z.infer<typeof IdentityProfileFacts>

/** The facts schema of a topic (and event type), where the reference documents one. */
export function factsSchemaOf(topic: string, eventType: string): z.ZodType | undefined {
  switch (topic.replace(/^public\./, '')) {
    case 'concur.expense.report':
      return eventType === 'statusChanged' ? ExpenseReportStatusFacts : ExpenseReportFacts
    case 'concur.user.provisioning':
      return UserProvisioningFacts
    case 'concur.request':
      return RequestFacts
    case 'concur.travel.itinerary':
      return ItineraryFacts
    case 'concur.user.profile.identity':
    case 'concur.profile.identity':
      return IdentityProfileFacts
    default:
      return undefined
  }
}

/** The signature header of a delivery (HTTP header names are case-insensitive). */
export const CONCUR_SIGNATURE_HEADER = 'concur-signature'
/** The correlation id header of a delivery; reuse it on follow-up API calls. */
export const CONCUR_CORRELATION_HEADER = 'concur-correlationid'
/** The time Concur waits for a receiver's answer before it counts the attempt as failed (v4 page). */
export const EVENT_ACK_TIMEOUT_MS = 60_000
/** How long Concur retries an event from its publication before it skips it. */
export const EVENT_RETENTION_MS = 72 * 3_600_000

/**
 * Whether Concur retries a delivery that got this HTTP status: 5xx, 401, 403 and 429 are retried,
 * other 4xx are not (the event is "unexpected or incorrectly formatted"); 2xx is delivered.
 * I/O errors and timeouts (no status) are retried.
 *
 * @example
 * isRetriedStatus(503) // true
 * isRetriedStatus(400) // false
 */
export function isRetriedStatus(status: number): boolean {
  return status >= 500 || status === 401 || status === 403 || status === 429 || status < 200
}

type Bytes = string | Uint8Array
type PublicKeyInput = string | Uint8Array | KeyObject

// RSA-PSS has no synchronous Web-standard API (WebCrypto is async), so signing and verifying use
// Node's crypto, looked up when called: the `.` entry itself imports no Node built-in.
function publicKeyOf(key: PublicKeyInput): KeyObject {
  const { KeyObject, createPublicKey } = requireNodeCrypto('verifyConcurEventSignature')
  if (key instanceof KeyObject) return key.type === 'private' ? createPublicKey(key) : key
  try {
    return createPublicKey(typeof key === 'string' ? key : Buffer.from(key as Uint8Array))
  } catch (err) {
    throw new TypeError('the ESS public key is not a PEM public key (-----BEGIN PUBLIC KEY-----)', {
      cause: err,
    })
  }
}

/**
 * Signs a delivery body as the mock signs it (and as a public receiver verifies Concur's): RSA-PSS
 * (MGF1 SHA-256, maximum salt length), SHA-256, over the raw body bytes; Base64 — the value of the
 * `Concur-Signature` header. The scheme is not in Concur's documentation (reference §6.2).
 *
 * @example
 * const header = signConcurEvent(body, privateKey) // 'kQ3…=='
 */
export function signConcurEvent(rawBody: Bytes, privateKey: KeyObject | string): string {
  const { constants, createPrivateKey, sign } = requireNodeCrypto('signConcurEvent')
  const data = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey
  return sign('sha256', data, {
    key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN,
  }).toString('base64')
}

/**
 * Verifies a `Concur-Signature` header against the raw body with an ESS public key (one, or several
 * during Concur's annual key rotation): Base64 RSA-PSS/SHA-256 over the body bytes, any salt length.
 * Returns false for a missing, malformed or wrong signature; throws only for a key that is not a
 * public key.
 *
 * @example
 * import { readFileSync } from 'node:fs'
 * const ok = verifyConcurEventSignature(rawBody, req.headers['concur-signature'], readFileSync('ess.pem', 'utf8'))
 * @see https://developer.concur.com/api-reference/ess/v4.event-subscription.html
 */
export function verifyConcurEventSignature(
  rawBody: Bytes,
  header: string | readonly string[] | null | undefined,
  publicKey: PublicKeyInput | readonly PublicKeyInput[],
): boolean {
  const { constants, verify } = requireNodeCrypto('verifyConcurEventSignature')
  const keys = (Array.isArray(publicKey) ? publicKey : [publicKey]) as PublicKeyInput[]
  if (keys.length === 0) throw new TypeError('verifyConcurEventSignature needs a public key')
  const objects = keys.map(publicKeyOf)
  const value = Array.isArray(header) ? header[0] : header
  if (typeof value !== 'string') return false
  const text = value.trim()
  if (text === '' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return false
  const signature = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64')
  if (signature.length === 0) return false
  const data = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody
  for (const key of objects) {
    try {
      if (
        verify(
          'sha256',
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          signature,
        )
      )
        return true
    } catch {
      // a key of another type (EC …) cannot verify an RSA-PSS signature: try the next one
    }
  }
  return false
}
