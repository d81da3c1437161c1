import {
  ImageOnlyReceiptsV4Page,
  ImageOnlyReceiptV4,
  ReceiptsV4Page,
  ReceiptV4,
  ReceiptV4Status,
  type ReceiptV4Type,
  receiptV4SchemaUrl,
  SPEND_DOCUMENT_REPRESENTATIONS,
  SpendDocumentReceipt,
  type SpendDocumentRepresentation,
} from '@concurkit/contract'
import type { z } from 'zod'
import { CLIENT_ERROR_CODES, ConcurClientError, invalidArgument } from './errors.js'
import type { RawResponse, SendRequest, Transport } from './http.js'
import { parseJson, validateItem } from './parse.js'

/** An image to upload: its bytes and content type (`image/png`, `image/jpeg`, `application/pdf` …). */
export interface UploadImage {
  readonly data: Uint8Array
  readonly contentType: string
  readonly filename?: string
}

/** Bytes read back (a receipt image or a representation). */
export interface DownloadedImage {
  readonly contentType: string
  readonly data: Buffer
}

/** Where a posted receipt can be read: the `Location` and the `processing-status` link of the answer. */
export interface PostedReceipt {
  readonly id: string
  readonly location: string
  readonly processingStatus: string | undefined
}

/**
 * Receipts v4 (`/receipts`): post e-receipts and image-only receipts for a user, read them back,
 * their images and processing status, and walk a user's collections (50 a page, `next` links).
 * With a user token the `userId` must be the token's own (Concur answers 401 otherwise).
 *
 * @example
 * const posted = await client.receiptsV4.postReceipt(userId, { type: 'hotel', receipt })
 * for await (const r of client.receiptsV4.imageOnlyReceipts(userId)) console.log(r.id, r.dateTimeReceived)
 */
export interface ReceiptsV4Client {
  /** Posts an e-receipt (JSON, or a form when an image goes with it) with its schema `link` header. */
  postReceipt(
    userId: string,
    body: { type: ReceiptV4Type; receipt: Record<string, unknown>; image?: UploadImage },
    options?: { signal?: AbortSignal },
  ): Promise<PostedReceipt>
  /** Posts an image-only receipt (202). A `forwardId` seen before answers 304, thrown as an HTTP error. */
  postImageOnly(
    userId: string,
    image: UploadImage,
    options?: { forwardId?: string; signal?: AbortSignal },
  ): Promise<PostedReceipt>
  receipt(receiptId: string, options?: { signal?: AbortSignal }): Promise<ReceiptV4>
  imageOnlyReceipt(receiptId: string, options?: { signal?: AbortSignal }): Promise<ImageOnlyReceiptV4>
  status(receiptId: string, options?: { signal?: AbortSignal }): Promise<ReceiptV4Status>
  /** The image of an e-receipt, or of an image-only receipt with `{ imageOnly: true }`. */
  image(receiptId: string, options?: { imageOnly?: boolean; signal?: AbortSignal }): Promise<DownloadedImage>
  /** Every e-receipt of a user (all pages). */
  receipts(userId: string, options?: { signal?: AbortSignal }): AsyncIterable<ReceiptV4>
  /** Every image-only receipt of a user (all pages). */
  imageOnlyReceipts(userId: string, options?: { signal?: AbortSignal }): AsyncIterable<ImageOnlyReceiptV4>
}

/**
 * Spend Documents v4 (`/spend-documents/v4`): the receipt images of final-approved reports, by
 * receipt id or by Imaging id (the id v3.0 receipt images and Image v1.0 use), and their bytes.
 *
 * @example
 * const doc = await client.spendDocumentsV4.byImageId(imageId)
 * const png = await client.spendDocumentsV4.representation(doc.metadata.id, 'display')
 */
export interface SpendDocumentsV4Client {
  receipt(receiptId: string, options?: { signal?: AbortSignal }): Promise<SpendDocumentReceipt>
  byImageId(
    imageId: string,
    options?: { companyId?: string; signal?: AbortSignal },
  ): Promise<SpendDocumentReceipt>
  representation(
    receiptId: string,
    type?: SpendDocumentRepresentation,
    options?: { signal?: AbortSignal },
  ): Promise<DownloadedImage>
}

const seg = (s: string, what: string) => {
  if (typeof s !== 'string' || s === '') invalidArgument(`${what} must be a non-empty string`)
  return encodeURIComponent(s)
}
const sig = (s?: AbortSignal) => (s ? { signal: s } : {})

/** A multipart body (boundary and bytes) serialised by the platform's own `FormData`. */
export async function multipartBody(form: FormData): Promise<{ body: Uint8Array; contentType: string }> {
  const res = new Response(form)
  return { body: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get('content-type')! }
}

const file = (image: UploadImage, fallback: string) =>
  new File([image.data as Uint8Array<ArrayBuffer>], image.filename ?? fallback, { type: image.contentType })

function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** The id (last path segment) of `Location` and the `processing-status` link of a POST answer. */
function posted(res: RawResponse): PostedReceipt {
  const location = header(res, 'location')
  if (!location)
    throw new ConcurClientError(
      CLIENT_ERROR_CODES.INVALID_RESPONSE,
      `the answer (${res.status}) has no Location header`,
    )
  const status = /<([^>]+)>\s*;\s*rel="?processing-status"?/i.exec(header(res, 'link') ?? '')?.[1]
  return { id: location.split('/').pop() ?? '', location, processingStatus: status }
}

const binary = (res: RawResponse): DownloadedImage => ({
  contentType: header(res, 'content-type') ?? 'application/octet-stream',
  data: res.body,
})

/** The Receipts v4 accessor over a client's transport. */
export function receiptsV4Client(transport: Transport): ReceiptsV4Client {
  const get = <T>(url: string, schema: z.ZodType<T>, where: string, signal?: AbortSignal) =>
    transport.send({ url, accept: 'application/json', ...sig(signal) }, (res) =>
      validateItem(schema, parseJson(res.body), where),
    )
  async function* walk<T>(
    first: string,
    schema: typeof ReceiptsV4Page | typeof ImageOnlyReceiptsV4Page,
    key: 'receipts' | 'receiptsImages',
    signal: AbortSignal | undefined,
  ): AsyncGenerator<T> {
    let url: string | undefined = first
    const seen = new Set<string>()
    while (url) {
      if (seen.has(url)) invalidArgument(`the next link repeats a page already read: ${url}`)
      seen.add(url)
      const page = (await get(
        url,
        schema as z.ZodType<Record<string, unknown>>,
        'receipts page',
        signal,
      )) as {
        next?: string
      } & Record<string, unknown>
      for (const r of page[key] as T[]) yield r
      url = page.next || undefined
    }
  }
  return {
    async postReceipt(userId, body, o = {}) {
      const url = `/receipts/v4/users/${seg(userId, 'userId')}`
      const link = `<${receiptV4SchemaUrl(body.type)}>;rel=describedBy`
      let req: SendRequest
      if (body.image) {
        const form = new FormData()
        form.set('receipt', new Blob([JSON.stringify(body.receipt)], { type: 'application/json' }))
        form.set('image', file(body.image, 'receipt'))
        const m = await multipartBody(form)
        req = {
          method: 'POST',
          url,
          headers: { link },
          body: m.body,
          contentType: m.contentType,
          ...sig(o.signal),
        }
      } else {
        req = {
          method: 'POST',
          url,
          headers: { link },
          body: JSON.stringify(body.receipt),
          contentType: 'application/json',
          ...sig(o.signal),
        }
      }
      return transport.send(req, posted)
    },
    async postImageOnly(userId, image, o = {}) {
      const form = new FormData()
      form.set('image', file(image, 'receipt'))
      if (o.forwardId !== undefined) form.set('forwardId', o.forwardId)
      const m = await multipartBody(form)
      return transport.send(
        {
          method: 'POST',
          url: `/receipts/v4/users/${seg(userId, 'userId')}/image-only-receipts`,
          body: m.body,
          contentType: m.contentType,
          ...sig(o.signal),
        },
        posted,
      )
    },
    receipt: (id, o = {}) => get(`/receipts/v4/${seg(id, 'receiptId')}`, ReceiptV4, 'receipt', o.signal),
    imageOnlyReceipt: (id, o = {}) =>
      get(
        `/receipts/v4/image-only-receipts/${seg(id, 'receiptId')}`,
        ImageOnlyReceiptV4,
        'receipt',
        o.signal,
      ),
    status: (id, o = {}) =>
      get(`/receipts/v4/status/${seg(id, 'receiptId')}`, ReceiptV4Status, 'receipt status', o.signal),
    image: (id, o = {}) =>
      transport.send(
        {
          url: o.imageOnly
            ? `/receipts/v4/image-only-receipts/${seg(id, 'receiptId')}/image`
            : `/receipts/v4/${seg(id, 'receiptId')}/image`,
          accept: '*/*',
          ...sig(o.signal),
        },
        binary,
      ),
    receipts: (userId, o = {}) =>
      walk<ReceiptV4>(`/receipts/v4/users/${seg(userId, 'userId')}`, ReceiptsV4Page, 'receipts', o.signal),
    imageOnlyReceipts: (userId, o = {}) =>
      walk<ImageOnlyReceiptV4>(
        `/receipts/v4/users/${seg(userId, 'userId')}/image-only-receipts`,
        ImageOnlyReceiptsV4Page,
        'receiptsImages',
        o.signal,
      ),
  }
}

/** The Spend Documents v4 accessor over a client's transport. */
export function spendDocumentsV4Client(transport: Transport): SpendDocumentsV4Client {
  const doc = (req: SendRequest) =>
    transport.send(req, (res) => validateItem(SpendDocumentReceipt, parseJson(res.body), 'spend document'))
  return {
    receipt: (id, o = {}) =>
      doc({ url: `/spend-documents/v4/receipts/${seg(id, 'receiptId')}`, ...sig(o.signal) }),
    byImageId: (imageId, o = {}) => {
      seg(imageId, 'imageId')
      return doc({
        url: '/spend-documents/v4/receipts',
        query: { imageId, ...(o.companyId ? { companyId: o.companyId } : {}) },
        ...sig(o.signal),
      })
    },
    representation: (id, type = 'display', o = {}) => {
      if (!SPEND_DOCUMENT_REPRESENTATIONS.includes(type))
        invalidArgument(`type must be one of ${SPEND_DOCUMENT_REPRESENTATIONS.join(', ')}`)
      return transport.send(
        {
          url: `/spend-documents/v4/receipts/${seg(id, 'receiptId')}/representations`,
          query: { type },
          accept: '*/*',
          ...sig(o.signal),
        },
        binary,
      )
    },
  }
}
