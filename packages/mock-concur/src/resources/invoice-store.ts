import type { MockCompany } from '../companies.js'
import { type Dataset, datasetOf, userNameOf, userOf } from '../dataset/dataset.js'
import { formatV3Date } from '../dataset/time.js'
import type { MockState } from '../state.js'
import {
  digestOf,
  type PaymentRequestRecord,
  paymentRequestAt,
  paymentRequestCount,
  paymentRequestIndex,
  type RequestCore,
  type RequestHead,
  requestCore,
  requestHead,
  seededDigestOf,
  type VendorRecord,
  vendorAt,
  vendorCount,
  vendorIndex,
} from './invoice-data.js'

/** A payment request as the mock keeps it: the served record plus what only the digest shows. */
export interface RequestEntry {
  readonly index: number
  readonly record: PaymentRequestRecord
  /** `LastModifiedDate` of the digest (ms on the mock clock). */
  readonly lastModified: number
  /** Owner user index, when a user owns it. */
  readonly owner: number | undefined
  readonly ownerLogin: string | null
  /** Whether the seeded request has an invoice image (uploads are kept in `images`). */
  readonly seededImage: boolean
}

/** A vendor as the mock keeps it. */
export interface VendorEntry {
  readonly index: number
  readonly record: VendorRecord
}

interface CompanyWrites {
  readonly createdRequests: RequestEntry[]
  readonly patchedRequests: Map<number, RequestEntry>
  readonly images: Map<string, { readonly type: string; readonly data: Uint8Array }>
  readonly createdVendors: VendorEntry[]
  /** A replaced vendor, or `null` when deleted. */
  readonly patchedVendors: Map<number, VendorRecord | null>
}

/** The Invoice writes of a mock (payment requests, vendors, images), per company; cleared by reset. */
export class InvoiceStore {
  readonly companies = new Map<string, CompanyWrites>()
  /** Bumped on every write: cached totals are keyed on it. */
  generation = 0
  readonly totals = new Map<string, number>()
  reset(): void {
    this.companies.clear()
    this.totals.clear()
    this.generation++
  }
  of(companyId: string): CompanyWrites {
    let w = this.companies.get(companyId)
    if (!w) {
      w = {
        createdRequests: [],
        patchedRequests: new Map(),
        images: new Map(),
        createdVendors: [],
        patchedVendors: new Map(),
      }
      this.companies.set(companyId, w)
    }
    return w
  }
  touched(): void {
    this.generation++
    this.totals.clear()
  }
}

/** The Invoice store of a mock. */
export const invoiceStoreOf = (state: MockState) => state.store('invoice', () => new InvoiceStore())

/** The dataset of a company. */
export const invoiceDataset = (state: MockState, company: MockCompany): Dataset =>
  datasetOf(state.options.seed, company)

function seededRequest(ds: Dataset, i: number): RequestEntry {
  const { record, lastModified, hasImage } = paymentRequestAt(ds, i)
  const owner = i % ds.users
  return {
    index: i,
    record,
    lastModified,
    owner,
    ownerLogin: userOf(ds, owner).loginId,
    seededImage: hasImage,
  }
}

/**
 * Every payment request of a company in walk order (seeded by index, then created ones), with the
 * writes applied, from position `from`.
 */
export function* requestEntries(state: MockState, ds: Dataset, from = 0): Generator<RequestEntry> {
  const w = invoiceStoreOf(state).companies.get(ds.company.id)
  const seeded = paymentRequestCount(ds)
  for (let i = from; i < seeded; i++) yield w?.patchedRequests.get(i) ?? seededRequest(ds, i)
  if (w) for (const e of w.createdRequests.slice(Math.max(0, from - seeded))) yield e
}

/**
 * A payment request as the digest list filters it: its walk position, its owner, the digest's
 * filterable fields (plus the request's `LastSubmitDate`), computed cheaply (no Faker) for seeded
 * requests and only when read; the full entry only when asked for.
 */
export interface RequestCandidate {
  /** Position in the walk (seeded by index, then created ones): what an offset resumes at. */
  readonly pos: number
  readonly view: Readonly<Record<string, unknown>>
  readonly owner: number | undefined
  entry(): RequestEntry
  /** The digest (without `URI`) without the whole entry, for seeded requests no write changed. */
  digest?(origin: string): Record<string, unknown>
}

const dateOrNull = (ms: number | null) => (ms === null ? null : formatV3Date(ms))

/** The filterable view of an entry (patched or created requests). */
export function viewOfEntry(e: RequestEntry): Record<string, unknown> {
  return {
    ...digestOf(e.record, e.lastModified, e.ownerLogin, ''),
    LastSubmitDate: e.record.LastSubmitDate ?? null,
  }
}

/**
 * The filterable view of seeded request *i*: each field computed when a filter reads it, statuses and
 * dates from the head of its draw (no line items), the rest from its core, each drawn once on the
 * first read (a status filter formats no date and draws no vendor).
 */
class SeededView {
  #head: RequestHead | undefined
  #core: RequestCore | undefined
  constructor(
    private readonly ds: Dataset,
    private readonly i: number,
  ) {}
  private get head(): RequestHead {
    if (this.#core) return this.#core
    this.#head ??= requestHead(this.ds, this.i)
    return this.#head
  }
  private get core(): RequestCore {
    this.#core ??= requestCore(this.ds, this.i)
    return this.#core
  }
  get ApprovalStatusCode() {
    return this.head.approval
  }
  get PaymentStatusCode() {
    return this.head.payment
  }
  get InvoiceNumber() {
    return this.core.invoiceNumber
  }
  get PaymentMethod() {
    return vendorAt(this.ds, this.core.vendor).PaymentMethodType ?? null
  }
  get CreateDate() {
    return formatV3Date(this.head.created)
  }
  get UserDefinedDate() {
    return formatV3Date(this.head.invoiceDate)
  }
  get PaidDate() {
    return dateOrNull(this.head.paid)
  }
  get LastModifiedDate() {
    return formatV3Date(this.core.lastModified)
  }
  get ExtractedDate() {
    return dateOrNull(this.head.extracted)
  }
  get LastSubmitDate() {
    return dateOrNull(this.head.submitted)
  }
}

/** Seeded request *i* not changed by a write: its owner is `i mod users`, known without a draw. */
const seededCandidate = (ds: Dataset, i: number): RequestCandidate => ({
  pos: i,
  owner: i % ds.users,
  view: new SeededView(ds, i) as unknown as Readonly<Record<string, unknown>>,
  entry: () => seededRequest(ds, i),
  digest: (origin) => seededDigestOf(ds, i, userNameOf(ds, i % ds.users).loginId, origin),
})

const entryCandidate = (e: RequestEntry, pos: number): RequestCandidate => ({
  pos,
  owner: e.owner,
  view: viewOfEntry(e),
  entry: () => e,
})

/**
 * Every payment request of a company in walk order as candidates, from position `from`; with
 * `owner`, only the ones that user owns now: seeded request *i* is drawn for user `i mod users`, so
 * those are every `users`-th index (plus patched requests moved to them, less those moved away),
 * and the walk touches no other seeded request.
 */
export function* requestCandidates(
  state: MockState,
  ds: Dataset,
  from = 0,
  owner?: number,
): Generator<RequestCandidate> {
  const w = invoiceStoreOf(state).companies.get(ds.company.id)
  const seeded = paymentRequestCount(ds)
  if (owner === undefined) {
    for (let i = from; i < seeded; i++) {
      const patched = w?.patchedRequests.get(i)
      yield patched ? entryCandidate(patched, i) : seededCandidate(ds, i)
    }
  } else {
    const moved = w
      ? [...w.patchedRequests.values()]
          .filter((e) => e.owner === owner && e.index >= from)
          .map((e) => e.index)
          .sort((a, b) => a - b)
      : []
    const users = ds.users
    // The first index from `from` on that was drawn for `owner` (none for a viewer who is no user).
    let i =
      Number.isInteger(owner) && owner >= 0 && owner < users
        ? owner + Math.max(0, Math.ceil((from - owner) / users)) * users
        : seeded
    let k = 0
    while (i < seeded || k < moved.length) {
      if (k < moved.length && (i >= seeded || moved[k]! <= i)) {
        const at = moved[k++]!
        if (at === i) i += users
        yield entryCandidate(w!.patchedRequests.get(at)!, at)
        continue
      }
      // Drawn for `owner`; a patched one still theirs came from `moved`, so skip it here.
      if (!w?.patchedRequests.has(i)) yield seededCandidate(ds, i)
      i += users
    }
  }
  if (w) {
    for (let j = Math.max(0, from - seeded); j < w.createdRequests.length; j++) {
      const e = w.createdRequests[j]!
      if (owner === undefined || e.owner === owner) yield entryCandidate(e, seeded + j)
    }
  }
}

/**
 * The number of payment requests of a company, or of those `owner` owns, counted without a walk:
 * the seeded ones (each user owns every `users`-th), patched ones moved between owners, created ones.
 *
 * @example
 * requestCount(state, ds) === paymentRequestCount(ds) // before any POST
 */
export function requestCount(state: MockState, ds: Dataset, owner?: number): number {
  const w = invoiceStoreOf(state).companies.get(ds.company.id)
  const seeded = paymentRequestCount(ds)
  if (owner === undefined) return seeded + (w?.createdRequests.length ?? 0)
  const users = ds.users
  let n =
    Number.isInteger(owner) && owner >= 0 && owner < users && owner < seeded
      ? Math.floor((seeded - 1 - owner) / users) + 1
      : 0
  if (w) {
    for (const e of w.patchedRequests.values()) {
      if (e.owner === owner) n++
      if (e.index % users === owner) n--
    }
    for (const e of w.createdRequests) if (e.owner === owner) n++
  }
  return n
}

/** The payment request with this id, or undefined. */
export function findRequest(state: MockState, ds: Dataset, id: string): RequestEntry | undefined {
  const i = paymentRequestIndex(ds, id)
  if (i === undefined) return undefined
  const w = invoiceStoreOf(state).companies.get(ds.company.id)
  const seeded = paymentRequestCount(ds)
  if (i < seeded) return w?.patchedRequests.get(i) ?? seededRequest(ds, i)
  return w?.createdRequests[i - seeded]
}

/** Stores a changed payment request (seeded or created). */
export function putRequest(state: MockState, ds: Dataset, entry: RequestEntry): void {
  const store = invoiceStoreOf(state)
  const w = store.of(ds.company.id)
  const seeded = paymentRequestCount(ds)
  if (entry.index < seeded) w.patchedRequests.set(entry.index, entry)
  else w.createdRequests[entry.index - seeded] = entry
  store.touched()
}

/** The index the next created payment request gets. */
export function nextRequestIndex(state: MockState, ds: Dataset): number {
  return (
    paymentRequestCount(ds) +
    (invoiceStoreOf(state).companies.get(ds.company.id)?.createdRequests.length ?? 0)
  )
}

/** The digest of a stored payment request on `origin`. */
export function digestOfEntry(e: RequestEntry, origin: string) {
  return digestOf(e.record, e.lastModified, e.ownerLogin, origin)
}

/** Every vendor of a company (seeded by index, then created), deletions left out. */
export function* vendorEntries(state: MockState, ds: Dataset): Generator<VendorEntry> {
  const w = invoiceStoreOf(state).companies.get(ds.company.id)
  const n = vendorCount(ds)
  for (let v = 0; v < n; v++) {
    const patched = w?.patchedVendors.get(v)
    if (patched === null) continue
    yield { index: v, record: patched ?? vendorAt(ds, v) }
  }
  if (w) for (const e of w.createdVendors) if (w.patchedVendors.get(e.index) !== null) yield e
}

/** The vendor with this code and address code (case-insensitive), or undefined. */
export function findVendor(
  state: MockState,
  ds: Dataset,
  vendorCode: string,
  addressCode: string | undefined,
): VendorEntry | undefined {
  const code = vendorCode.toLowerCase()
  const address = addressCode?.toLowerCase()
  // Seeded codes are `V` + the 1-based index: look that one up first.
  const m = /^v(\d{5,})$/.exec(code)
  if (m) {
    const v = Number(m[1]) - 1
    if (v >= 0 && v < vendorCount(ds)) {
      const patched = invoiceStoreOf(state).companies.get(ds.company.id)?.patchedVendors.get(v)
      const record = patched === undefined ? vendorAt(ds, v) : patched
      if (record && (address === undefined || record.AddressCode?.toLowerCase() === address))
        return { index: v, record }
    }
  }
  for (const e of vendorEntries(state, ds)) {
    if (e.record.VendorCode?.toLowerCase() !== code) continue
    if (address === undefined || e.record.AddressCode?.toLowerCase() === address) return e
  }
  return undefined
}

/** The vendor with this id, or undefined. */
export function findVendorById(state: MockState, ds: Dataset, id: string): VendorEntry | undefined {
  const v = vendorIndex(ds, id)
  if (v === undefined) return undefined
  for (const e of vendorEntries(state, ds)) if (e.index === v) return e
  return undefined
}

/** Stores a created, changed or deleted (`null`) vendor. */
export function putVendor(state: MockState, ds: Dataset, index: number, record: VendorRecord | null): void {
  const store = invoiceStoreOf(state)
  const w = store.of(ds.company.id)
  const created = w.createdVendors.find((e) => e.index === index)
  if (created && record) w.createdVendors[w.createdVendors.indexOf(created)] = { index, record }
  else if (index >= vendorCount(ds) + w.createdVendors.length && record)
    w.createdVendors.push({ index, record })
  else w.patchedVendors.set(index, record)
  store.touched()
}

/** The index the next created vendor gets. */
export function nextVendorIndex(state: MockState, ds: Dataset): number {
  return vendorCount(ds) + (invoiceStoreOf(state).companies.get(ds.company.id)?.createdVendors.length ?? 0)
}
