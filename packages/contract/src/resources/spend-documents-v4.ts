import { z } from 'zod'

/**
 * Spend Documents v4 wire shapes (`/spend-documents/v4`, concur-api-v4 §9.2; example
 * `spend-documents-v4-receipt-get-response.json`): the receipt images of expense reports, read by
 * receipt id or by image id, and their binary representations.
 *
 * @example
 * SpendDocumentReceipt.parse(await res.json()).metadata.imageId
 */

/** The Spend Documents v4 scopes. */
export const SPEND_DOCUMENTS_V4_SCOPES = [
  'spenddocs.receipts.read',
  'spenddocs.receipts.write',
  'spenddocs.receipts.writeonly',
  'spenddocs.receipts.compliance.read',
] as const

/** `GET /receipts/{receiptId}/representations?type=`: the image as shown, or its compliance copy. */
export const SPEND_DOCUMENT_REPRESENTATIONS = ['display', 'compliance'] as const
export type SpendDocumentRepresentation = (typeof SPEND_DOCUMENT_REPRESENTATIONS)[number]

/** A receipt's metadata: who, which image (`imageId` = the Imaging id of v3.0 receipt images / Image v1.0), how it was captured. */
export const SpendDocumentMetadata = z.looseObject({
  userId: z.string(),
  imageId: z.string().min(1),
  id: z.string().min(1),
  companyId: z.string(),
  dateTimeReceived: z.string(),
  origin: z.string().optional(),
  captureMethod: z.string().optional(),
  provider: z.string().optional(),
  feature: z.string().optional(),
  status: z.string().optional(),
  compliance: z.looseObject({ status: z.string() }).optional(),
})

/** A document (representation) of a receipt. */
export const SpendDocument = z.looseObject({
  representation: z.enum(SPEND_DOCUMENT_REPRESENTATIONS),
  type: z.string(),
  name: z.string(),
  renderable: z.boolean(),
  href: z.string(),
})

/**
 * `GET /spend-documents/v4/receipts/{receiptId}` (and `GET /receipts?imageId=&companyId=`).
 *
 * @example
 * SpendDocumentReceipt.parse(body).documents?.[0]?.href // '…/representations?type=display'
 */
export const SpendDocumentReceipt = z.looseObject({
  metadata: SpendDocumentMetadata,
  receiptData: z.record(z.string(), z.unknown()),
  documents: z.array(SpendDocument).optional(),
})
export type SpendDocumentReceipt = z.infer<typeof SpendDocumentReceipt>

/**
 * The Spend Documents v4 error body `{timestamp, status, message}`.
 *
 * @example
 * SpendDocumentsError.parse(body).status // 404
 */
export const SpendDocumentsError = z.looseObject({
  timestamp: z.string(),
  status: z.number().int(),
  message: z.string(),
})
export type SpendDocumentsError = z.infer<typeof SpendDocumentsError>
