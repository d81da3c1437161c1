import { RESOURCES } from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import type { DcContext, MockEnv } from '../context.js'
import { datasetOf, ENTRIES_PER_REPORT } from '../dataset/dataset.js'
import { providerOf, receiptImageIdOf } from '../dataset/providers.js'
import { ConcurHttpError } from '../http/errors.js'
import { requireToken } from '../oauth/guard.js'
import type { MockState } from '../state.js'
import { overlaysOf, receiptImageUrl } from './engine.js'
import { IMAGE_TYPES, type UploadRules, uploadedImage } from './images.js'
import { type FoundRecord, findRecord, nextCreatedId } from './writes.js'
import { xmlDocumentV3 } from './xml.js'

const V10 = '/api/image/v1.0'
const IMAGE_NAMESPACE = 'http://www.concursolutions.com/api/image/2011/02'
const XML_TYPE = 'application/xml; charset=utf-8'
const MAX_IMAGE_BYTES = 5_000_000

/** Which receipt image an Image v1.0 upload attached to a report or an entry (cleared by reset). */
class AttachedImages {
  readonly byTarget = new Map<string, string>()
  reset(): void {
    this.byTarget.clear()
  }
}

const attachedOf = (state: MockState) => state.store('image-v1-attached', () => new AttachedImages())
const targetKey = (companyId: string, kind: string, id: string) => `${companyId}\u001f${kind}\u001f${id}`

/** `<Image><Id/><Url/></Image>` — Image v1.0 produces XML only, whatever `Accept` says. */
function imageAnswer(c: Context<MockEnv>, id: string, url: string) {
  return c.body(xmlDocumentV3('Image', IMAGE_NAMESPACE, { Id: id, Url: url }), 200, {
    'content-type': XML_TYPE,
  })
}

/** What Image v1.0 accepts: receipt image types up to 5 MB. */
const UPLOAD: UploadRules = {
  types: IMAGE_TYPES,
  maxBytes: MAX_IMAGE_BYTES,
  unsupported: (type) => `Unsupported image type '${type}'`,
  tooLarge: 'The image is larger than 5 MB',
}

/**
 * Image v1.0 (`swagger-v1.0-Image.json`): receipt, report and entry images served on the same
 * images as v3.0 receipt images. `GET receipt/{imageId}` is a v3.0 receipt image; an entry's image is
 * the receipt image of that entry (seeded entries with `HasImage` have one); a report's image is the
 * one uploaded to it, else the first of its entries' images. Uploads (`POST`, raw image body or
 * multipart form) create a v3.0 receipt image and, for a report or entry, attach it. The answer is
 * `<Image><Id/><Url/></Image>` (the `Url` empty after an upload, as the spec says); unknown or
 * imageless ids answer 404 ("Imaging: no image"), another user's records 403.
 *
 * @example
 * app.route('/', imageV1Routes(ctx)) // GET /api/image/v1.0/receipt/{imageId}
 */
export function imageV1Routes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const { state } = ctx
  const scope = RESOURCES.find((r) => r.name === 'receipt-images')?.scope
  const guard = requireToken(ctx, scope)

  /** A record the caller may see (404 unknown, 403 another user's when not an administrator). */
  const readable = (c: Context<MockEnv>, key: string, id: string): FoundRecord => {
    const p = c.get('principal')
    const ds = datasetOf(state.options.seed, p.company)
    const found = findRecord(ds, providerOf(key)!, overlaysOf(state).peek(p.company.id, key), id)
    if (!found) throw new ConcurHttpError(404, 'No image was found')
    if (!p.isAdmin && found.owner !== undefined && found.owner !== p.user?.index)
      throw new ConcurHttpError(403, 'Forbidden Request: the record belongs to another user')
    return found
  }

  /** The receipt image with this id, if it exists (not deleted). */
  const receiptImage = (c: Context<MockEnv>, id: string): FoundRecord | undefined => {
    const p = c.get('principal')
    const ds = datasetOf(state.options.seed, p.company)
    return findRecord(
      ds,
      providerOf('receipt-images')!,
      overlaysOf(state).peek(p.company.id, 'receipt-images'),
      id,
    )
  }

  /** The receipt image id of seeded entry index `e`, when it has one. */
  const seededEntryImage = (c: Context<MockEnv>, e: number): string | undefined => {
    const ds = datasetOf(state.options.seed, c.get('principal').company)
    if (e >= providerOf('expense-entries')!.size(ds)) return undefined
    const id = receiptImageIdOf(ds, e)
    return receiptImage(c, id) ? id : undefined
  }

  const attachedImage = (c: Context<MockEnv>, kind: string, id: string): string | undefined => {
    const imageId = attachedOf(state).byTarget.get(targetKey(c.get('principal').company.id, kind, id))
    return imageId && receiptImage(c, imageId) ? imageId : undefined
  }

  const answer = (c: Context<MockEnv>, imageId: string | undefined) => {
    if (!imageId) throw new ConcurHttpError(404, 'No image was found')
    return imageAnswer(c, imageId, receiptImageUrl(state, new URL(c.req.url).origin, imageId))
  }

  app.get(`${V10}/receipt/:imageId`, guard, (c) => {
    const found = readable(c, 'receipt-images', c.req.param('imageId'))
    return answer(c, String(found.record.ID))
  })

  app.get(`${V10}/expenseentry/:entryId`, guard, (c) => {
    const id = c.req.param('entryId')
    const found = readable(c, 'expense-entries', id)
    return answer(
      c,
      attachedImage(c, 'entry', id) ?? (found.created ? undefined : seededEntryImage(c, found.index)),
    )
  })

  app.get(`${V10}/report/:reportId`, guard, (c) => {
    const id = c.req.param('reportId')
    const found = readable(c, 'expense-reports', id)
    let imageId = attachedImage(c, 'report', id)
    if (!imageId && !found.created) {
      for (
        let e = found.index * ENTRIES_PER_REPORT;
        e < (found.index + 1) * ENTRIES_PER_REPORT && !imageId;
        e++
      )
        imageId = seededEntryImage(c, e)
    }
    return answer(c, imageId)
  })

  /** Stores an upload as a new v3.0 receipt image of `owner` and returns its id. */
  const store = (
    c: Context<MockEnv>,
    image: { type: string; data: Uint8Array },
    owner: number | undefined,
  ) => {
    const p = c.get('principal')
    const ds = datasetOf(state.options.seed, p.company)
    const overlay = overlaysOf(state).of(p.company.id, 'receipt-images')
    const id = nextCreatedId(ds, providerOf('receipt-images')!, overlay)
    overlay.add({ record: { ID: id }, owner, hidden: {}, bytes: image })
    return id
  }

  app.post(`${V10}/receipt`, guard, async (c) => {
    const image = await uploadedImage(c, UPLOAD)
    const p = c.get('principal')
    return imageAnswer(c, store(c, image, p.user?.index ?? 0), '')
  })

  for (const [kind, key, param] of [
    ['entry', 'expense-entries', 'entryId'],
    ['report', 'expense-reports', 'reportId'],
  ] as const) {
    const path = kind === 'entry' ? `${V10}/expenseentry/:${param}` : `${V10}/report/:${param}`
    app.post(path, guard, async (c) => {
      const target = c.req.param(param) ?? ''
      const found = readable(c, key, target)
      const image = await uploadedImage(c, UPLOAD)
      const imageId = store(c, image, found.owner)
      attachedOf(state).byTarget.set(targetKey(c.get('principal').company.id, kind, target), imageId)
      return imageAnswer(c, imageId, '')
    })
  }
  return app
}
