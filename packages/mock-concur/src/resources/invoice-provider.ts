import { digestRecords, type ManifestEntry } from '@concurkit/contract'
import { Hono } from 'hono'
import type { MockCompany } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import { ConcurHttpError } from '../http/errors.js'
import type { MockState } from '../state.js'
import { sha256Hex } from '../util/web-crypto.js'
import {
  digestRecords as digestsOf,
  invoiceRoutes,
  servedRequest,
  servedVendor,
  vendorQuery,
} from './invoice.js'
import { invoiceImageOf, invoiceImageRoutes } from './invoice-image.js'
import { invoiceDataset, requestEntries, vendorEntries } from './invoice-store.js'
import type { RowProvider } from './row-provider.js'

/** The origin a company's records are served on (its datacenter's base URL) unless a query names one. */
const originOf = (state: MockState, company: MockCompany, origin?: string) =>
  origin ?? state.baseUrl(company.datacenter)

/**
 * The digests of a company in walk order, as the list serves them (filters by their documented names).
 *
 * @example
 * [...invoiceDigestRecords(state, company, { approvalStatus: 'A_APPR' })].length
 */
export function* invoiceDigestRecords(
  state: MockState,
  company: MockCompany,
  filters: Readonly<Record<string, string>> = {},
  origin?: string,
): Generator<Record<string, unknown>> {
  yield* digestsOf(state, invoiceDataset(state, company), originOf(state, company, origin), filters)
}

/**
 * The payment requests of a company in the order a fan-out from the digests reads them (each once).
 *
 * @example
 * [...paymentRequestRecords(state, company)].length
 */
export function* paymentRequestRecords(
  state: MockState,
  company: MockCompany,
  filters: Readonly<Record<string, string>> = {},
  at?: string,
): Generator<Record<string, unknown>> {
  const ds = invoiceDataset(state, company)
  const wanted = Object.keys(filters).length === 0 ? undefined : new Set<string>()
  if (wanted) for (const d of invoiceDigestRecords(state, company, filters)) wanted.add(String(d.ID))
  const origin = originOf(state, company, at)
  for (const e of requestEntries(state, ds)) {
    if (wanted && !wanted.has(String(e.record.ID))) continue
    yield servedRequest(e, origin)
  }
}

/**
 * The vendors of a company in the list's default order (or as a vendor query sorts and filters).
 *
 * @example
 * [...invoiceVendorRecords(state, company)].length
 */
export function* invoiceVendorRecords(
  state: MockState,
  company: MockCompany,
  filters: Readonly<Record<string, string>> = {},
  at?: string,
): Generator<Record<string, unknown>> {
  const ds = invoiceDataset(state, company)
  const origin = originOf(state, company, at)
  const rows =
    Object.keys(filters).length === 0
      ? [...vendorEntries(state, ds)]
      : vendorQuery(state, ds, new URLSearchParams(filters))
  for (const e of rows) yield servedVendor(e.record, origin)
}

/**
 * One record per invoice image of a company, in payment request order:
 * `{ PaymentRequestId, contentType, size, sha256 }` (SHA-256 of the image bytes).
 *
 * @example
 * digestRecords(invoiceImageRecords(state, company)) // what /_mock/invoice/images/manifest answers
 */
export function* invoiceImageRecords(
  state: MockState,
  company: MockCompany,
): Generator<Record<string, unknown>> {
  for (const e of requestEntries(state, invoiceDataset(state, company))) {
    const image = invoiceImageOf(state, company, e)
    if (!image) continue
    yield {
      PaymentRequestId: String(e.record.ID),
      contentType: image.type,
      size: image.data.length,
      sha256: sha256Hex(image.data),
    }
  }
}

/**
 * The Invoice family: `payment-request-digests`, `payment-requests` (fan-out from the digests) and
 * `invoice-vendors`, with every Invoice route (digests, payment requests, vendors, invoice images,
 * the image manifest).
 */
export const invoiceProvider: RowProvider = {
  names: ['payment-request-digests', 'payment-requests', 'invoice-vendors'],
  routes(ctx) {
    const app = new Hono<MockEnv>()
    app.route('/', invoiceRoutes(ctx))
    app.route('/', invoiceImageRoutes(ctx))
    app.route('/', invoiceManifestRoutes(ctx))
    return app
  },
  records({ state, company, name, filters, origin }) {
    if (name === 'payment-request-digests') return invoiceDigestRecords(state, company, filters, origin)
    if (name === 'payment-requests') return paymentRequestRecords(state, company, filters, origin)
    return invoiceVendorRecords(state, company, filters, origin)
  },
}

/**
 * `GET /_mock/invoice/images/manifest?company=` → `{count, sha256}` of `invoiceImageRecords`: what an
 * extract of every invoice image must reproduce from the downloaded bytes.
 */
export function invoiceManifestRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  app.get('/_mock/invoice/images/manifest', (c) => {
    const { state } = ctx
    const id = c.req.query('company')
    const company = id === undefined ? state.companies[0] : state.companies.find((x) => x.id === id)
    if (!company) throw new ConcurHttpError(404, `no company '${id}'`)
    const entry: ManifestEntry = digestRecords(invoiceImageRecords(state, company))
    return c.json({ company: company.id, ...entry })
  })
  return app
}
