import type { MockCompany } from '../companies.js'
import { type Dataset, datasetOf, userOf } from '../dataset/dataset.js'
import { formatV3Date } from '../dataset/time.js'
import type { MockState } from '../state.js'
import {
  digestOf,
  type PaymentRequestRecord,
  paymentRequestAt,
  paymentRequestCount,
  paymentRequestIndex,
  requestCore,
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
 * A payment request as the digest list filters it: the digest's filterable fields (plus the
 * request's `LastSubmitDate`) and its owner, computed cheaply (no Faker) for seeded requests; the
 * full entry only when asked for.
 */
export interface RequestCandidate {
  readonly view: Readonly<Record<string, unknown>>
  readonly owner: number | undefined
  entry(): RequestEntry
}

const dateOrNull = (ms: number | null) => (ms === null ? null : formatV3Date(ms))

/** The filterable view of an entry (patched or created requests). */
export function viewOfEntry(e: RequestEntry): Record<string, unknown> {
  return {
    ...digestOf(e.record, e.lastModified, e.ownerLogin, ''),
    LastSubmitDate: e.record.LastSubmitDate ?? null,
  }
}

/** Every payment request of a company in walk order as candidates, from position `from`. */
export function* requestCandidates(state: MockState, ds: Dataset, from = 0): Generator<RequestCandidate> {
  const w = invoiceStoreOf(state).companies.get(ds.company.id)
  const seeded = paymentRequestCount(ds)
  for (let i = from; i < seeded; i++) {
    const patched = w?.patchedRequests.get(i)
    if (patched) {
      yield { view: viewOfEntry(patched), owner: patched.owner, entry: () => patched }
      continue
    }
    const core = requestCore(ds, i)
    const view = {
      ApprovalStatusCode: core.approval,
      PaymentStatusCode: core.payment,
      InvoiceNumber: core.invoiceNumber,
      PaymentMethod: vendorAt(ds, core.vendor).PaymentMethodType ?? null,
      CreateDate: formatV3Date(core.created),
      UserDefinedDate: formatV3Date(core.invoiceDate),
      PaidDate: dateOrNull(core.paid),
      LastModifiedDate: formatV3Date(core.lastModified),
      ExtractedDate: dateOrNull(core.extracted),
      LastSubmitDate: dateOrNull(core.submitted),
    }
    yield { view, owner: core.owner, entry: () => seededRequest(ds, i) }
  }
  if (w)
    for (const e of w.createdRequests.slice(Math.max(0, from - seeded)))
      yield { view: viewOfEntry(e), owner: e.owner, entry: () => e }
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
