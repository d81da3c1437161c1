import {
  CARDS_V4_BULK_MAX,
  CARDS_V4_MAX_PAGE_SIZE,
  type CardsV4AccountPost,
  CardsV4BulkAccepted,
  CardsV4BulkRequest,
  type CardsV4Transaction,
  CardsV4TransactionPage,
  type CardsV4TransactionPost,
} from '@concurkit/contract'
import type { z } from 'zod'
import { CLIENT_ERROR_CODES, ConcurClientError, invalidArgument } from './errors.js'
import type { RawResponse, SendRequest, Transport } from './http.js'
import { parseJson, validateItem } from './parse.js'

/** Query of `GET /cards/v4/users/{userId}/transactions` (paging parameters are the client's). */
export interface CardsV4TransactionQuery {
  readonly status?: 'UN' | 'AS'
  /** `yyyy-MM-dd`; Concur's default and floor is 24 months ago. */
  readonly transactionDateFrom?: string
  readonly transactionDateTo?: string
  readonly sort?: 'transactionDate' | 'lastModified'
  readonly order?: 'ASC' | 'DESC'
  /** 1..100 (default 100). */
  readonly pageSize?: number
}

/**
 * Cards v4 (`/cards/v4`): a user's card transactions (user token; walked by `nextPageToken`) and
 * the company-token bulk writes with their bulk-request status. Bulk POSTs are never retried.
 *
 * @example
 * for await (const t of client.cardsV4.transactions(userId, { status: 'UN' })) console.log(t.id, t.transactionAmount)
 * const { requestId } = await client.cardsV4.postTransactions(companyId, transactions)
 */
export interface CardsV4Client {
  /** Every transaction of the user (all pages), as the query filters and sorts them. */
  transactions(
    userId: string,
    query?: CardsV4TransactionQuery,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<CardsV4Transaction>
  /** The pages themselves (`{transactions, paging}`), for callers that track `nextPageToken`. */
  transactionPages(
    userId: string,
    query?: CardsV4TransactionQuery,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<CardsV4TransactionPage>
  /** `POST /companies/{companyId}/transactions/bulk` (1..1000) → 202 `{requestId, links}`. */
  postTransactions(
    companyId: string,
    transactions: readonly CardsV4TransactionPost[],
    options?: { signal?: AbortSignal },
  ): Promise<CardsV4BulkAccepted>
  /** `POST /companies/{companyId}/accounts/bulk` (1..1000) → 202 `{requestId, links}`. */
  postAccounts(
    companyId: string,
    accounts: readonly CardsV4AccountPost[],
    options?: { signal?: AbortSignal },
  ): Promise<CardsV4BulkAccepted>
  /** `GET /companies/{companyId}/bulkrequests/{requestId}`: where an accepted bulk request stands. */
  bulkRequest(
    companyId: string,
    requestId: string,
    options?: { signal?: AbortSignal },
  ): Promise<CardsV4BulkRequest>
}

const seg = (s: string, what: string) => {
  if (typeof s !== 'string' || s === '') invalidArgument(`${what} must be a non-empty string`)
  return encodeURIComponent(s)
}

/** The Cards v4 accessor over a client's transport. */
export function cardsV4Client(transport: Transport): CardsV4Client {
  const sig = (s?: AbortSignal) => (s ? { signal: s } : {})
  const send = <T>(req: SendRequest, schema: z.ZodType<T>, where: string) =>
    transport.send(req, (res: RawResponse) => validateItem(schema, parseJson(res.body), where))
  async function* transactionPages(
    userId: string,
    query: CardsV4TransactionQuery = {},
    o: { signal?: AbortSignal } = {},
  ): AsyncGenerator<CardsV4TransactionPage> {
    const { pageSize, ...rest } = query
    if (
      pageSize !== undefined &&
      (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > CARDS_V4_MAX_PAGE_SIZE)
    )
      invalidArgument(`pageSize must be an integer from 1 to ${CARDS_V4_MAX_PAGE_SIZE}`)
    const url = `/cards/v4/users/${seg(userId, 'userId')}/transactions`
    const base: Record<string, string | undefined> = {
      ...rest,
      ...(pageSize === undefined ? {} : { pageSize: String(pageSize) }),
    }
    let token: string | null = null
    const seen = new Set<string>()
    do {
      const page: CardsV4TransactionPage = await send(
        {
          url,
          query: { ...base, ...(token ? { pageToken: token } : {}) },
          accept: 'application/json',
          ...sig(o.signal),
        },
        CardsV4TransactionPage,
        'card transactions page',
      )
      yield page
      token = page.paging.nextPageToken
      if (token !== null) {
        if (seen.has(token))
          throw new ConcurClientError(
            CLIENT_ERROR_CODES.INVALID_RESPONSE,
            `Cards v4 paging repeated nextPageToken ${token}`,
          )
        seen.add(token)
      }
    } while (token)
  }
  const bulk = async (
    companyId: string,
    what: 'transactions' | 'accounts',
    items: readonly unknown[],
    signal: AbortSignal | undefined,
  ) => {
    if (!Array.isArray(items) || items.length < 1 || items.length > CARDS_V4_BULK_MAX)
      invalidArgument(`a Cards v4 bulk request carries 1 to ${CARDS_V4_BULK_MAX} ${what}`)
    return send(
      {
        method: 'POST',
        url: `/cards/v4/companies/${seg(companyId, 'companyId')}/${what}/bulk`,
        accept: 'application/json',
        contentType: 'application/json',
        body: JSON.stringify({ [what]: items }),
        ...sig(signal),
      },
      CardsV4BulkAccepted,
      'bulk response',
    )
  }
  return {
    transactionPages,
    async *transactions(userId, query, o) {
      for await (const page of transactionPages(userId, query, o)) yield* page.transactions
    },
    postTransactions: (companyId, transactions, o = {}) =>
      bulk(companyId, 'transactions', transactions, o.signal),
    postAccounts: (companyId, accounts, o = {}) => bulk(companyId, 'accounts', accounts, o.signal),
    bulkRequest: (companyId, requestId, o = {}) =>
      send(
        {
          url: `/cards/v4/companies/${seg(companyId, 'companyId')}/bulkrequests/${seg(requestId, 'requestId')}`,
          accept: 'application/json',
          ...sig(o.signal),
        },
        CardsV4BulkRequest,
        'bulk request',
      ),
  }
}
