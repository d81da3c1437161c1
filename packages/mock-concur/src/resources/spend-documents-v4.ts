import {
  SPEND_DOCUMENT_REPRESENTATIONS,
  type SpendDocumentReceipt,
  type SpendDocumentRepresentation,
} from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import type { DcContext, MockEnv } from '../context.js'
import { type Dataset, datasetOf, ENTRIES_PER_REPORT, userIdOf } from '../dataset/dataset.js'
import { decodeId } from '../dataset/ids.js'
import { providerOf, receiptImageIdOf } from '../dataset/providers.js'
import { MockConnectionReset } from '../faults.js'
import { ConcurHttpError } from '../http/errors.js'
import { requireToken } from '../oauth/guard.js'
import type { MockState } from '../state.js'
import { hashHex } from '../util/hash.js'
import { overlaysOf } from './engine.js'
import { receiptPng } from './images.js'
import { findRecord } from './writes.js'

/**
 * The Spend Documents v4 receipt id of seeded receipt image *e* (the image of expense entry *e*): a
 * UUID-shaped string holding the company tag, a check and the index, so it decodes without a lookup.
 */
export function spendDocumentIdOf(ds: Dataset, e: number): string {
  const h = hashHex(ds.seed, ds.company.id, 'spend-document', e)
  const tag = ds.tag.toLowerCase()
  return `${tag}-${h.slice(0, 4)}-4${h.slice(4, 7)}-8${h.slice(7, 10)}-${e.toString(16).padStart(12, '0')}`
}

function decodeSpendDocumentId(ds: Dataset, id: string): number | undefined {
  const m = /^([0-9a-f]{8})-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-([0-9a-f]{12})$/.exec(id)
  if (!m || m[1] !== ds.tag.toLowerCase()) return undefined
  const e = Number.parseInt(m[2]!, 16)
  return spendDocumentIdOf(ds, e) === id ? e : undefined
}

/** A final-approved receipt: seeded receipt image *e* whose report's approval status is now `A_APPR`. */
interface FinalReceipt {
  readonly e: number
  readonly imageId: string
  readonly owner: number
  readonly entry: Record<string, unknown>
  readonly report: Record<string, unknown>
}

function finalReceipt(state: MockState, ds: Dataset, e: number): FinalReceipt | undefined {
  const images = providerOf('receipt-images')!
  if (!Number.isSafeInteger(e) || e < 0 || e >= images.size(ds)) return undefined
  const overlays = overlaysOf(state)
  const imageId = receiptImageIdOf(ds, e)
  const image = findRecord(ds, images, overlays.peek(ds.company.id, 'receipt-images'), imageId)
  if (!image) return undefined
  const reportIndex = Math.floor(e / ENTRIES_PER_REPORT)
  const reports = providerOf('expense-reports')!
  const report = findRecord(
    ds,
    reports,
    overlays.peek(ds.company.id, 'expense-reports'),
    String(reports.generate(ds, reportIndex).ID),
  )
  if (report?.record.ApprovalStatusCode !== 'A_APPR') return undefined
  const entries = providerOf('expense-entries')!
  const entry = findRecord(
    ds,
    entries,
    overlays.peek(ds.company.id, 'expense-entries'),
    String(entries.generate(ds, e).ID),
  )
  if (!entry) return undefined
  return { e, imageId, owner: image.owner ?? 0, entry: entry.record, report: report.record }
}

const iso = (v3: unknown) => {
  const ms = typeof v3 === 'string' ? Date.parse(`${v3}Z`) : Number.NaN
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}

/**
 * Spend Documents v4 (`/spend-documents/v4`, concur-api-v4 §9.2): the receipt images of
 * final-approved expense reports — the same images (and bytes) v3.0 receipt images and Image v1.0
 * serve. `GET /receipts/{receiptId}`, `GET /receipts?imageId=&companyId=` (the Imaging id of the v3.0
 * image) and `GET /receipts/{receiptId}/representations?type=display|compliance`. A receipt whose
 * report is not (or no longer) approved answers 404; user tokens see their own receipts only (403).
 * Errors are `{"timestamp","status","message"}`.
 *
 * @example
 * app.route('/', spendDocumentsV4Routes(ctx)) // GET /spend-documents/v4/receipts?imageId=gWr…
 */
export function spendDocumentsV4Routes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()
  const guard = requireToken(ctx)
  const BASE = '/spend-documents/v4/receipts'

  app.onError((err, c) => {
    if (err instanceof MockConnectionReset) throw err
    const status = err instanceof ConcurHttpError && err.status < 500 ? err.status : 500
    const message =
      err instanceof ConcurHttpError && err.status < 500 ? err.concurMessage : 'Internal Server Error'
    if (err instanceof ConcurHttpError) for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v)
    return c.json({ timestamp: new Date(state.clock.now()).toISOString(), status, message }, status)
  })

  const scopeFor = (c: Context<MockEnv>, compliance: boolean) => {
    const s = c.get('principal').scopes as ReadonlySet<string>
    const need = compliance ? 'spenddocs.receipts.compliance.read' : 'spenddocs.receipts.read'
    if (!s.has(need) && !s.has('IMAGE'))
      throw new ConcurHttpError(403, `The access token lacks the ${need} scope`)
  }

  const visible = (c: Context<MockEnv>, e: number | undefined): { ds: Dataset; r: FinalReceipt } => {
    const p = c.get('principal')
    const ds = datasetOf(state.options.seed, p.company)
    const r = e === undefined ? undefined : finalReceipt(state, ds, e)
    if (!r) throw new ConcurHttpError(404, 'Receipt not found')
    if (!p.isAdmin && p.user?.index !== r.owner)
      throw new ConcurHttpError(403, 'The receipt belongs to another user')
    return { ds, r }
  }

  const wire = (c: Context<MockEnv>, ds: Dataset, r: FinalReceipt): SpendDocumentReceipt => {
    const id = spendDocumentIdOf(ds, r.e)
    const href = (t: SpendDocumentRepresentation) =>
      `${new URL(c.req.url).origin}${BASE}/${id}/representations?type=${t}`
    const { entry } = r
    return {
      metadata: {
        userId: userIdOf(ds, r.owner),
        imageId: r.imageId,
        id,
        companyId: ds.company.id,
        dateTimeReceived: iso(r.report.SubmitDate) ?? iso(entry.TransactionDate) ?? new Date(0).toISOString(),
        origin: 'web',
        captureMethod: 'upload',
        provider: 'user',
        feature: 'expense',
        status: 'processed',
        compliance: { status: 'processed' },
      },
      receiptData: {
        transactionDateTime: entry.TransactionDate,
        amount: { total: String(entry.TransactionAmount), currency: entry.TransactionCurrencyCode },
        vendor: {
          name: entry.VendorDescription,
          city: typeof entry.LocationName === 'string' ? entry.LocationName.split(',')[0] : null,
          state: entry.LocationSubdivision ?? null,
          country: entry.LocationCountry ?? null,
        },
        expenseData: { expenseType: entry.ExpenseTypeCode },
      },
      documents: SPEND_DOCUMENT_REPRESENTATIONS.map((t) => ({
        representation: t,
        type: 'image/png',
        name: t === 'display' ? `${r.imageId}.png` : `${id}.png`,
        renderable: true,
        href: href(t),
      })),
    }
  }

  const idFrom = (c: Context<MockEnv>) =>
    decodeSpendDocumentId(
      datasetOf(state.options.seed, c.get('principal').company),
      c.req.param('receiptId') ?? '',
    )

  app.get(BASE, guard, (c) => {
    scopeFor(c, false)
    const imageId = c.req.query('imageId')
    if (!imageId) throw new ConcurHttpError(400, 'imageId is required')
    const p = c.get('principal')
    const companyId = c.req.query('companyId')
    if (companyId !== undefined && companyId !== p.company.id)
      throw new ConcurHttpError(403, 'The companyId is not the company of the access token')
    const ds = datasetOf(state.options.seed, p.company)
    const { r } = visible(c, decodeId('receipt-images', ds.tag, imageId))
    return c.json(wire(c, ds, r))
  })

  app.get(`${BASE}/:receiptId`, guard, (c) => {
    scopeFor(c, false)
    const { ds, r } = visible(c, idFrom(c))
    return c.json(wire(c, ds, r))
  })

  app.get(`${BASE}/:receiptId/representations`, guard, (c) => {
    const type = c.req.query('type') ?? 'display'
    if (!(SPEND_DOCUMENT_REPRESENTATIONS as readonly string[]).includes(type))
      throw new ConcurHttpError(400, "type must be 'display' or 'compliance'")
    scopeFor(c, type === 'compliance')
    const { ds, r } = visible(c, idFrom(c))
    // The bytes v3.0 receipt images serve: an image replaced through the API, else the seeded one.
    const stored = overlaysOf(state).peek(ds.company.id, 'receipt-images')?.bytes.get(r.e)
    const body = stored ? stored.data : new Uint8Array(receiptPng(r.imageId))
    return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'content-type': stored?.type ?? 'image/png' })
  })
  return app
}
