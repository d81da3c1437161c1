import {
  CreateResponse,
  type DIGEST_FILTERS,
  DIGEST_PAGE_SIZE,
  InvoiceImage,
  type InvoiceVendor,
  PaymentRequest,
  type PaymentRequestCreate,
  PaymentRequestDigest,
  PaymentRequestDigestCollection,
  type PaymentRequestUpdate,
  VENDOR_PAGE_SIZE,
  VendorCollection,
  type VendorWrite,
} from '@concurkit/contract'
import type { z } from 'zod'
import { invalidArgument } from './errors.js'
import type { RawResponse, SendRequest, Transport } from './http.js'
import { parseJson, validateItem } from './parse.js'

/** The digest filters, by their documented names (`approvalStatus`, `lastModifiedDateAfter`, …; dates `YYYY-MM-DD`). */
export type DigestFilters = Partial<Record<(typeof DIGEST_FILTERS)[number]['param'], string>>

/** A vendor query: the documented filters plus `searchType`, `sortBy`, `sortDirection`. */
export type VendorQuery = Readonly<Record<string, string | undefined>>

/** An invoice image: its id, its temporary URL (15 minutes, no token) and, when downloaded, the bytes. */
export interface InvoiceImageFile {
  readonly id: string
  readonly url: string
  readonly contentType: string
  readonly bytes: Buffer
}

interface Paged {
  readonly signal?: AbortSignal
  /** Page size (`limit`): digests 1 to 1,000 (default 1,000), vendors 1 to 1,000 (default 25). */
  readonly limit?: number
}

/**
 * The Invoice APIs: Payment Request Digests v3.0, Payment Requests v3.0, Vendor v3.1 and invoice
 * images (Image v1.0). Lists follow `NextPage` to the end.
 *
 * @example
 * for await (const r of client.invoice.paymentRequests({ lastModifiedDateAfter: '2026-01-01' }))
 *   console.log(r.ID, r.InvoiceAmount, r.LineItems?.LineItem.length)
 * const image = await client.invoice.image(r.ID) // undefined when the request has none
 */
export interface InvoiceClient {
  /** Every digest matching the filters (`GET /api/v3.0/invoice/paymentrequestdigests`). */
  digests(filters?: DigestFilters, options?: Paged): AsyncIterable<PaymentRequestDigest>
  digest(id: string, options?: { signal?: AbortSignal }): Promise<PaymentRequestDigest>
  paymentRequest(id: string, options?: { signal?: AbortSignal }): Promise<PaymentRequest>
  /** Every payment request of the digests matching the filters: one GET per digest, each id once. */
  paymentRequests(filters?: DigestFilters, options?: Paged): AsyncIterable<PaymentRequest>
  /** `POST /api/v3.0/invoice/paymentrequest` → `{ID, URI}`. */
  createPaymentRequest(
    body: z.input<typeof PaymentRequestCreate>,
    options?: { signal?: AbortSignal },
  ): Promise<CreateResponse>
  /** `PUT /api/v3.0/invoice/paymentrequest` (the body's `RequestID` names it) → `{ID, URI}`. */
  updatePaymentRequest(
    body: z.input<typeof PaymentRequestUpdate>,
    options?: { signal?: AbortSignal },
  ): Promise<CreateResponse>
  /** Every vendor matching the query (`GET /api/v3.1/invoice/vendors`). */
  vendors(query?: VendorQuery, options?: Paged): AsyncIterable<InvoiceVendor>
  /** `POST` (create) or `PUT` (update) vendors; each answered vendor carries its `StatusList`. */
  writeVendors(
    mode: 'create' | 'update',
    vendors: readonly z.input<typeof VendorWrite>[],
    options?: { signal?: AbortSignal },
  ): Promise<VendorCollection>
  deleteVendor(vendorCode: string, addressCode: string, options?: { signal?: AbortSignal }): Promise<void>
  /** The invoice image of a payment request, downloaded (without a token) — undefined when it has none. */
  image(requestId: string, options?: { signal?: AbortSignal }): Promise<InvoiceImageFile | undefined>
}

const DIGESTS = '/api/v3.0/invoice/paymentrequestdigests'
const REQUEST = '/api/v3.0/invoice/paymentrequest'
const VENDORS = '/api/v3.1/invoice/vendors'

const seg = (s: string) => {
  if (typeof s !== 'string' || s === '') invalidArgument('an Invoice id must be a non-empty string')
  return encodeURIComponent(s)
}

const limitOf = (limit: number | undefined, max: number) => {
  if (limit === undefined) return undefined
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    invalidArgument(`limit must be an integer from 1 to ${max}`)
  return String(limit)
}

/** The Invoice accessor over a client's transport. */
export function invoiceClient(transport: Transport): InvoiceClient {
  const sig = (s?: AbortSignal) => (s ? { signal: s } : {})
  const send = <T>(req: SendRequest, schema: z.ZodType<T>, where: string) =>
    transport.send(req, (res: RawResponse) => validateItem(schema, parseJson(res.body), where))
  const write = (method: 'POST' | 'PUT', url: string, body: unknown, signal?: AbortSignal): SendRequest => ({
    method,
    url,
    accept: 'application/json',
    contentType: 'application/json',
    body: JSON.stringify(body),
    ...sig(signal),
  })

  async function* walk<T>(
    url: string,
    query: Record<string, string | undefined>,
    schema: z.ZodType<{ NextPage?: string | null | undefined }>,
    items: (page: never) => readonly T[],
    signal: AbortSignal | undefined,
  ): AsyncGenerator<T> {
    let next: SendRequest | undefined = { url, query, accept: 'application/json', ...sig(signal) }
    while (next) {
      const page: { NextPage?: string | null | undefined } = await send(next, schema, url)
      yield* items(page as never)
      next = page.NextPage ? { url: page.NextPage, accept: 'application/json', ...sig(signal) } : undefined
    }
  }

  const digests = (filters: DigestFilters = {}, o: Paged = {}) =>
    walk<PaymentRequestDigest>(
      DIGESTS,
      { ...filters, limit: limitOf(o.limit, DIGEST_PAGE_SIZE) },
      PaymentRequestDigestCollection,
      (p: PaymentRequestDigestCollection) => p.PaymentRequestDigest,
      o.signal,
    )
  const paymentRequest = (id: string, o: { signal?: AbortSignal } = {}) =>
    send(
      { url: `${REQUEST}/${seg(id)}`, accept: 'application/json', ...sig(o.signal) },
      PaymentRequest,
      'payment request',
    )

  return {
    digests,
    digest: (id, o = {}) =>
      send(
        { url: `${DIGESTS}/${seg(id)}`, accept: 'application/json', ...sig(o.signal) },
        PaymentRequestDigest,
        'digest',
      ),
    paymentRequest,
    async *paymentRequests(filters = {}, o = {}) {
      const seen = new Set<string>()
      for await (const d of digests(filters, o)) {
        const id = String(d.PaymentRequestId ?? d.ID ?? '')
        if (id === '' || seen.has(id)) continue
        seen.add(id)
        yield await paymentRequest(id, o)
      }
    },
    createPaymentRequest: (body, o = {}) =>
      send(write('POST', REQUEST, body, o.signal), CreateResponse, 'create response'),
    updatePaymentRequest: (body, o = {}) =>
      send(write('PUT', REQUEST, body, o.signal), CreateResponse, 'create response'),
    vendors: (query = {}, o = {}) =>
      walk<InvoiceVendor>(
        VENDORS,
        { ...query, limit: limitOf(o.limit, VENDOR_PAGE_SIZE.max) },
        VendorCollection,
        (p: VendorCollection) => p.Vendor,
        o.signal,
      ),
    writeVendors: (mode, vendors, o = {}) =>
      send(
        write(mode === 'create' ? 'POST' : 'PUT', VENDORS, { Vendor: vendors }, o.signal),
        VendorCollection,
        'vendors',
      ),
    deleteVendor: async (vendorCode, addressCode, o = {}) => {
      if (!vendorCode || !addressCode) invalidArgument('deleteVendor needs a vendorCode and an addressCode')
      await transport.send(
        { method: 'DELETE', url: VENDORS, query: { vendorCode, addressCode }, ...sig(o.signal) },
        () => undefined,
      )
    },
    async image(requestId, o = {}) {
      let answer: { found: false } | { found: true; image: InvoiceImage }
      try {
        answer = await transport.send(
          { url: `/api/image/v1.0/invoice/${seg(requestId)}`, accept: 'application/xml', ...sig(o.signal) },
          (res) => ({ found: true as const, image: imageXml(res.body) }),
        )
      } catch (err) {
        if ((err as { status?: number }).status === 404) return undefined
        throw err
      }
      if (!answer.found) return undefined
      const { Id, Url } = answer.image
      const file = await transport.send(
        { url: Url, auth: false, accept: '*/*', ...sig(o.signal) },
        (res) => ({
          contentType: String(res.headers['content-type'] ?? 'application/octet-stream'),
          bytes: res.body,
        }),
      )
      return { id: Id, url: Url, ...file }
    },
  }
}

const xmlUnescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')

/** Reads `<Image><Id/><Url/></Image>` (the `Url` XML-escaped, as Concur sends it). */
function imageXml(body: Buffer): InvoiceImage {
  const text = body.toString('utf8')
  const id = /<Id>([^<]*)<\/Id>/.exec(text)?.[1]
  const url = /<Url>([^<]*)<\/Url>/.exec(text)?.[1]
  return validateItem(
    InvoiceImage,
    { Id: id === undefined ? id : xmlUnescape(id), Url: url === undefined ? url : xmlUnescape(url) },
    'invoice image',
  )
}
