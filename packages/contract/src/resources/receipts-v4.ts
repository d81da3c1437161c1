import { z } from 'zod'
import { defineResource } from '../registry.js'

/**
 * Receipts v4 wire shapes (`/receipts`, concur-api-v4 §9.1; swagger Receipts.swagger2.json; examples
 * `receipts-v4-*`). E-receipts are posted as JSON with a `link: <schema>;rel=describedBy` header (or
 * as a multipart form with a `receipt` part and an optional `image` part); image-only receipts as a
 * multipart form with an `image` part. Only receipts posted through this API are returned; the
 * images of final-approved reports are Spend Documents v4 / Image v1.0.
 *
 * @example
 * ImageOnlyReceiptsV4Page.parse(await res.json()).next // '…/image-only-receipts/page/<token>' | undefined
 */

/** Receipts per page of the user collections ("Maximum 50 receipts per page", swagger). */
export const RECEIPTS_V4_PAGE_SIZE = 50
/** The largest upload the API accepts: 413 "exceeded the limit of 5MB" (response-codes page). */
export const RECEIPTS_V4_MAX_BYTES = 5 * 1024 * 1024

/** The Receipts v4 scopes (production TMC apps get `receipts.writeonly`). */
export const RECEIPTS_V4_SCOPES = ['receipts.read', 'receipts.write', 'receipts.writeonly'] as const
export type ReceiptsV4Scope = (typeof RECEIPTS_V4_SCOPES)[number]

/** The e-receipt types of `GET /receipts/schemas` (`<type>-receipt.schema.json`). */
export const RECEIPT_V4_TYPES = [
  'air',
  'car-rental',
  'general',
  'ground-transport',
  'hotel',
  'jpt-ic-card',
  'rail',
] as const
export type ReceiptV4Type = (typeof RECEIPT_V4_TYPES)[number]

/** The shared schemas `GET /receipts/schemas` lists under `supportingSchemas`. */
export const RECEIPT_V4_SUPPORTING_SCHEMAS = [
  'address-original',
  'address',
  'common',
  'discount',
  'line-item',
  'location',
  'merchant',
  'payments',
  'receipt-core',
  'taxes',
] as const

/** The schema URL of an e-receipt type, e.g. `http://schema.concursolutions.com/hotel-receipt.schema.json`. */
export function receiptV4SchemaUrl(type: ReceiptV4Type): string {
  return `http://schema.concursolutions.com/${type}-receipt.schema.json`
}

const SCHEMA_URL = /^https?:\/\/schema\.concursolutions\.com\/([a-z-]+)-receipt\.schema\.json$/

/**
 * The e-receipt type a `link` request header names with `rel=describedBy`, or undefined when the
 * header is absent, malformed or names no e-receipt schema.
 *
 * @example
 * describedByType('<http://schema.concursolutions.com/hotel-receipt.schema.json>;rel=describedBy') // 'hotel'
 */
export function describedByType(header: string | undefined): ReceiptV4Type | undefined {
  if (!header) return undefined
  for (const part of header.split(',')) {
    const m = /^\s*<([^>]*)>\s*;\s*rel\s*=\s*"?describedBy"?\s*$/i.exec(part)
    const type = m ? SCHEMA_URL.exec(m[1]!.trim())?.[1] : undefined
    if (type && (RECEIPT_V4_TYPES as readonly string[]).includes(type)) return type as ReceiptV4Type
  }
  return undefined
}

/** A HATEOAS link of the service index and the schema list. */
export const ReceiptsV4Link = z.looseObject({
  rel: z.string(),
  href: z.string(),
  method: z.string().optional(),
})

/** `GET /receipts/`: `{"links":[{rel, method, href}…]}`. */
export const ReceiptsV4ServiceIndex = z.looseObject({ links: z.array(ReceiptsV4Link) })
export type ReceiptsV4ServiceIndex = z.infer<typeof ReceiptsV4ServiceIndex>

/** `GET /receipts/schemas`: the e-receipt schemas and the schemas they share. */
export const ReceiptsV4Schemas = z.looseObject({
  receiptSchemas: z.array(ReceiptsV4Link),
  supportingSchemas: z.array(ReceiptsV4Link).optional(),
})
export type ReceiptsV4Schemas = z.infer<typeof ReceiptsV4Schemas>

/**
 * An e-receipt (`GET /receipts/v4/{receiptId}`, swagger `eReceipt`): its JSON data in `receipt`,
 * the schema it was validated with, links to itself and its image.
 *
 * @example
 * ReceiptV4.parse(body).validationSchema // 'http://schema.concursolutions.com/car-rental-receipt.schema.json'
 */
export const ReceiptV4 = z.looseObject({
  dateTimeReceived: z.string(),
  id: z.string().min(1),
  image: z.string(),
  receipt: z.record(z.string(), z.unknown()),
  userId: z.string().min(1),
  validationSchema: z.string(),
  self: z.string(),
  template: z.string(),
  companyId: z.string().optional(),
  modifiedAt: z.string().optional(),
  digitizationStatus: z.string().optional(),
})
export type ReceiptV4 = z.infer<typeof ReceiptV4>

/** `GET /receipts/v4/users/{userId}`: `{"receipts":[…], "next"?}` (50 a page). */
export const ReceiptsV4Page = z.looseObject({
  receipts: z.array(ReceiptV4),
  next: z.string().optional(),
})
export type ReceiptsV4Page = z.infer<typeof ReceiptsV4Page>

/**
 * An image-only receipt (`GET /receipts/v4/image-only-receipts/{receiptId}`). `dateTimeReceived`
 * is printed as in the documented example (`Wed May 24 2017 16:14:17 GMT+00:00`).
 *
 * @example
 * ImageOnlyReceiptV4.parse(body).image // '…/receipts/v4/image-only-receipts/{id}/image'
 */
export const ImageOnlyReceiptV4 = z.looseObject({
  dateTimeReceived: z.string(),
  id: z.string().min(1),
  image: z.string(),
  userId: z.string().min(1),
})
export type ImageOnlyReceiptV4 = z.infer<typeof ImageOnlyReceiptV4>

/**
 * `GET /receipts/v4/users/{userId}/image-only-receipts`: `{"receiptsImages":[…], "next"?}`, 50 a page,
 * `next` the absolute URL of the next page (`…/image-only-receipts/page/<token>`), absent on the last.
 * (The swagger names the array `imageOnlyReceipts`; the reference page's example, followed here, `receiptsImages`.)
 */
export const ImageOnlyReceiptsV4Page = z.looseObject({
  receiptsImages: z.array(ImageOnlyReceiptV4),
  next: z.string().optional(),
})
export type ImageOnlyReceiptsV4Page = z.infer<typeof ImageOnlyReceiptsV4Page>

/** One processing log line of a receipt's status. */
export const ReceiptV4Log = z.looseObject({
  logLevel: z.enum(['INFO', 'ERROR']),
  message: z.string(),
  timestamp: z.string(),
})

/**
 * `GET /receipts/v4/status/{receiptId}`: processing status and logs.
 *
 * @example
 * ReceiptV4Status.parse(body).status // 'PROCESSED'
 */
export const ReceiptV4Status = z.looseObject({
  status: z.string(),
  logs: z.array(ReceiptV4Log),
})
export type ReceiptV4Status = z.infer<typeof ReceiptV4Status>

/**
 * The Receipts v4 error body. The reference documents the status codes (400 with a
 * `validationErrors` object, 401, 403, 404, 413 "exceeded the limit of 5MB", 415) but no body; this
 * shape — `message` plus, on 400, `validationErrors` keyed by field — is the mock's choice.
 *
 * @example
 * ReceiptsV4Error.parse(body).message // 'Request exceeded the limit of 5MB'
 */
export const ReceiptsV4Error = z.looseObject({
  message: z.string(),
  validationErrors: z.record(z.string(), z.string()).optional(),
})
export type ReceiptsV4Error = z.infer<typeof ReceiptsV4Error>

/**
 * The registry row `receipts`: a user's image-only receipts (`GET
 * /receipts/v4/users/{userId}/image-only-receipts`), 50 a page, `next` the absolute URL of the next
 * page. `{userId}` is the UUID of the user whose receipts are read — with a user token, its own `sub`.
 *
 * @example
 * for await (const r of client.resource('receipts').list({ userId })) console.log(r.id)
 */
export const receipts = defineResource({
  name: 'receipts',
  title: 'Image-only receipts (Receipts v4)',
  api: 'v4',
  path: '/receipts/v4/users/{userId}/image-only-receipts',
  itemPath: '/receipts/v4/image-only-receipts/{id}',
  format: 'json',
  paging: { kind: 'json', items: 'receiptsImages', next: { type: 'url', field: 'next' } },
  scope: 'receipts.read',
  item: ImageOnlyReceiptV4,
  idField: 'id',
  filters: [],
  adminOnly: false,
  writes: ['create'],
  reference: 'v4 §9.1',
  errorBody: ReceiptsV4Error,
})
