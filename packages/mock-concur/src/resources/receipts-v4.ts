import {
  RECEIPT_V4_SUPPORTING_SCHEMAS,
  RECEIPT_V4_TYPES,
  RECEIPTS_V4_MAX_BYTES,
  type ReceiptsV4Scope,
  receiptV4SchemaUrl,
} from '@concurkit/contract'
import { describedByType } from '@concurkit/contract/internal'
import { type Context, Hono } from 'hono'
import type { DcContext, MockEnv } from '../context.js'
import { type Dataset, datasetOf, userIndexOfLogin } from '../dataset/dataset.js'
import { MockConnectionReset } from '../faults.js'
import { ConcurHttpError } from '../http/errors.js'
import { requestHeader } from '../http/headers.js'
import { requireToken } from '../oauth/guard.js'
import type { Principal } from '../principal.js'
import { IMAGE_TYPES, receiptPng } from './images.js'
import {
  eReceiptWire,
  findReceipt,
  imageOnlyWire,
  POSTED_BASE,
  type PostedReceipt,
  pageOf,
  type ReceiptKind,
  type ReceiptRef,
  receiptIdOf,
  receiptsStoreOf,
  statusWire,
  userIndexOfUuid,
  userKey,
  userReceipts,
} from './receipts-v4-data.js'
import type { RowProvider } from './row-provider.js'

/** A 400 with the Receipts v4 `validationErrors` object (field → message). */
class ReceiptsV4Invalid extends Error {
  constructor(readonly validationErrors: Record<string, string>) {
    super('Bad request. The request was malformed or lacked required fields.')
  }
}

const invalid = (field: string, message: string) => new ReceiptsV4Invalid({ [field]: message })
const tooLarge = () => new ConcurHttpError(413, 'Request exceeded the limit of 5MB')
const notFound = () => new ConcurHttpError(404, 'No receipt exists with this ID')

/**
 * The Receipts v4 scope check. Mock tokens carry Connect scopes: `IMAGE` stands for every Receipts
 * v4 scope; `receipts.write` also reads; `receipts.writeonly` only writes.
 */
function requireScope(p: Principal, need: 'read' | 'write'): void {
  const s = p.scopes as ReadonlySet<string>
  const ok: readonly (ReceiptsV4Scope | 'IMAGE')[] =
    need === 'read'
      ? ['receipts.read', 'receipts.write', 'IMAGE']
      : ['receipts.write', 'receipts.writeonly', 'IMAGE']
  if (!ok.some((x) => s.has(x)))
    throw new ConcurHttpError(403, `Caller does not have the required scope (receipts.${need})`)
}

/**
 * Receipts v4 (`/receipts`, concur-api-v4 §9.1): the service index and schema list, e-receipt and
 * image-only receipt POSTs, GET by id / image / status, and each user's collections (50 a page,
 * `next` link). With a user token the `{userId}` of the URL must be the token's `sub` (else 401);
 * company tokens act for any user of the company. Bodies over 5 MB answer 413, wrong content types
 * 415, a missing or unknown `link: <schema>;rel=describedBy` header 400. See `receipts-v4-data.ts`
 * for the seeded image-only receipts and the ids.
 *
 * @example
 * app.route('/', receiptsV4Routes(ctx)) // POST /receipts/v4/users/{userId}
 */
export function receiptsV4Routes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()
  const guard = requireToken(ctx)

  app.onError((err, c) => {
    if (err instanceof MockConnectionReset) throw err
    if (err instanceof ReceiptsV4Invalid)
      return c.json({ message: err.message, validationErrors: err.validationErrors }, 400)
    if (err instanceof ConcurHttpError && err.status < 500) {
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v)
      return c.json({ message: err.concurMessage }, err.status)
    }
    return c.json({ message: 'Internal Server Error' }, 500)
  })

  const base = (c: Context<MockEnv>) => new URL(c.req.url).origin
  const datasetFor = (c: Context<MockEnv>) => datasetOf(state.options.seed, c.get('principal').company)

  /** The user a `{userId}` names: the token's own user (else 401), or any user of a company token's company. */
  const pathUser = (c: Context<MockEnv>, ds: Dataset): number => {
    const p = c.get('principal')
    const userId = c.req.param('userId') ?? ''
    if (p.type === 'user') {
      if (p.user?.id !== userId)
        throw new ConcurHttpError(401, 'The userId of the URL must be the sub of the JWT')
      return p.user.index
    }
    const u = userIndexOfUuid(ds, userId)
    if (u !== undefined) return u
    throw new ConcurHttpError(404, 'No user exists with this userId')
  }

  /** A receipt the caller may read: its own (user tokens) or any of the company's (company tokens). */
  const readable = (c: Context<MockEnv>, kind: ReceiptKind, id: string): ReceiptRef => {
    const p = c.get('principal')
    requireScope(p, 'read')
    const r = findReceipt(state, datasetFor(c), kind, id)
    if (!r) throw notFound()
    if (p.type === 'user' && p.user?.index !== r.user)
      throw new ConcurHttpError(403, 'The caller does not have permission to access this receipt')
    return r
  }

  const imageOf = (r: ReceiptRef) =>
    r.posted?.image ?? { type: 'image/png', data: new Uint8Array(receiptPng(r.id)) }
  const imageAnswer = (c: Context<MockEnv>, r: ReceiptRef) => {
    const img = imageOf(r)
    return c.body(img.data as Uint8Array<ArrayBuffer>, 200, { 'content-type': img.type })
  }

  /** Refuses a body whose declared length is over the limit before reading it. */
  const declaredSize = (c: Context<MockEnv>) => {
    const declared = Number(requestHeader(c, 'content-length') ?? '0')
    if (declared > RECEIPTS_V4_MAX_BYTES) throw tooLarge()
  }
  const contentType = (c: Context<MockEnv>) =>
    (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()

  const form = async (c: Context<MockEnv>): Promise<Record<string, string | File>> => {
    try {
      return (await c.req.parseBody({ all: false })) as Record<string, string | File>
    } catch {
      throw invalid('body', 'The multipart body could not be read')
    }
  }

  const imagePart = async (part: string | File | undefined, field: string) => {
    if (part === undefined) return undefined
    if (!(part instanceof File)) throw invalid(field, 'must be a file')
    const type = part.type.split(';')[0]!.trim().toLowerCase()
    if (!IMAGE_TYPES.includes(type))
      throw new ConcurHttpError(
        415,
        'The uploaded image was not of a supported type. Images must be .pdf, .png, .jpg, .jpeg, .tiff, or .gif.',
      )
    const data = new Uint8Array(await part.arrayBuffer())
    if (data.length === 0) throw invalid(field, 'The image is empty')
    if (data.length > RECEIPTS_V4_MAX_BYTES) throw tooLarge()
    return { type, data }
  }

  const receiptJson = (raw: string): Record<string, unknown> => {
    if (Buffer.byteLength(raw) > RECEIPTS_V4_MAX_BYTES) throw tooLarge()
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      throw invalid('receipt', 'The receipt is not valid JSON')
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).length === 0)
      throw invalid('receipt', 'The receipt must be a non-empty JSON object')
    return body as Record<string, unknown>
  }

  const store = (
    ds: Dataset,
    kind: ReceiptKind,
    user: number,
    fields: Pick<PostedReceipt, 'type' | 'receipt' | 'image' | 'forwardId'>,
  ): PostedReceipt => {
    const s = receiptsStoreOf(state)
    const key = userKey(ds.company.id, user, kind)
    const list = s.byUser.get(key) ?? []
    const k = POSTED_BASE + list.length
    const posted: PostedReceipt = {
      id: receiptIdOf(ds, kind, user, k),
      kind,
      companyId: ds.company.id,
      user,
      k,
      receivedMs: state.clock.now(),
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
    }
    list.push(posted)
    s.byUser.set(key, list)
    s.byId.set(posted.id, posted)
    return posted
  }

  app.get('/receipts', guard, (c) => {
    requireScope(c.get('principal'), 'read')
    const b = base(c)
    return c.json({
      links: [
        { rel: 'self', href: `${b}/receipts/v4` },
        { rel: 'receipt-get', method: 'GET', href: `${b}/receipts/v4/{receiptId}` },
        { rel: 'receipt-post', method: 'POST', href: `${b}/receipts/v4/users/{userId}` },
        { rel: 'receipts-get-user', method: 'GET', href: `${b}/receipts/v4/users/{userId}` },
        { rel: 'schemas-get', method: 'GET', href: `${b}/receipts/schemas` },
      ],
    })
  })

  app.get('/receipts/schemas', guard, (c) => {
    requireScope(c.get('principal'), 'read')
    const b = base(c)
    const link = (name: string) => ({
      rel: `http://schema.concursolutions.com/${name}.schema.json`,
      method: 'GET',
      href: `${b}/receipts/schemas/${name}.schema.json`,
    })
    return c.json({
      receiptSchemas: RECEIPT_V4_TYPES.map((t) => link(`${t}-receipt`)),
      supportingSchemas: RECEIPT_V4_SUPPORTING_SCHEMAS.map(link),
    })
  })

  // E-receipts: JSON with the schema link header, or a form with `receipt` (+ optional `image`).
  app.post('/receipts/v4/users/:userId', guard, async (c) => {
    const ds = datasetFor(c)
    const user = pathUser(c, ds)
    requireScope(c.get('principal'), 'write')
    declaredSize(c)
    const type = describedByType(requestHeader(c, 'link'))
    if (!type)
      throw invalid(
        'link',
        `The link header must name an e-receipt schema with rel=describedBy, e.g. <${receiptV4SchemaUrl('general')}>;rel=describedBy`,
      )
    const ct = contentType(c)
    let receipt: Record<string, unknown>
    let image: PostedReceipt['image']
    if (ct === 'application/json') {
      receipt = receiptJson(await c.req.text())
    } else if (ct === 'multipart/form-data') {
      const parts = await form(c)
      const part = parts.receipt
      if (part === undefined) throw invalid('receipt', 'The receipt part is required')
      receipt = receiptJson(typeof part === 'string' ? part : await part.text())
      image = await imagePart(parts.image, 'image')
    } else {
      throw new ConcurHttpError(
        415,
        'The content-type header was wrong: send application/json or multipart/form-data',
      )
    }
    const posted = store(ds, 'e-receipt', user, { type, receipt, image })
    const b = base(c)
    return c.body(null, 201, {
      link: `<${receiptV4SchemaUrl(type)}>; rel="describedBy", <${b}/receipts/v4/status/${posted.id}>; rel="processing-status"`,
      location: `${b}/receipts/v4/${posted.id}`,
    })
  })

  app.post('/receipts/v4/users/:userId/image-only-receipts', guard, async (c) => {
    const ds = datasetFor(c)
    const user = pathUser(c, ds)
    const p = c.get('principal')
    requireScope(p, 'write')
    declaredSize(c)
    if (contentType(c) !== 'multipart/form-data')
      throw new ConcurHttpError(415, 'The content-type header was wrong: send multipart/form-data')
    const parts = await form(c)
    const image = await imagePart(parts.image, 'image')
    if (!image) throw invalid('image', 'The image part is required')
    const forward = parts.forwardId
    if (forward !== undefined && (typeof forward !== 'string' || forward.length > 40))
      throw invalid('forwardId', 'must be a string of at most 40 characters')
    const s = receiptsStoreOf(state)
    const forwardKey = forward ? `${ds.company.id}\u001f${p.clientId}\u001f${forward}` : undefined
    if (forwardKey && s.forwardIds.has(forwardKey)) return c.body(null, 304)
    const posted = store(ds, 'image-only', user, { image, ...(forward ? { forwardId: forward } : {}) })
    if (forwardKey) s.forwardIds.set(forwardKey, posted.id)
    const b = base(c)
    return c.body(null, 202, {
      link: `<${b}/receipts/v4/status/${posted.id}>; rel="processing-status"`,
      location: `${b}/receipts/v4/images/${posted.id}`,
    })
  })

  /** A user's collection page (`after` = the position the page token names). */
  const collection = (c: Context<MockEnv>, kind: ReceiptKind, token: string | undefined) => {
    const ds = datasetFor(c)
    const user = pathUser(c, ds)
    requireScope(c.get('principal'), 'read')
    let after: number | undefined
    if (token !== undefined) {
      const m = /^\d+_([0-9a-f]{32})$/.exec(token)
      const at = m ? findReceipt(state, ds, kind, m[1]!) : undefined
      if (!at || at.user !== user) throw new ConcurHttpError(404, 'No page exists with this token')
      after = at.k
    }
    const page = pageOf(userReceipts(state, ds, kind, user), after)
    const b = base(c)
    const userId = c.req.param('userId')
    if (kind === 'image-only') {
      return c.json({
        receiptsImages: page.rows.map((r) => imageOnlyWire(ds, b, r)),
        ...(page.next
          ? { next: `${b}/receipts/v4/users/${userId}/image-only-receipts/page/${page.next}` }
          : {}),
      })
    }
    return c.json({
      receipts: page.rows.map((r) => eReceiptWire(ds, b, r)),
      ...(page.next ? { next: `${b}/receipts/v4/users/${userId}/page/${page.next}` } : {}),
    })
  }

  app.get('/receipts/v4/users/:userId/image-only-receipts', guard, (c) =>
    collection(c, 'image-only', undefined),
  )
  app.get('/receipts/v4/users/:userId/image-only-receipts/page/:token', guard, (c) =>
    collection(c, 'image-only', c.req.param('token')),
  )
  app.get('/receipts/v4/users/:userId', guard, (c) => collection(c, 'e-receipt', undefined))
  app.get('/receipts/v4/users/:userId/page/:token', guard, (c) =>
    collection(c, 'e-receipt', c.req.param('token')),
  )

  app.get('/receipts/v4/status/:receiptId', guard, (c) => {
    const id = c.req.param('receiptId')
    const ds = datasetFor(c)
    const kind: ReceiptKind = findReceipt(state, ds, 'e-receipt', id) ? 'e-receipt' : 'image-only'
    const r = (() => {
      try {
        return readable(c, kind, id)
      } catch (err) {
        if (err instanceof ConcurHttpError && err.status === 404)
          throw new ConcurHttpError(404, 'No status record exists for this receiptId')
        throw err
      }
    })()
    return c.json(statusWire(kind, r))
  })

  for (const prefix of ['/receipts/v4/image-only-receipts', '/receipts/v4/images']) {
    app.get(`${prefix}/:receiptId`, guard, (c) =>
      c.json(imageOnlyWire(datasetFor(c), base(c), readable(c, 'image-only', c.req.param('receiptId')))),
    )
    app.get(`${prefix}/:receiptId/image`, guard, (c) =>
      imageAnswer(c, readable(c, 'image-only', c.req.param('receiptId'))),
    )
  }

  app.get('/receipts/v4/:receiptId', guard, (c) =>
    c.json(eReceiptWire(datasetFor(c), base(c), readable(c, 'e-receipt', c.req.param('receiptId')))),
  )
  app.get('/receipts/v4/:receiptId/image', guard, (c) =>
    imageAnswer(c, readable(c, 'e-receipt', c.req.param('receiptId'))),
  )
  return app
}

/**
 * The Receipts v4 family provider: its routes, and the records of the row `receipts` — the
 * image-only receipts of the user a `userId` (UUID) or `user` (login id) filter names, as a walk of
 * that user's collection returns them; without either, every user's in user order.
 */
export const receiptsProvider: RowProvider = {
  names: ['receipts'],
  routes: receiptsV4Routes,
  *records({ state, company, filters, origin }) {
    const ds = datasetOf(state.options.seed, company)
    const only =
      filters.userId !== undefined
        ? userIndexOfUuid(ds, filters.userId)
        : filters.user !== undefined
          ? userIndexOfLogin(ds, filters.user)
          : null
    if (only === undefined) return
    const users = only === null ? Array.from({ length: ds.users }, (_, u) => u) : [only]
    for (const u of users)
      for (const r of userReceipts(state, ds, 'image-only', u)) yield imageOnlyWire(ds, origin, r)
  },
}
