import { Hono } from 'hono'
import type { DcContext, MockEnv } from '../../context.js'
import type { Dataset } from '../../dataset/dataset.js'
import { datasetOf, ENTRIES_PER_REPORT, PROFILE_PERIOD } from '../../dataset/dataset.js'
import { encodeId } from '../../dataset/ids.js'
import { childPlan } from '../../dataset/plan.js'
import { defs, ownerOfReportChild, reportPlan } from '../../dataset/row-plans.js'
import { ConcurHttpError, wantsXml } from '../../http/errors.js'
import { requestHeader } from '../../http/headers.js'
import type { MockState } from '../../state.js'
import { hashHex } from '../../util/hash.js'
import { IMAGE_TYPES, receiptPng } from '../images.js'
import { xmlDocumentV3 } from '../xml.js'
import { findRecord, overlaysOf } from './records.js'
import type { V3Row } from './row.js'

/** The id of the receipt image of entry *e*. */
export function receiptImageIdOf(ds: Dataset, e: number): string {
  return encodeId('receipt-images', ds.tag, e)
}

/**
 * The temporary, signed URL of receipt image `id` (30 minutes on the mock clock), as the v3.0 and
 * Image v1.0 APIs answer it.
 */
export function receiptImageUrl(state: MockState, origin: string, id: string): string {
  const expires = state.clock.nowSeconds() + 1800
  return `${origin}/imaging/v3/receipts/${id}?expires=${expires}&signature=${imageSignature(state, id, expires)}`
}

/** Signature of a temporary receipt image URL. */
function imageSignature(state: MockState, id: string, expires: number): string {
  return hashHex(state.options.seed, 'receipt-image-url', id, expires).slice(0, 32)
}

/** `GET /imaging/v3/receipts/:id`: the bytes behind a signed receipt image URL. */
function imagingRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const { state } = ctx
  app.get('/imaging/v3/receipts/:id', (c) => {
    const id = c.req.param('id')
    const expires = Number(c.req.query('expires'))
    const sig = c.req.query('signature') ?? ''
    if (!Number.isSafeInteger(expires) || sig !== imageSignature(state, id, expires))
      throw new ConcurHttpError(403, 'Forbidden Request: invalid image URL')
    if (expires < state.clock.nowSeconds())
      throw new ConcurHttpError(403, 'Forbidden Request: the image URL has expired')
    for (const company of state.companies) {
      const ds = datasetOf(state.options.seed, company)
      const overlay = overlaysOf(state).peek(company.id, 'receipt-images')
      const found = findRecord(ds, receiptImages, overlay, id)
      if (!found) continue
      const stored = found.created?.bytes ?? overlay?.bytes.get(found.index)
      const body = stored ? stored.data : new Uint8Array(receiptPng(id))
      return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'content-type': stored?.type ?? 'image/png' })
    }
    throw new ConcurHttpError(404, 'No image was found')
  })
  return app
}

/**
 * `/api/v3.0/expense/receiptimages`: one image per entry that has one. An item answers its signed
 * URL (`Image`), and writes upload image bytes instead of a JSON or XML body.
 */
export const receiptImages: V3Row = {
  key: 'receipt-images',
  kind: 'receipt-images',
  get filters() {
    return defs('receipt-images')
  },
  size: (ds) => ds.reports * ENTRIES_PER_REPORT,
  exists: (ds, i) =>
    ds.profiles[Math.floor(i / ENTRIES_PER_REPORT) % PROFILE_PERIOD]!.slots[i % ENTRIES_PER_REPORT]!.image,
  generate: (ds, i) => ({ ID: receiptImageIdOf(ds, i) }),
  owner: ownerOfReportChild(ENTRIES_PER_REPORT),
  plan(ds, _f, owner) {
    const rp = reportPlan(ds, new Map(), owner)
    return childPlan(rp, ENTRIES_PER_REPORT, (r, s) => ds.profiles[r % PROFILE_PERIOD]!.slots[s]!.image)
  },
  writeRules: {
    create: ({ id, owner }) => ({ record: { ID: id }, owner, hidden: {} }),
  },
  hooks: {
    readItem(c, state, found, origin) {
      const id = String(found.record.ID)
      const image = { Id: id, Url: receiptImageUrl(state, origin, id) }
      if (wantsXml(requestHeader(c, 'accept'))) {
        return c.body(
          xmlDocumentV3('Image', 'http://www.concursolutions.com/api/image/2011/02', image),
          200,
          {
            'content-type': 'application/xml; charset=utf-8',
          },
        )
      }
      return c.json(image, 200)
    },
    async readUpload(c, on) {
      const type = (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
      if (!IMAGE_TYPES.includes(type)) throw new ConcurHttpError(415, `Unsupported image type '${type}'`)
      const data = new Uint8Array(await c.req.arrayBuffer())
      if (data.length === 0) throw new ConcurHttpError(400, 'The image body is empty')
      if (on === 'create' && data.length > 5_000_000)
        throw new ConcurHttpError(413, 'The image is larger than 5 MB')
      return { type, data }
    },
    routes: imagingRoutes,
  },
}
