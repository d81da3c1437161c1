import {
  DIGEST_FILTERS,
  DIGEST_PAGE_SIZE,
  type FilterDefinition,
  type LineItemWrite,
  PaymentRequest,
  PaymentRequestCreate,
  PaymentRequestUpdate,
  VENDOR_FILTERS,
  VENDOR_PAGE_SIZE,
  VENDOR_SEARCH_TYPES,
  VENDOR_SORT_FIELDS,
  VendorWrite,
  VendorWriteBody,
} from '@concurkit/contract'
import { paymentRequestDigestsRow } from '@concurkit/contract/internal'
import { type Context, Hono } from 'hono'
import type { z } from 'zod'
import type { DcContext, MockEnv } from '../context.js'
import { type Dataset, userIndexOfLogin, userOf } from '../dataset/dataset.js'
import { type FilterValue, fieldMatches } from '../dataset/filters.js'
import { DAY_MS, formatV3Date, parseV3Date } from '../dataset/time.js'
import { ConcurHttpError, wantsXml } from '../http/errors.js'
import { requestHeader } from '../http/headers.js'
import { requireToken } from '../oauth/guard.js'
import type { Principal } from '../principal.js'
import type { MockState } from '../state.js'
import { parseFilters } from './engine.js'
import { money, paymentRequestId, remitAddressOf, type VendorRecord, vendorId } from './invoice-data.js'
import {
  digestOfEntry,
  findRequest,
  findVendor,
  invoiceDataset,
  invoiceStoreOf,
  nextRequestIndex,
  nextVendorIndex,
  putRequest,
  putVendor,
  type RequestCandidate,
  type RequestEntry,
  requestCandidates,
  requestCount,
  type VendorEntry,
  vendorEntries,
} from './invoice-store.js'
import { decodeOffset, encodeOffset } from './offset.js'
import { xmlDocumentV3 } from './xml.js'

/** XML namespace of the Invoice v3.0 documents (UNVERIFIED: the reference prints none). */
export const INVOICE_NAMESPACE = 'http://www.concursolutions.com/api/invoice/2012/03'
/** XML namespace of Vendor v3.1 documents (UNVERIFIED). */
export const VENDOR_NAMESPACE = 'http://www.concursolutions.com/api/invoice/vendor/2015/06'

const DIGESTS = '/api/v3.0/invoice/paymentrequestdigests'
const REQUEST = '/api/v3.0/invoice/paymentrequest'
const VENDORS = '/api/v3.1/invoice/vendors'
const XML_TYPE = 'application/xml; charset=utf-8'

/** Members of the wrapped lists: `StatusList` → `Status`, `LineItem` stays `LineItem` (repeated). */
const LIST_MEMBER: Readonly<Record<string, string>> = {
  StatusList: 'Status',
  VendorBankList: 'VendorBank',
  VendorGroupList: 'string',
}

/**
 * An Invoice record as XML content: `null` → `i:nil`, wrapper objects (`LineItems.LineItem[]`) as
 * repeated elements, `…List` arrays wrapped per member.
 */
export function invoiceXml(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return { '@_i:nil': 'true' }
  if (Array.isArray(value)) {
    const member = LIST_MEMBER[key]
    const items = value.map((v) => invoiceXml(v))
    return member ? { [member]: items } : items
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = invoiceXml(v, k)
    return out
  }
  return String(value)
}

/** Answers JSON, or the XML document `root` when `Accept` asks for XML. */
function answer(c: Context<MockEnv>, json: object, root: string, namespace: string, xml: () => object) {
  if (wantsXml(requestHeader(c, 'accept')))
    return c.body(xmlDocumentV3(root, namespace, xml() as Record<string, unknown>), 200, {
      'content-type': XML_TYPE,
    })
  return c.json(json, 200)
}

const badParam = (param: string, why: string) =>
  new ConcurHttpError(400, `Invalid value for parameter '${param}': ${why}`)

/** `limit`: an integer from 1 to `max` (`fallback` when absent). */
function limitOf(params: URLSearchParams, fallback: number, max: number): number {
  const raw = params.get('limit')
  if (raw === null) return fallback
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    throw badParam('limit', `expected an integer from 1 to ${max}`)
  return Number(raw)
}

/** Whether the principal may see a payment request: company tokens and administrators all, users their own. */
const mayRead = (p: Principal, e: RequestEntry) =>
  p.isAdmin || (e.owner !== undefined && e.owner === p.user?.index)

/** Who a digest list shows: everyone (undefined) or one user index. */
const viewerOf = (p: Principal) => (p.isAdmin ? undefined : (p.user?.index ?? -1))

/** The digest filters of a query, parsed; `submitDate…` bounds the request's `LastSubmitDate`. */
function digestMatcher(
  filters: Map<string, FilterValue>,
  viewer: number | undefined,
): (c: RequestCandidate) => boolean {
  const defs = new Map<string, FilterDefinition>(DIGEST_FILTERS.map((d) => [d.param, d]))
  const checks = [...filters].map(([param, value]) => {
    const def = defs.get(param)!
    const on = param.startsWith('submitDate') ? { ...def, field: 'LastSubmitDate' } : def
    // `…Before=YYYY-MM-DD` takes in that whole day (`…After` starts at its midnight).
    const bound = def.op === 'before' && typeof value === 'number' ? value + DAY_MS : value
    return (view: Readonly<Record<string, unknown>>) => fieldMatches(on, bound, view)
  })
  return (c) => (viewer === undefined || c.owner === viewer) && checks.every((ck) => ck(c.view))
}

const withDigestUri = (e: RequestEntry, origin: string) => ({
  ...digestOfEntry(e, origin),
  URI: `${origin}${DIGESTS}/${e.record.ID}`,
})

/**
 * The digests matching a query, in walk order from position `from`: at most `limit` of them, the
 * position of the next match (where the next page starts), and whether there is one. A user's list
 * walks only that user's requests.
 */
function digestPage(
  state: MockState,
  ds: Dataset,
  origin: string,
  viewer: number | undefined,
  match: (c: RequestCandidate) => boolean,
  from: number,
  limit: number,
) {
  const items: Record<string, unknown>[] = []
  for (const c of requestCandidates(state, ds, from, viewer)) {
    if (!match(c)) continue
    if (items.length === limit) return { items, next: c.pos, more: true }
    const d = c.digest?.(origin)
    items.push(d ? { ...d, URI: `${origin}${DIGESTS}/${String(d.ID)}` } : withDigestUri(c.entry(), origin))
  }
  return { items, next: -1, more: false }
}

/**
 * The number of digests matching a query: counted without a walk when no filter is given (every
 * request, or the viewer's), else by walking the viewer's requests (cached per write generation).
 */
function digestTotal(
  state: MockState,
  ds: Dataset,
  filters: Map<string, FilterValue>,
  viewer: number | undefined,
  match: (c: RequestCandidate) => boolean,
): number {
  if (filters.size === 0) return requestCount(state, ds, viewer)
  const key = `${viewer ?? '*'}\u001f${[...filters]
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort()
    .join('&')}`
  const store = invoiceStoreOf(state)
  const cacheKey = `${store.generation}\u001f${ds.seed}\u001f${ds.company.id}\u001f${ds.company.size}\u001f${key}`
  const hit = store.totals.get(cacheKey)
  if (hit !== undefined) return hit
  let n = 0
  for (const c of requestCandidates(state, ds, 0, viewer)) if (match(c)) n++
  if (store.totals.size >= 256) store.totals.clear()
  store.totals.set(cacheKey, n)
  return n
}

/**
 * The digests of a company in walk order as the list serves them on `origin` (filters by their
 * documented names), for the manifest and conformance.
 *
 * @example
 * for (const d of digestRecords(state, ds, origin, {})) ...
 */
export function* digestRecords(
  state: MockState,
  ds: Dataset,
  origin: string,
  filters: Record<string, string>,
): Generator<Record<string, unknown>> {
  const parsed = parseFilters(paymentRequestDigestsRow.filters, new URLSearchParams(filters), [])
  const match = digestMatcher(parsed, undefined)
  for (const c of requestCandidates(state, ds)) if (match(c)) yield withDigestUri(c.entry(), origin)
}

/** The payment request as served on `origin` (with `URI`). */
export const servedRequest = (e: RequestEntry, origin: string) => ({
  ...e.record,
  URI: `${origin}${REQUEST}/${e.record.ID}`,
})

async function readJson(c: Context<MockEnv>): Promise<unknown> {
  const type = (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!type.includes('json')) throw new ConcurHttpError(415, 'Send the body as application/json')
  try {
    return await c.req.json()
  } catch {
    throw new ConcurHttpError(400, 'The request body is not valid JSON')
  }
}

function validate<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const r = schema.safeParse(body)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const where = issue?.path.join('.') || (issue && 'keys' in issue ? String(issue.keys) : 'body')
  throw new ConcurHttpError(400, `Invalid field '${where}': ${issue?.message ?? 'invalid'}`)
}

/** A string field of a parsed write body, by name. */
const fieldOf = (o: object, k: string) => (o as Record<string, unknown>)[k] as string | undefined

/** Parses a decimal amount of a write body into minor units (400 naming the field when it is not one). */
function minorOf(field: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined
  if (!/^-?\d{1,12}(\.\d{1,4})?$/.test(raw))
    throw new ConcurHttpError(400, `Invalid field '${field}': not an amount`)
  return Math.round(Number(raw) * 100)
}

/** A date of a write body (`YYYY-MM-DD` or a v3.0 date-time). */
function dateOf(field: string, raw: string | undefined): string | null | undefined {
  if (raw === undefined) return undefined
  if (raw === '') return null
  const t = parseV3Date(raw)
  if (t === undefined) throw new ConcurHttpError(400, `Invalid field '${field}': expected YYYY-MM-DD`)
  return formatV3Date(t)
}

/** The line items of a write body, numbered, with allocations adding up to 100 (400 when they do not). */
function lineItemsOf(id: string, lines: readonly LineItemWrite[], decimals: number) {
  let total = 0
  let tax = 0
  const items = lines.map((l, k) => {
    const where = `LineItems.LineItem.${k}`
    const quantity = l.Quantity === undefined ? 1 : Number(l.Quantity)
    if (!Number.isFinite(quantity) || quantity <= 0)
      throw new ConcurHttpError(400, `Invalid field '${where}.Quantity': expected a positive number`)
    const unit = minorOf(`${where}.UnitPrice`, l.UnitPrice)
    const given = minorOf(`${where}.TotalPrice`, l.TotalPrice)
    const price = given ?? (unit !== undefined ? Math.round(quantity * unit) : undefined)
    if (price === undefined)
      throw new ConcurHttpError(400, `Invalid field '${where}': needs TotalPrice, or UnitPrice and Quantity`)
    const lineTax = minorOf(`${where}.Tax`, l.Tax) ?? 0
    total += price
    tax += lineTax
    const allocations = (l.Allocations ?? [{ Percentage: '100' }]).map((a, n) => {
      const pct = Number(a.Percentage ?? '')
      if (!Number.isFinite(pct) || pct <= 0 || pct > 100)
        throw new ConcurHttpError(
          400,
          `Invalid field '${where}.Allocations.Allocation.${n}.Percentage': expected 0 < % ≤ 100`,
        )
      return {
        AllocationAccountCode: a.Custom01 ?? null,
        Percentage: String(pct),
        IsTestUser: 'false',
        ...Object.fromEntries(
          Array.from({ length: 20 }, (_, c) => [
            `Custom${c + 1}`,
            fieldOf(a, `Custom${String(c + 1).padStart(2, '0')}`) ?? null,
          ]),
        ),
      }
    })
    const sum = allocations.reduce((s, a) => s + Number(a.Percentage), 0)
    if (Math.abs(sum - 100) > 1e-9)
      throw new ConcurHttpError(
        400,
        `Invalid field '${where}.Allocations': the percentages add up to ${sum}, not 100`,
      )
    return {
      LineItemId: `${id}-${k + 1}`,
      RequestLineItemNumber: String(k + 1),
      Description: l.Description ?? null,
      ExpenseTypeCode: l.ExpenseTypeCode ?? null,
      Quantity: String(quantity),
      UnitPrice: unit === undefined ? null : money(unit, decimals),
      TotalPrice: money(price, decimals),
      Tax: money(lineTax, decimals),
      TaxCode: l.TaxCode ?? null,
      TaxCode2: l.TaxCode2 ?? null,
      TaxCode3: l.TaxCode3 ?? null,
      TaxCode4: l.TaxCode4 ?? null,
      VatAmount: l.VatAmount ?? null,
      VatAmountTwo: l.VatAmountTwo ?? null,
      VatAmountThree: l.VatAmountThree ?? null,
      VatAmountFour: l.VatAmountFour ?? null,
      VatRate: l.VatRate ?? null,
      VatRateTwo: l.VatRateTwo ?? null,
      VatRateThree: l.VatRateThree ?? null,
      VatRateFour: l.VatRateFour ?? null,
      AmountWithoutVat: l.AmountWithoutVat ?? money(price, decimals),
      ApprovedLineItemAmount: null,
      RequestedLineItemAmount: money(price, decimals),
      PurchaseOrderNumber: l.PurchaseOrderNumber ?? null,
      MatchedPurchaseOrderLineItemId: null,
      IsMatched: 'false',
      AllocationStatus: 'Allocated',
      DeliverySlipNumber: null,
      LineItemIsTestUser: 'false',
      ShipFromPostalCode: l.ShipFromPostalCode ?? null,
      ShipToPostalCode: l.ShipToPostalCode ?? null,
      SupplierPartId: l.SupplierPartId ?? null,
      UnitOfMeasure: l.UnitOfMeasure ?? null,
      ...Object.fromEntries(
        Array.from({ length: 20 }, (_, c) => [
          `Custom${c + 1}`,
          fieldOf(l, `Custom${String(c + 1).padStart(2, '0')}`) ?? null,
        ]),
      ),
      Allocations: { Allocation: allocations },
    }
  })
  return { items, total, tax }
}

/**
 * Write fields the mock sets itself rather than copying: dates are parsed, amounts recomputed, line
 * items rebuilt, `CustomNN` renamed `CustomN` (see `applyWrite`); `IsInvoiceConfirmed` stays as
 * the mock keeps it.
 */
const COMPUTED = new Set([
  'InvoiceDate',
  'InvoiceReceivedDate',
  'PaymentDueDate',
  'InvoiceAmount',
  'AmountWithoutVat',
  'ShippingAmount',
  'TaxAmount',
  'LineItems',
  'IsInvoiceConfirmed',
])

/**
 * Header fields a write copies as they are: the fields of a payment request (`PaymentRequest`)
 * that its write bodies (`PaymentRequestUpdate`, which `PaymentRequestCreate` shares) carry under
 * the same name, in the record's order, but those computed.
 */
const COPIED = Object.keys(PaymentRequest.shape).filter(
  (k) => k in PaymentRequestUpdate.shape && !COMPUTED.has(k) && !/^Custom\d+$/.test(k),
)

type WriteBody = z.output<typeof PaymentRequestCreate> | z.output<typeof PaymentRequestUpdate>

/** Applies a POST/PUT body to a payment request record (amounts recomputed from its line items). */
function applyWrite(
  base: Record<string, unknown>,
  body: WriteBody,
  vendor: VendorRecord | undefined,
  id: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  const b = body as unknown as Record<string, string | undefined>
  for (const k of COPIED) if (b[k] !== undefined) out[k] = b[k]
  for (let c = 1; c <= 24; c++) {
    const v = b[`Custom${String(c).padStart(2, '0')}`]
    if (v !== undefined) out[`Custom${c}`] = v
  }
  if (body.PurchaseOrderId !== undefined) out.PurchaseOrderNumber = body.PurchaseOrderId
  for (const [field, key] of [
    ['InvoiceDate', 'InvoiceDate'],
    ['InvoiceReceivedDate', 'InvoiceReceivedDate'],
    ['PaymentDueDate', 'PaymentDueDate'],
  ] as const) {
    const d = dateOf(field, body[key])
    if (d !== undefined) out[field] = d
  }
  if (vendor) {
    const remit = remitAddressOf(vendor, null)
    out.VendorRemitAddress = remit
    out.VendorShipFromAddress = remit
    out.PaymentMethod = vendor.PaymentMethodType ?? out.PaymentMethod ?? null
    out.CurrencyCode = b.CurrencyCode ?? vendor.CurrencyCode ?? out.CurrencyCode ?? null
  }
  const decimals = out.CurrencyCode === 'JPY' ? 0 : 2
  const shipping = minorOf('ShippingAmount', body.ShippingAmount)
  if (shipping !== undefined) out.ShippingAmount = money(shipping, decimals)
  if (body.LineItems !== undefined) {
    const { items, total, tax } = lineItemsOf(id, body.LineItems, decimals)
    out.LineItems = { LineItem: items }
    out.LineItemTotalAmount = money(total, decimals)
    const taxAmount = minorOf('TaxAmount', body.TaxAmount) ?? tax
    out.TaxAmount = money(taxAmount, decimals)
  } else if (body.TaxAmount !== undefined) {
    out.TaxAmount = money(minorOf('TaxAmount', body.TaxAmount)!, decimals)
  }
  const invoice = minorOf('InvoiceAmount', body.InvoiceAmount)
  if (invoice !== undefined) {
    out.InvoiceAmount = money(invoice, decimals)
    out.CalculatedAmount = money(invoice, decimals)
    out.AmountWithoutVat = body.AmountWithoutVat ?? money(invoice, decimals)
  }
  return out
}

/** The vendor a write names (400 when none matches). */
function vendorOfWrite(state: MockState, ds: Dataset, body: WriteBody): VendorRecord | undefined {
  const id = body.VendorRemitToIdentifier
  if (!id) return undefined
  if (id.VendorCode !== undefined) {
    const found = findVendor(state, ds, id.VendorCode, id.AddressCode)
    if (!found)
      throw new ConcurHttpError(400, `Invalid field 'VendorRemitToIdentifier': no vendor '${id.VendorCode}'`)
    return found.record
  }
  for (const e of vendorEntries(state, ds)) {
    const r = e.record
    if (
      r.VendorName?.toLowerCase() === id.Name?.toLowerCase() &&
      r.Address1?.toLowerCase() === id.Address1?.toLowerCase() &&
      r.PostalCode === id.PostalCode
    )
      return r
  }
  throw new ConcurHttpError(
    400,
    "Invalid field 'VendorRemitToIdentifier': no vendor with that name and address",
  )
}

/** The employee a write names (`EmployeeLoginId`), else the calling user. */
function ownerOfWrite(ds: Dataset, p: Principal, body: WriteBody): number | undefined {
  if (body.EmployeeLoginId !== undefined) {
    const u = userIndexOfLogin(ds, body.EmployeeLoginId)
    if (u === undefined)
      throw new ConcurHttpError(400, `Invalid field 'EmployeeLoginId': no user '${body.EmployeeLoginId}'`)
    if (!p.isAdmin && u !== p.user?.index)
      throw new ConcurHttpError(
        403,
        'Forbidden Request: only administrators may file invoices for other users',
      )
    return u
  }
  return p.user?.index
}

/** `{"ID","URI"}` (CreateResponse), JSON or XML. */
function createResponse(c: Context<MockEnv>, id: string) {
  const body = { ID: id, URI: `${new URL(c.req.url).origin}${REQUEST}/${id}` }
  return answer(c, body, 'CreateResponse', INVOICE_NAMESPACE, () => body)
}

/** A text filter of the vendor list, matched as `searchType` says (case-insensitive). */
function textMatch(searchType: string, actual: string | null | undefined, wanted: string): boolean {
  if (actual === null || actual === undefined) return false
  const a = actual.toLowerCase()
  const w = wanted.toLowerCase()
  switch (searchType) {
    case 'begins':
      return a.startsWith(w)
    case 'contains':
      return a.includes(w)
    case 'ends':
      return a.endsWith(w)
    default:
      return a === w
  }
}

/** The vendors matching a vendor query, sorted as asked (every filter, `searchType`, `sortBy`, `sortDirection`). */
export function vendorQuery(state: MockState, ds: Dataset, params: URLSearchParams): VendorEntry[] {
  const defs = new Map<string, FilterDefinition>(VENDOR_FILTERS.map((d) => [d.param, d]))
  const reserved = ['limit', 'offset', 'sortBy', 'sortDirection', 'searchType']
  for (const k of params.keys())
    if (!reserved.includes(k) && !defs.has(k)) throw new ConcurHttpError(400, `Unknown parameter '${k}'`)
  const searchType = (params.get('searchType') ?? 'exact').toLowerCase()
  if (!(VENDOR_SEARCH_TYPES as readonly string[]).includes(searchType))
    throw badParam('searchType', `expected one of ${VENDOR_SEARCH_TYPES.join(', ')}`)
  const sortBy = params.get('sortBy')
  const sortField =
    sortBy === null ? undefined : VENDOR_SORT_FIELDS.find((f) => f.toLowerCase() === sortBy.toLowerCase())
  if (sortBy !== null && !sortField)
    throw badParam('sortBy', `expected one of ${VENDOR_SORT_FIELDS.join(', ')}`)
  const dirRaw = (params.get('sortDirection') ?? 'asc').toLowerCase()
  if (dirRaw !== 'asc' && dirRaw !== 'desc') throw badParam('sortDirection', 'expected asc or desc')
  const checks: ((r: VendorRecord) => boolean)[] = []
  for (const [param, def] of defs) {
    const raw = params.get(param)
    if (raw === null) continue
    if (raw.length === 0 || raw.length > 255) throw badParam(param, 'expected 1 to 255 characters')
    const field = def.param === 'approved' ? 'Approved' : def.field!
    if (def.type === 'boolean') {
      const v = raw.toLowerCase()
      if (v !== 'true' && v !== 'false') throw badParam(param, 'expected true or false')
      checks.push((r) => String(r[field as keyof VendorRecord] ?? '').toLowerCase() === v)
    } else if (def.type === 'enum') {
      if (!def.values?.includes(raw.toUpperCase()))
        throw badParam(param, `expected one of ${def.values?.join(', ')}`)
      checks.push((r) => r[field as keyof VendorRecord] === raw.toUpperCase())
    } else {
      checks.push((r) => textMatch(searchType, r[field as keyof VendorRecord] as string | null, raw))
    }
  }
  const rows = [...vendorEntries(state, ds)].filter((e) => checks.every((ck) => ck(e.record)))
  const dir = dirRaw === 'desc' ? -1 : 1
  if (sortField) {
    rows.sort((a, b) => {
      const x = String(a.record[sortField] ?? '').toLowerCase()
      const y = String(b.record[sortField] ?? '').toLowerCase()
      return (x < y ? -1 : x > y ? 1 : a.index - b.index) * dir
    })
  } else if (dir === -1) rows.reverse()
  return rows
}

/** A vendor as served on `origin`: `URI` names it by its codes. */
export const servedVendor = (r: VendorRecord, origin: string) => ({
  ...r,
  URI: `${origin}${VENDORS}?vendorCode=${encodeURIComponent(r.VendorCode ?? '')}&addressCode=${encodeURIComponent(r.AddressCode ?? '')}`,
})

/**
 * The Invoice routes of one datacenter: Payment Request Digests v3.0 (`offset`, `limit` default and
 * maximum 1,000, every documented filter, `PaymentRequestDigest` + `Items` + `NextPage` + `TotalCount`),
 * Payment Requests v3.0 (GET by id, POST, PUT) and Vendor v3.1 (list with `searchType`, sorting and
 * filters; POST, PUT, DELETE). Scopes `INVPMT` and `INVVEN`; JSON or XML by `Accept`.
 *
 * @example
 * app.route('/', invoiceRoutes(ctx)) // GET /api/v3.0/invoice/paymentrequestdigests
 */
export function invoiceRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const { state } = ctx
  const pmt = requireToken(ctx, 'INVPMT')
  const ven = requireToken(ctx, 'INVVEN')
  const dsOf = (c: Context<MockEnv>) => invoiceDataset(state, c.get('principal').company)

  app.get(DIGESTS, pmt, (c) => {
    const url = new URL(c.req.url)
    const params = url.searchParams
    const p = c.get('principal')
    const ds = dsOf(c)
    const limit = limitOf(params, DIGEST_PAGE_SIZE, DIGEST_PAGE_SIZE)
    let from = 0
    const rawOffset = params.get('offset')
    if (rawOffset !== null) {
      const pos = decodeOffset(state.options.seed, p.company.id, 'payment-request-digests', rawOffset)
      if (pos === undefined) throw badParam('offset', 'not an offset this API returned')
      from = pos
    }
    const filters = parseFilters(DIGEST_FILTERS, params, ['limit', 'offset'])
    const viewer = viewerOf(p)
    const match = digestMatcher(filters, viewer)
    const page = digestPage(state, ds, url.origin, viewer, match, from, limit)
    const total = digestTotal(state, ds, filters, viewer, match)
    let nextPage: string | null = null
    if (page.more) {
      const next = new URL(url.toString())
      next.searchParams.set(
        'offset',
        encodeOffset(state.options.seed, p.company.id, 'payment-request-digests', page.next),
      )
      nextPage = next.toString()
    }
    return answer(
      c,
      { PaymentRequestDigest: page.items, Items: page.items, NextPage: nextPage, TotalCount: total },
      'PaymentRequestDigestCollection',
      INVOICE_NAMESPACE,
      () => ({
        Items: { PaymentRequestDigest: page.items.map((i) => invoiceXml(i)) },
        NextPage: nextPage ?? { '@_i:nil': 'true' },
        TotalCount: String(total),
      }),
    )
  })

  /** The payment request of a path id the caller may read (404 unknown, 403 another user's). */
  const readable = (c: Context<MockEnv>, id: string): RequestEntry => {
    const e = findRequest(state, dsOf(c), id)
    if (!e) throw new ConcurHttpError(404, 'The requested resource was not found')
    if (!mayRead(c.get('principal'), e))
      throw new ConcurHttpError(403, 'Forbidden Request: the payment request belongs to another user')
    return e
  }

  app.get(`${DIGESTS}/:id`, pmt, (c) => {
    const e = readable(c, c.req.param('id'))
    const origin = new URL(c.req.url).origin
    const d = withDigestUri(e, origin)
    return answer(c, d, 'PaymentRequestDigest', INVOICE_NAMESPACE, () => invoiceXml(d) as object)
  })

  app.get(`${REQUEST}/:id`, pmt, (c) => {
    const e = readable(c, c.req.param('id'))
    const item = servedRequest(e, new URL(c.req.url).origin)
    return answer(c, item, 'PaymentRequest', INVOICE_NAMESPACE, () => invoiceXml(item) as object)
  })

  app.post(REQUEST, pmt, async (c) => {
    const body = validate(PaymentRequestCreate, await readJson(c))
    const p = c.get('principal')
    const ds = dsOf(c)
    const vendor = vendorOfWrite(state, ds, body)
    const owner = ownerOfWrite(ds, p, body)
    const index = nextRequestIndex(state, ds)
    const id = paymentRequestId(ds, index)
    const now = state.clock.now()
    const user = owner === undefined ? undefined : userOf(ds, owner)
    const base: Record<string, unknown> = {
      ID: id,
      ApprovalStatus: 'A_NOTF',
      PaymentStatus: 'P_NOTP',
      EmployeeName: user ? `${user.lastName}, ${user.firstName}` : null,
      CreatedByUsername: user?.loginId ?? null,
      UserCreationDate: formatV3Date(now),
      InvoiceReceivedDate: formatV3Date(now),
      ShippingAmount: '0.00',
      TaxAmount: '0.00',
      LineItemTotalAmount: '0.00',
      PaidAmount: '0.00',
      TotalApprovedAmount: '0.00',
      IsPaymentRequestDeleted: 'false',
      IsPaymentRequestDuplicate: 'false',
      IsTestTransaction: 'false',
      IsAssigned: 'false',
      LineItems: { LineItem: [] },
    }
    const record = applyWrite(base, body, vendor, id)
    putRequest(state, ds, {
      index,
      record: record as RequestEntry['record'],
      lastModified: now,
      owner,
      ownerLogin: user?.loginId ?? null,
      seededImage: false,
    })
    return createResponse(c, id)
  })

  app.put(REQUEST, pmt, async (c) => {
    const body = validate(PaymentRequestUpdate, await readJson(c))
    const p = c.get('principal')
    const ds = dsOf(c)
    const e = readable(c, body.RequestID)
    const vendor = vendorOfWrite(state, ds, body)
    const owner = body.EmployeeLoginId !== undefined ? ownerOfWrite(ds, p, body) : e.owner
    const user = owner === undefined ? undefined : userOf(ds, owner)
    const record = applyWrite(e.record as Record<string, unknown>, body, vendor, String(e.record.ID))
    if (owner !== e.owner) {
      record.EmployeeName = user ? `${user.lastName}, ${user.firstName}` : null
    }
    putRequest(state, ds, {
      ...e,
      record: record as RequestEntry['record'],
      lastModified: Math.max(state.clock.now(), e.lastModified + 1),
      owner,
      ownerLogin: user?.loginId ?? null,
    })
    return createResponse(c, String(e.record.ID))
  })

  app.get(VENDORS, ven, (c) => {
    const url = new URL(c.req.url)
    const params = url.searchParams
    const p = c.get('principal')
    const limit = limitOf(params, VENDOR_PAGE_SIZE.default, VENDOR_PAGE_SIZE.max)
    let from = 0
    const rawOffset = params.get('offset')
    if (rawOffset !== null) {
      const pos = decodeOffset(state.options.seed, p.company.id, 'invoice-vendors', rawOffset)
      if (pos === undefined) throw badParam('offset', 'not an offset this API returned')
      from = pos
    }
    const rows = vendorQuery(state, dsOf(c), params)
    const items = rows.slice(from, from + limit).map((e) => servedVendor(e.record, url.origin))
    let nextPage: string | null = null
    if (from + limit < rows.length) {
      const next = new URL(url.toString())
      next.searchParams.set(
        'offset',
        encodeOffset(state.options.seed, p.company.id, 'invoice-vendors', from + limit),
      )
      nextPage = next.toString()
    }
    return answer(
      c,
      { Vendor: items, Items: items, NextPage: nextPage, TotalCount: rows.length, RequestRunSummary: null },
      'VendorCollection',
      VENDOR_NAMESPACE,
      () => ({
        Items: { Vendor: items.map((i) => invoiceXml(i)) },
        NextPage: nextPage ?? { '@_i:nil': 'true' },
        TotalCount: String(rows.length),
      }),
    )
  })

  /** POST creates, PUT updates; each vendor gets its own status (a bad one does not stop the others). */
  const writeVendors = (mode: 'create' | 'update') => async (c: Context<MockEnv>) => {
    const { Vendor } = validate(VendorWriteBody, await readJson(c))
    const ds = dsOf(c)
    const origin = new URL(c.req.url).origin
    let ok = 0
    const out = Vendor.map((raw, k) => {
      const status = (code: number, type: 'INFO' | 'ERROR', message: string) => [
        { Code: code, Message: message, RecordNumber: k + 1, Type: type },
      ]
      const r = VendorWrite.safeParse(raw)
      if (!r.success) {
        const issue = r.error.issues[0]
        const where = issue?.path.join('.') || (issue && 'keys' in issue ? String(issue.keys) : 'vendor')
        const echo = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}
        return {
          VendorCode: typeof echo.VendorCode === 'string' ? echo.VendorCode : null,
          AddressCode: typeof echo.AddressCode === 'string' ? echo.AddressCode : null,
          StatusList: status(400, 'ERROR', `Invalid field '${where}': ${issue?.message ?? 'invalid'}`),
        }
      }
      const v = r.data
      const existing = findVendor(state, ds, v.VendorCode, v.AddressCode)
      if (mode === 'create' && existing)
        return {
          VendorCode: v.VendorCode,
          AddressCode: v.AddressCode,
          StatusList: status(400, 'ERROR', 'The vendor already exists'),
        }
      if (mode === 'update' && !existing)
        return {
          VendorCode: v.VendorCode,
          AddressCode: v.AddressCode,
          StatusList: status(404, 'ERROR', 'The vendor was not found'),
        }
      const index = existing?.index ?? nextVendorIndex(state, ds)
      const base: Record<string, unknown> = existing
        ? { ...existing.record }
        : {
            ...Object.fromEntries(
              Object.keys(VendorWrite.shape).map((key) => [key, key === 'VendorGroupList' ? [] : null]),
            ),
            ID: vendorId(ds, index),
            Approved: 'true',
            VendorBankList: [],
          }
      const record = { ...base, ...v, StatusList: [] } as VendorRecord
      putVendor(state, ds, index, record)
      ok++
      return {
        ...servedVendor(record, origin),
        StatusList: status(200, 'INFO', mode === 'create' ? 'Vendor created' : 'Vendor updated'),
      }
    })
    const summary = `Total: ${Vendor.length}, Succeeded: ${ok}, Failed: ${Vendor.length - ok}`
    return answer(
      c,
      { Vendor: out, Items: out, NextPage: null, TotalCount: out.length, RequestRunSummary: summary },
      'VendorCollection',
      VENDOR_NAMESPACE,
      () => ({
        Items: { Vendor: out.map((i) => invoiceXml(i)) },
        RequestRunSummary: summary,
        TotalCount: String(out.length),
      }),
    )
  }
  const requireAdmin = (c: Context<MockEnv>) => {
    if (!c.get('principal').isAdmin)
      throw new ConcurHttpError(
        403,
        'Forbidden Request: vendor writes need a company token or an administrator',
      )
  }
  app.post(VENDORS, ven, async (c) => {
    requireAdmin(c)
    return writeVendors('create')(c)
  })
  app.put(VENDORS, ven, async (c) => {
    requireAdmin(c)
    return writeVendors('update')(c)
  })
  app.delete(VENDORS, ven, (c) => {
    requireAdmin(c)
    const vendorCode = c.req.query('vendorCode')
    const addressCode = c.req.query('addressCode')
    if (!vendorCode) throw badParam('vendorCode', 'required')
    if (!addressCode) throw badParam('addressCode', 'required')
    const ds = dsOf(c)
    const found = findVendor(state, ds, vendorCode, addressCode)
    if (!found) throw new ConcurHttpError(404, 'The vendor was not found')
    putVendor(state, ds, found.index, null)
    const type = wantsXml(requestHeader(c, 'accept')) ? XML_TYPE : 'application/json'
    return c.body(null, 200, { 'content-type': type, 'content-length': '0' })
  })
  return app
}
