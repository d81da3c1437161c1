import type { ImageOnlyReceiptV4, ReceiptV4, ReceiptV4Status, ReceiptV4Type } from '@concurkit/contract'
import { RECEIPTS_V4_PAGE_SIZE, receiptV4SchemaUrl } from '@concurkit/contract'
import type { Dataset } from '../dataset/dataset.js'
import { userIdOf } from '../dataset/dataset.js'
import { DAY_MS, TIMELINE_START } from '../dataset/time.js'
import type { MockState } from '../state.js'
import { hashHex, seedFrom, uuidFrom } from '../util/hash.js'

/**
 * The Receipts v4 data of the mock. Image-only receipts are seeded: user *u* of a company has
 * `seededImageOnlyCount(ds, u)` of them (0–120, a pure function of seed, company and user), received
 * two days apart from 2024-01-01. Receipts posted through the API (e-receipts and image-only) live
 * in a store cleared by reset and follow the seeded ones in a user's collection.
 *
 * A receipt id is 32 lower-case hex digits: company tag (8), user index (8), position *k* in the
 * user's collection (8; posted receipts from 0x80000000 up) and a check (8) that also binds the
 * kind, so an id names its receipt without a lookup and an id of another company does not decode.
 */

/** The two kinds of Receipts v4 receipt. */
export type ReceiptKind = 'e-receipt' | 'image-only'

/** Positions of posted receipts start here (seeded positions stay below 121). */
export const POSTED_BASE = 0x8000_0000

/** A receipt posted through the API. */
export interface PostedReceipt {
  readonly id: string
  readonly kind: ReceiptKind
  readonly companyId: string
  readonly user: number
  readonly k: number
  readonly receivedMs: number
  readonly type?: ReceiptV4Type
  readonly receipt?: Record<string, unknown>
  /** The uploaded image; e-receipts posted without one get a generated image. */
  readonly image?: { readonly type: string; readonly data: Uint8Array }
  readonly forwardId?: string
}

/** Posted receipts by id, each user's posted positions, and the forwardIds seen per client. */
export class ReceiptsV4Store {
  readonly byId = new Map<string, PostedReceipt>()
  readonly byUser = new Map<string, PostedReceipt[]>()
  readonly forwardIds = new Map<string, string>()
  reset(): void {
    this.byId.clear()
    this.byUser.clear()
    this.forwardIds.clear()
  }
}

/** The store of a mock. */
export const receiptsStoreOf = (state: MockState) => state.store('receipts-v4', () => new ReceiptsV4Store())

/** The key of a user's posted receipts of one kind. */
export const userKey = (companyId: string, user: number, kind: ReceiptKind) =>
  `${companyId}\u001f${user}\u001f${kind}`

const hex8 = (n: number) => n.toString(16).padStart(8, '0')

function check(ds: Dataset, kind: ReceiptKind, user: number, k: number): string {
  return hashHex(ds.seed, ds.company.id, 'receipts-v4', kind, user, k).slice(0, 8)
}

/** The id of position *k* of user *u*'s receipts of a kind. */
export function receiptIdOf(ds: Dataset, kind: ReceiptKind, user: number, k: number): string {
  return `${ds.tag.toLowerCase()}${hex8(user)}${hex8(k)}${check(ds, kind, user, k)}`
}

/** The user and position an id names in this company, or undefined. */
export function decodeReceiptId(
  ds: Dataset,
  kind: ReceiptKind,
  id: string,
): { user: number; k: number } | undefined {
  if (!/^[0-9a-f]{32}$/.test(id) || !id.startsWith(ds.tag.toLowerCase())) return undefined
  const user = Number.parseInt(id.slice(8, 16), 16)
  const k = Number.parseInt(id.slice(16, 24), 16)
  if (user >= ds.users || id.slice(24) !== check(ds, kind, user, k)) return undefined
  return { user, k }
}

/** How many image-only receipts user *u* has in the seeded dataset (0–120; none in an empty company). */
export function seededImageOnlyCount(ds: Dataset, user: number): number {
  if (ds.reports === 0) return 0
  return seedFrom(ds.seed, ds.company.id, 'receipts-v4-image-only-count', user) % 121
}

/** When seeded image-only receipt *k* of user *u* was received: two days apart, at a seeded time of day. */
export function seededReceivedMs(ds: Dataset, user: number, k: number): number {
  return (
    TIMELINE_START + k * 2 * DAY_MS + (seedFrom(ds.seed, ds.company.id, 'receipts-v4-at', user, k) % DAY_MS)
  )
}

/** `Wed May 24 2017 16:14:17 GMT+00:00`, the documented image-only `dateTimeReceived`. */
export function imageOnlyDate(ms: number): string {
  const [day, date, mon, year, time] = new Date(ms).toUTCString().replace(',', '').split(' ')
  return `${day} ${mon} ${date} ${year} ${time} GMT+00:00`
}

/** One receipt of a user's collection, seeded or posted. */
export interface ReceiptRef {
  readonly id: string
  readonly user: number
  readonly k: number
  readonly receivedMs: number
  readonly posted?: PostedReceipt
}

/** A user's receipts of one kind in collection order: seeded (image-only only) first, then posted. */
export function userReceipts(state: MockState, ds: Dataset, kind: ReceiptKind, user: number): ReceiptRef[] {
  const out: ReceiptRef[] = []
  if (kind === 'image-only') {
    const n = seededImageOnlyCount(ds, user)
    for (let k = 0; k < n; k++)
      out.push({ id: receiptIdOf(ds, kind, user, k), user, k, receivedMs: seededReceivedMs(ds, user, k) })
  }
  for (const p of receiptsStoreOf(state).byUser.get(userKey(ds.company.id, user, kind)) ?? [])
    out.push({ id: p.id, user, k: p.k, receivedMs: p.receivedMs, posted: p })
  return out
}

/** The receipt an id names (seeded or posted), or undefined. */
export function findReceipt(
  state: MockState,
  ds: Dataset,
  kind: ReceiptKind,
  id: string,
): ReceiptRef | undefined {
  const at = decodeReceiptId(ds, kind, id)
  if (!at) return undefined
  if (at.k < POSTED_BASE) {
    if (kind !== 'image-only' || at.k >= seededImageOnlyCount(ds, at.user)) return undefined
    return { id, user: at.user, k: at.k, receivedMs: seededReceivedMs(ds, at.user, at.k) }
  }
  const posted = receiptsStoreOf(state).byId.get(id)
  return posted && posted.kind === kind && posted.companyId === ds.company.id
    ? { id, user: at.user, k: at.k, receivedMs: posted.receivedMs, posted }
    : undefined
}

/** An image-only receipt as served. */
export function imageOnlyWire(ds: Dataset, base: string, r: ReceiptRef): ImageOnlyReceiptV4 {
  return {
    dateTimeReceived: imageOnlyDate(r.receivedMs),
    id: r.id,
    image: `${base}/receipts/v4/image-only-receipts/${r.id}/image`,
    userId: userIdOf(ds, r.user),
  }
}

/** An e-receipt as served. */
export function eReceiptWire(ds: Dataset, base: string, r: ReceiptRef): ReceiptV4 {
  return {
    dateTimeReceived: new Date(r.receivedMs).toISOString(),
    id: r.id,
    image: `${base}/receipts/v4/${r.id}/image`,
    receipt: r.posted?.receipt ?? {},
    userId: userIdOf(ds, r.user),
    validationSchema: receiptV4SchemaUrl(r.posted?.type ?? 'general'),
    self: `${base}/receipts/v4/${r.id}`,
    template: `${base}/receipts/v4/{receiptId}`,
  }
}

/** The processing status of a receipt: processed at once, its log stamped with the receipt's arrival. */
export function statusWire(kind: ReceiptKind, r: ReceiptRef): ReceiptV4Status {
  const at = (ms: number) => new Date(ms).toUTCString()
  const info = (message: string, ms: number) => ({ logLevel: 'INFO' as const, message, timestamp: at(ms) })
  const generated = kind === 'e-receipt' && !r.posted?.image
  return {
    status: 'PROCESSED',
    logs: [
      info('Receipt accepted. Queued for processing.', r.receivedMs),
      info('Initiated receipt processing.', r.receivedMs),
      ...(generated ? [info('Receipt image generated.', r.receivedMs + 1000)] : []),
      info('Processing finished.', r.receivedMs + 1000),
    ],
  }
}

/**
 * One page of a user's collection: up to 50 receipts after the position the token names, and the
 * token of the next page (`<received ms>_<last id>`, the documented shape) when more follow.
 */
export function pageOf(
  all: readonly ReceiptRef[],
  after: number | undefined,
): { rows: readonly ReceiptRef[]; next?: string } {
  const start = after === undefined ? 0 : all.findIndex((r) => r.k > after)
  const from = start < 0 ? all.length : start
  const rows = all.slice(from, from + RECEIPTS_V4_PAGE_SIZE)
  const last = rows[rows.length - 1]
  return from + rows.length < all.length && last ? { rows, next: `${last.receivedMs}_${last.id}` } : { rows }
}

const uuidIndex = new WeakMap<Dataset, Map<string, number>>()

/**
 * The index of the user with this UUID (the `sub` of their tokens) in the dataset's company, or
 * undefined. The first call per dataset hashes every user's id once (no user generation).
 *
 * @example
 * userIndexOfUuid(ds, userOf(ds, 3).id) // 3
 */
export function userIndexOfUuid(ds: Dataset, id: string): number | undefined {
  let index = uuidIndex.get(ds)
  if (!index) {
    index = new Map()
    for (let u = 0; u < ds.users; u++) index.set(uuidFrom(ds.seed, ds.company.id, 'user', u), u)
    uuidIndex.set(ds, index)
  }
  return index.get(id)
}
