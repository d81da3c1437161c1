import { QuickExpenseRequest, QuickExpenseResponse } from '@concurkit/contract'
import { z } from 'zod'
import { invalidArgument } from './errors.js'
import type { Transport } from './http.js'
import { parseJson, validateItem } from './parse.js'
import { multipartBody, type UploadImage } from './receipts-v4.js'

/**
 * Quick Expense v4 (`/quickexpense/v4`): creates a quick expense — an available expense of the user
 * — from a request, with or without a receipt image. Concur allows 120 requests per 5 minutes per
 * user and answers the next one 429: the client waits as `Retry-After` says and sends it again
 * (the transport's retry layer; a 429 is a refusal, so even this POST is repeated).
 *
 * @example
 * const { quickExpenseIdUri } = await client.quickExpenseV4.create(userId, {
 *   expenseTypeId: 'BUSML', transactionAmount: { currencyCode: 'USD', value: 88.05 }, transactionDate: '2019-02-04',
 * })
 */
export interface QuickExpenseV4Client {
  create(
    userId: string,
    request: QuickExpenseRequest,
    options?: { image?: UploadImage; signal?: AbortSignal },
  ): Promise<QuickExpenseResponse>
}

/** The Quick Expense v4 accessor over a client's transport. */
export function quickExpenseV4Client(transport: Transport): QuickExpenseV4Client {
  return {
    async create(userId, request, o = {}) {
      if (typeof userId !== 'string' || userId === '') invalidArgument('userId must be a non-empty string')
      const checked = QuickExpenseRequest.safeParse(request)
      if (!checked.success) invalidArgument(`invalid quick expense: ${z.prettifyError(checked.error)}`)
      const base = `/quickexpense/v4/users/${encodeURIComponent(userId)}/context/TRAVELER/quickexpenses`
      const parse = (res: { body: Buffer }) =>
        validateItem(QuickExpenseResponse, parseJson(res.body), 'quick expense')
      const signal = o.signal ? { signal: o.signal } : {}
      if (!o.image) {
        return transport.send(
          {
            method: 'POST',
            url: base,
            body: JSON.stringify(checked.data),
            contentType: 'application/json',
            ...signal,
          },
          parse,
        )
      }
      const form = new FormData()
      form.set('quickExpenseRequest', JSON.stringify(checked.data))
      form.set(
        'fileContent',
        new File([o.image.data as Uint8Array<ArrayBuffer>], o.image.filename ?? 'receipt', {
          type: o.image.contentType,
        }),
      )
      const m = await multipartBody(form)
      return transport.send(
        { method: 'POST', url: `${base}/image`, body: m.body, contentType: m.contentType, ...signal },
        parse,
      )
    },
  }
}
