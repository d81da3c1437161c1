import {
  DIGEST_FILTERS,
  InvoiceVendor,
  PaymentRequest,
  PaymentRequestCreate,
  PaymentRequestDigest,
  PaymentRequestDigestCollection,
  PaymentRequestUpdate,
  VENDOR_FILTERS,
  VendorCollection,
  VendorWriteBody,
} from '@concurkit/contract'
import type { z } from 'zod'
import { componentRef } from '../openapi/family-schemas.js'

type Json = Record<string, unknown>

/** The Invoice schemas, by OpenAPI component name (registered by the document, referenced here). */
export const INVOICE_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  PaymentRequestDigest,
  PaymentRequestDigestCollection,
  PaymentRequest,
  PaymentRequestCreate,
  PaymentRequestUpdate,
  InvoiceVendor,
  VendorCollection,
  VendorWriteBody,
}

const ref = componentRef(INVOICE_SCHEMAS, 'Invoice')

/**
 * The Invoice paths for the OpenAPI document (concur-api-v4 §8): digests, payment requests, vendors,
 * the invoice image and its temporary download URL.
 */
export function invoicePaths(): Record<string, Record<string, Json>> {
  const both = (s: z.ZodType, description: string) => ({
    description,
    content: { 'application/json': { schema: ref(s) }, 'application/xml': { schema: { type: 'string' } } },
  })
  const error = {
    description: 'v3 error body `{"Error":{"Message","Server-Time","Id"}}` (XML by Accept).',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/WebServiceError' } } },
  }
  const errors = { '400': error, '401': error, '403': error, '404': error }
  const sec = (scope: string) => [{ concurOAuth: [scope] }, { bearer: [] }]
  const q = (name: string, description: string, type = 'string') => ({
    name,
    in: 'query',
    schema: { type },
    description,
  })
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }
  const requestId = { name: 'requestId', in: 'path', required: true, schema: { type: 'string' } }
  const body = (s: z.ZodType) => ({ required: true, content: { 'application/json': { schema: ref(s) } } })
  const created = {
    description: '`{"ID","URI"}` (CreateResponse).',
    content: { 'application/json': { schema: { type: 'object' } } },
  }
  const o = (tag: string, opId: string, summary: string, scope: string, rest: Json) => ({
    operationId: `invoice.${opId}`,
    summary,
    tags: [tag],
    security: sec(scope),
    'x-concur-scope': scope,
    ...rest,
  })
  const digests = 'v3.0 Payment Request Digests'
  const requests = 'v3.0 Payment Requests'
  const vendors = 'v3.1 Vendors'
  const image = {
    description: '`<Image><Id/><Url/></Image>`; `Url` valid 15 minutes, downloads without a token.',
    content: { 'application/xml': { schema: { type: 'string' } } },
  }
  return {
    '/api/v3.0/invoice/paymentrequestdigests': {
      get: o(digests, 'digests.list', 'Payment request digests (limit default and maximum 1,000)', 'INVPMT', {
        parameters: [
          q('offset', 'opaque position from NextPage'),
          q('limit', '1 to 1,000 (default 1,000)', 'integer'),
          ...DIGEST_FILTERS.map((f) => q(f.param, f.description)),
        ],
        responses: {
          '200': both(
            PaymentRequestDigestCollection,
            'PaymentRequestDigest and Items, NextPage, TotalCount.',
          ),
          ...errors,
        },
      }),
    },
    '/api/v3.0/invoice/paymentrequestdigests/{id}': {
      get: o(digests, 'digests.get', 'One payment request digest', 'INVPMT', {
        parameters: [id],
        responses: { '200': both(PaymentRequestDigest, 'The digest.'), ...errors },
      }),
    },
    '/api/v3.0/invoice/paymentrequest/{id}': {
      get: o(
        requests,
        'paymentRequests.get',
        'One payment request with its line items and allocations',
        'INVPMT',
        {
          parameters: [id],
          responses: { '200': both(PaymentRequest, 'The payment request.'), ...errors },
        },
      ),
    },
    '/api/v3.0/invoice/paymentrequest': {
      post: o(requests, 'paymentRequests.create', 'Create a payment request', 'INVPMT', {
        requestBody: body(PaymentRequestCreate),
        responses: { '200': created, ...errors },
      }),
      put: o(requests, 'paymentRequests.update', 'Update the payment request named by RequestID', 'INVPMT', {
        requestBody: body(PaymentRequestUpdate),
        responses: { '200': created, ...errors },
      }),
    },
    '/api/v3.1/invoice/vendors': {
      get: o(vendors, 'vendors.list', 'Vendors (limit default 25, maximum 1,000)', 'INVVEN', {
        parameters: [
          q('offset', 'opaque position from NextPage'),
          q('limit', '1 to 1,000 (default 25)', 'integer'),
          q('searchType', 'exact (default) | begins | contains | ends'),
          q('sortBy', 'VendorCode | VendorName | AddressCode | City | State | PostalCode | Country | TaxID'),
          q('sortDirection', 'asc | desc'),
          ...VENDOR_FILTERS.map((f) => q(f.param, f.description)),
        ],
        responses: { '200': both(VendorCollection, 'Vendor and Items, NextPage, TotalCount.'), ...errors },
      }),
      post: o(vendors, 'vendors.create', 'Create vendors (a status per vendor)', 'INVVEN', {
        requestBody: body(VendorWriteBody),
        responses: { '200': both(VendorCollection, 'The vendors with their StatusList.'), ...errors },
      }),
      put: o(vendors, 'vendors.update', 'Update vendors (a status per vendor)', 'INVVEN', {
        requestBody: body(VendorWriteBody),
        responses: { '200': both(VendorCollection, 'The vendors with their StatusList.'), ...errors },
      }),
      delete: o(
        vendors,
        'vendors.delete',
        'Delete the vendor with this vendorCode and addressCode',
        'INVVEN',
        {
          parameters: [
            { ...q('vendorCode', 'vendor code'), required: true },
            { ...q('addressCode', 'address code'), required: true },
          ],
          responses: { '200': { description: 'Deleted (no body).' }, ...errors },
        },
      ),
    },
    '/api/image/v1.0/invoice/{requestId}': {
      get: o('v1.0 Image', 'image.get', 'The temporary URL of an invoice image', 'IMAGE', {
        parameters: [requestId],
        responses: { '200': image, ...errors },
      }),
      post: o('v1.0 Image', 'image.post', 'Upload the invoice image (one per payment request)', 'IMAGE', {
        parameters: [requestId],
        requestBody: {
          required: true,
          content: Object.fromEntries(
            ['application/pdf', 'image/jpg', 'image/jpeg', 'image/png', 'multipart/form-data'].map((t) => [
              t,
              { schema: { type: 'string', format: 'binary' } },
            ]),
          ),
        },
        responses: { '200': image, ...errors },
      }),
    },
    '/imaging/v3/invoices/{requestId}': {
      get: {
        operationId: 'invoice.image.download',
        summary: 'An invoice image’s temporary, signed URL (no token)',
        tags: ['v1.0 Image'],
        parameters: [requestId, q('expires', 'epoch seconds'), q('signature', 'signature')],
        responses: {
          '200': { description: 'The image bytes.', content: { 'image/png': {}, 'application/pdf': {} } },
          '403': error,
          '404': error,
        },
      },
    },
  }
}
