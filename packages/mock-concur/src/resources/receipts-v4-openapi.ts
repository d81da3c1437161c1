import {
  ImageOnlyReceiptsV4Page,
  ImageOnlyReceiptV4,
  QuickExpenseRequest,
  QuickExpenseResponse,
  ReceiptsV4Error,
  ReceiptsV4Page,
  ReceiptsV4Schemas,
  ReceiptsV4ServiceIndex,
  ReceiptV4,
  ReceiptV4Status,
  SpendDocumentReceipt,
  SpendDocumentsError,
  V4Error,
} from '@concurkit/contract'
import type { z } from 'zod'
import { componentRef } from '../openapi/family-schemas.js'

type Json = Record<string, unknown>

/** The Receipts v4, Spend Documents v4 and Quick Expense v4 schemas, by OpenAPI component name. */
export const RECEIPTS_V4_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  ReceiptsV4ServiceIndex,
  ReceiptsV4Schemas,
  ReceiptV4,
  ReceiptsV4Page,
  ImageOnlyReceiptV4,
  ImageOnlyReceiptsV4Page,
  ReceiptV4Status,
  ReceiptsV4Error,
  SpendDocumentReceipt,
  SpendDocumentsError,
  QuickExpenseRequest,
  QuickExpenseResponse,
}

const ref = componentRef(RECEIPTS_V4_SCHEMAS, 'Receipts v4', 'V4Error')
const json = (s: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema: ref(s) } },
})
const binary = (description: string) => ({
  description,
  content: { 'image/png': { schema: { type: 'string', format: 'binary' } } },
})
const str = (
  name: string,
  where: 'path' | 'query' | 'header',
  description?: string,
  required = where === 'path',
) => ({
  name,
  in: where,
  required,
  schema: { type: 'string' },
  ...(description ? { description } : {}),
})
const headers = (names: readonly string[]) =>
  Object.fromEntries(names.map((n) => [n, { schema: { type: 'string' } }]))

/**
 * The OpenAPI paths of Receipts v4, Spend Documents v4 and Quick Expense v4 (concur-api-v4 §9.1–9.3),
 * with the contract's schemas.
 */
export function receiptsV4Paths(): Record<string, Record<string, Json>> {
  const sec = (scope: string) => [{ concurOAuth: [scope] }, { bearer: [] }]
  const rErr = json(ReceiptsV4Error, 'Receipts v4 error body.')
  const rErrors = { '400': rErr, '401': rErr, '403': rErr, '404': rErr }
  const r = (id: string, summary: string, scope: string, rest: Json) => ({
    operationId: `receiptsV4.${id}`,
    summary,
    tags: ['Receipts v4'],
    security: sec(scope),
    ...rest,
  })
  const userId = str('userId', 'path', 'UUID of the user (with a user token: its sub)')
  const receiptId = str('receiptId', 'path')
  const token = str('token', 'path', '`<received ms>_<last id>` of the previous page')
  const form = (parts: Record<string, Json>, required: string[]) => ({
    'multipart/form-data': { schema: { type: 'object', properties: parts, required } },
  })
  const file = { type: 'string', format: 'binary' }
  const eReceiptPost = r(
    'postReceipt',
    'Post an e-receipt (JSON, or a form with an image)',
    'receipts.write',
    {
      parameters: [
        userId,
        str(
          'link',
          'header',
          '<http://schema.concursolutions.com/<type>-receipt.schema.json>;rel=describedBy',
          true,
        ),
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { type: 'object' } },
          ...form({ receipt: { type: 'string' }, image: file }, ['receipt']),
        },
      },
      responses: {
        '201': { description: 'Accepted (empty body).', headers: headers(['location', 'link']) },
        ...rErrors,
        '413': rErr,
        '415': rErr,
      },
    },
  )
  const imagePost = r('postImageOnly', 'Post an image-only receipt', 'receipts.write', {
    parameters: [userId],
    requestBody: { required: true, content: form({ image: file, forwardId: { type: 'string' } }, ['image']) },
    responses: {
      '202': { description: 'Accepted (empty body).', headers: headers(['location', 'link']) },
      '304': { description: 'A receipt with this forwardId was already posted.' },
      ...rErrors,
      '413': rErr,
      '415': rErr,
    },
  })
  const imageOnlyOne = (id: string) =>
    r(id, 'One image-only receipt', 'receipts.read', {
      parameters: [receiptId],
      responses: { '200': json(ImageOnlyReceiptV4, 'The receipt.'), ...rErrors },
    })
  const imageOnlyImage = (id: string) =>
    r(id, 'The image of an image-only receipt', 'receipts.read', {
      parameters: [receiptId],
      responses: { '200': binary('The image.'), ...rErrors },
    })
  const imagePage = (id: string, params: Json[]) =>
    r(id, "A user's image-only receipts (50 a page, next link)", 'receipts.read', {
      parameters: params,
      responses: { '200': json(ImageOnlyReceiptsV4Page, 'A page.'), ...rErrors },
    })
  const receiptPage = (id: string, params: Json[]) =>
    r(id, "A user's e-receipts (50 a page, next link)", 'receipts.read', {
      parameters: params,
      responses: { '200': json(ReceiptsV4Page, 'A page.'), ...rErrors },
    })

  const sErr = json(SpendDocumentsError, 'Spend Documents v4 error body.')
  const sErrors = { '400': sErr, '401': sErr, '403': sErr, '404': sErr }
  const s = (id: string, summary: string, scope: string, rest: Json) => ({
    operationId: `spendDocumentsV4.${id}`,
    summary,
    tags: ['Spend Documents v4'],
    security: sec(scope),
    ...rest,
  })

  const qErr = json(V4Error, 'ErrorMessage body.')
  const qErrors = { '400': qErr, '401': qErr, '403': qErr, '404': qErr, '415': qErr }
  const q = (id: string, summary: string, rest: Json) => ({
    operationId: `quickExpenseV4.${id}`,
    summary,
    tags: ['Quick Expense v4'],
    security: sec('quickexpense.writeonly'),
    ...rest,
  })
  const qParams = [str('userID', 'path'), str('contextType', 'path', 'TRAVELER')]
  const qAnswers = {
    '201': json(QuickExpenseResponse, 'Created.'),
    ...qErrors,
    '429': {
      ...qErr,
      description: '120 requests per 5 minutes per user exceeded; Retry-After says when to retry.',
      headers: headers(['retry-after']),
    },
  }

  return {
    '/receipts': {
      get: r('serviceIndex', 'Service index', 'receipts.read', {
        responses: { '200': json(ReceiptsV4ServiceIndex, 'Links.'), ...rErrors },
      }),
    },
    '/receipts/schemas': {
      get: r('schemas', 'E-receipt schemas', 'receipts.read', {
        responses: { '200': json(ReceiptsV4Schemas, 'Schema links.'), ...rErrors },
      }),
    },
    '/receipts/v4/users/{userId}': { post: eReceiptPost, get: receiptPage('getReceipts', [userId]) },
    '/receipts/v4/users/{userId}/page/{token}': { get: receiptPage('getReceiptsPage', [userId, token]) },
    '/receipts/v4/users/{userId}/image-only-receipts': {
      post: imagePost,
      get: imagePage('getImageOnlyReceipts', [userId]),
    },
    '/receipts/v4/users/{userId}/image-only-receipts/page/{token}': {
      get: imagePage('getImageOnlyReceiptsPage', [userId, token]),
    },
    '/receipts/v4/status/{receiptId}': {
      get: r('status', 'Processing status of a receipt', 'receipts.read', {
        parameters: [receiptId],
        responses: { '200': json(ReceiptV4Status, 'Status and logs.'), ...rErrors },
      }),
    },
    '/receipts/v4/image-only-receipts/{receiptId}': { get: imageOnlyOne('getImageOnlyReceipt') },
    '/receipts/v4/image-only-receipts/{receiptId}/image': { get: imageOnlyImage('getImageOnlyImage') },
    '/receipts/v4/images/{receiptId}': { get: imageOnlyOne('getImageOnlyReceiptByLocation') },
    '/receipts/v4/images/{receiptId}/image': { get: imageOnlyImage('getImageOnlyImageByLocation') },
    '/receipts/v4/{receiptId}': {
      get: r('getReceipt', 'One e-receipt', 'receipts.read', {
        parameters: [receiptId],
        responses: { '200': json(ReceiptV4, 'The receipt.'), ...rErrors },
      }),
    },
    '/receipts/v4/{receiptId}/image': {
      get: r('getReceiptImage', 'The image of an e-receipt', 'receipts.read', {
        parameters: [receiptId],
        responses: { '200': binary('The image.'), ...rErrors },
      }),
    },
    '/spend-documents/v4/receipts': {
      get: s('byImageId', 'A final-approved receipt by its Imaging id', 'spenddocs.receipts.read', {
        parameters: [str('imageId', 'query', undefined, true), str('companyId', 'query')],
        responses: { '200': json(SpendDocumentReceipt, 'The receipt.'), ...sErrors },
      }),
    },
    '/spend-documents/v4/receipts/{receiptId}': {
      get: s('getReceipt', 'A final-approved receipt', 'spenddocs.receipts.read', {
        parameters: [receiptId],
        responses: { '200': json(SpendDocumentReceipt, 'The receipt.'), ...sErrors },
      }),
    },
    '/spend-documents/v4/receipts/{receiptId}/representations': {
      get: s('representation', 'The receipt image (display or compliance)', 'spenddocs.receipts.read', {
        parameters: [receiptId, str('type', 'query', 'display | compliance')],
        responses: { '200': binary('The image (the bytes of the v3.0 receipt image).'), ...sErrors },
      }),
    },
    '/quickexpense/v4/users/{userID}/context/{contextType}/quickexpenses': {
      post: q('create', 'Create a quick expense', {
        parameters: qParams,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref(QuickExpenseRequest) } },
        },
        responses: qAnswers,
      }),
    },
    '/quickexpense/v4/users/{userID}/context/{contextType}/quickexpenses/image': {
      post: q('createWithImage', 'Create a quick expense with a receipt image', {
        parameters: qParams,
        requestBody: {
          required: true,
          content: form({ quickExpenseRequest: { type: 'string' }, fileContent: file }, ['fileContent']),
        },
        responses: { ...qAnswers, '413': qErr },
      }),
    },
  }
}
