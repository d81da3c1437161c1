import { INVOICE_IMAGE_URL_MINUTES } from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import type { MockCompany } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import { ConcurHttpError } from '../http/errors.js'
import { requireToken } from '../oauth/guard.js'
import type { MockState } from '../state.js'
import { hashHex } from '../util/hash.js'
import { receiptPng, type UploadRules, uploadedImage } from './images.js'
import {
  findRequest,
  invoiceDataset,
  invoiceStoreOf,
  putRequest,
  type RequestEntry,
} from './invoice-store.js'
import { xmlDocumentV3 } from './xml.js'

const IMAGE_NAMESPACE = 'http://www.concursolutions.com/api/image/2011/02'
const XML_TYPE = 'application/xml; charset=utf-8'
/** Types an invoice image upload may have (swagger `consumes`). */
const INVOICE_IMAGE_TYPES = ['application/pdf', 'image/jpg', 'image/jpeg', 'image/png']
const MAX_BYTES = 10 * 1024 * 1024

/** What the Invoice image upload accepts: PDF, JPEG or PNG up to 10 MB. */
const UPLOAD: UploadRules = {
  types: INVOICE_IMAGE_TYPES,
  maxBytes: MAX_BYTES,
  unsupported: (type) => `Unsupported image type '${type}'; send pdf, jpg, jpeg or png`,
  tooLarge: 'The image is larger than 10 MB',
}
const DOWNLOAD = '/imaging/v3/invoices'

/** The image id of a payment request's image (20 upper-case hex, like Concur's image ids). */
export const invoiceImageId = (seed: number, requestId: string) =>
  hashHex(seed, 'invoice-image', requestId).slice(0, 20).toUpperCase()

const signature = (state: MockState, requestId: string, expires: number) =>
  hashHex(state.options.seed, 'invoice-image-url', requestId, expires).slice(0, 32)

/** The temporary URL of a payment request's image: 15 minutes on the mock clock, no token needed. */
export function invoiceImageUrl(state: MockState, origin: string, requestId: string): string {
  const expires = state.clock.nowSeconds() + INVOICE_IMAGE_URL_MINUTES * 60
  return `${origin}${DOWNLOAD}/${requestId}?expires=${expires}&signature=${signature(state, requestId, expires)}`
}

/** The image bytes of a payment request, when it has one (an upload, else the seeded PNG). */
export function invoiceImageOf(
  state: MockState,
  company: MockCompany,
  entry: RequestEntry,
): { readonly type: string; readonly data: Uint8Array } | undefined {
  const id = String(entry.record.ID)
  const uploaded = invoiceStoreOf(state).companies.get(company.id)?.images.get(id)
  if (uploaded) return uploaded
  return entry.seededImage ? { type: 'image/png', data: new Uint8Array(receiptPng(id)) } : undefined
}

/**
 * Image v1.0 for invoices: `GET /api/image/v1.0/invoice/{requestId}` answers
 * `<Image><Id/><Url/></Image>` (XML whatever `Accept` says) with a temporary `Url` whose bytes
 * download without a token; 404 when the payment request has no image. `POST` uploads one (pdf, jpg,
 * jpeg or png, at most 10 MB, raw body or multipart form); a second upload is refused (400), as
 * the swagger says images cannot be appended. Scope `IMAGE`.
 *
 * @example
 * app.route('/', invoiceImageRoutes(ctx))
 */
export function invoiceImageRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const { state } = ctx
  const guard = requireToken(ctx, 'IMAGE')

  const readable = (c: Context<MockEnv>): RequestEntry => {
    const p = c.get('principal')
    const e = findRequest(state, invoiceDataset(state, p.company), c.req.param('requestId') ?? '')
    if (!e) throw new ConcurHttpError(404, 'No payment request was found')
    if (!p.isAdmin && (e.owner === undefined || e.owner !== p.user?.index))
      throw new ConcurHttpError(403, 'Forbidden Request: the payment request belongs to another user')
    return e
  }
  const imageXml = (c: Context<MockEnv>, id: string, url: string) =>
    c.body(xmlDocumentV3('Image', IMAGE_NAMESPACE, { Id: id, Url: url }), 200, { 'content-type': XML_TYPE })

  app.get('/api/image/v1.0/invoice/:requestId', guard, (c) => {
    const e = readable(c)
    const requestId = String(e.record.ID)
    if (!invoiceImageOf(state, c.get('principal').company, e))
      throw new ConcurHttpError(404, 'Imaging: no image for this payment request')
    return imageXml(
      c,
      invoiceImageId(state.options.seed, requestId),
      invoiceImageUrl(state, new URL(c.req.url).origin, requestId),
    )
  })

  app.post('/api/image/v1.0/invoice/:requestId', guard, async (c) => {
    const e = readable(c)
    const company = c.get('principal').company
    const requestId = String(e.record.ID)
    if (invoiceImageOf(state, company, e))
      throw new ConcurHttpError(400, 'The payment request already has an image; images cannot be appended')
    const image = await uploadedImage(c, UPLOAD)
    invoiceStoreOf(state).of(company.id).images.set(requestId, image)
    // The upload changes the payment request (its digest's LastModifiedDate moves on).
    putRequest(state, invoiceDataset(state, company), {
      ...e,
      lastModified: Math.max(state.clock.now(), e.lastModified + 1),
    })
    return imageXml(c, invoiceImageId(state.options.seed, requestId), '')
  })

  app.get(`${DOWNLOAD}/:requestId`, (c) => {
    const requestId = c.req.param('requestId')
    const expires = Number(c.req.query('expires'))
    const sig = c.req.query('signature') ?? ''
    if (!Number.isSafeInteger(expires) || sig !== signature(state, requestId, expires))
      throw new ConcurHttpError(403, 'Forbidden Request: invalid image URL')
    if (expires < state.clock.nowSeconds())
      throw new ConcurHttpError(403, 'Forbidden Request: the image URL has expired')
    for (const company of state.companies) {
      const e = findRequest(state, invoiceDataset(state, company), requestId)
      if (!e) continue
      const image = invoiceImageOf(state, company, e)
      if (!image) break
      return c.body(image.data as Uint8Array<ArrayBuffer>, 200, { 'content-type': image.type })
    }
    throw new ConcurHttpError(404, 'No image was found')
  })
  return app
}
