import { z } from 'zod'
import { defineResource } from '../registry.js'

/**
 * Cards v4 wire shapes (`/cards/v4`, concur-api-v4 §9.4; spec Cards.oas3.json): the per-user
 * transaction read (user JWT, token paging) and the company-JWT bulk writes with their bulk-request
 * status. The error body of the writes is an array of `ErrorResponseV4`.
 *
 * @example
 * CardsV4TransactionPage.parse(await res.json()).paging.nextPageToken
 */

/** The largest (and default) `pageSize` of `GET /cards/v4/users/{userId}/transactions`. */
export const CARDS_V4_MAX_PAGE_SIZE = 100
/** The most transactions or accounts one bulk POST may carry. */
export const CARDS_V4_BULK_MAX = 1000
/** How far back `transactionDateFrom` may reach (and its default): 24 months. */
export const CARDS_V4_HISTORY_MONTHS = 24

/** The Cards v4 scopes (user read of transactions; company writes and bulk-request read). */
export const CARDS_V4_SCOPES = [
  'cards.transaction.read',
  'cards.transaction.writeonly',
  'cards.account.writeonly',
  'cards.bulkrequest.read',
] as const
export type CardsV4Scope = (typeof CARDS_V4_SCOPES)[number]

/** `status` filter values: unassigned (UN) or assigned to a report (AS). */
export const CARDS_V4_STATUSES = ['UN', 'AS'] as const
/** `sort` values (default `transactionDate`). */
export const CARDS_V4_SORTS = ['transactionDate', 'lastModified'] as const
/** `order` values (default `DESC`). */
export const CARDS_V4_ORDERS = ['ASC', 'DESC'] as const
/** Transaction `type` values of the spec. */
export const CARDS_V4_TRANSACTION_TYPES = [
  'ANF',
  'CAV',
  'CCF',
  'PAY',
  'NSF',
  'CHG',
  'FNC',
  'LAF',
  'RPE',
] as const

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

/** `AmountModelV4`: `{currencyCode, value}`. */
export const CardsV4Amount = z.looseObject({ currencyCode: z.string().length(3), value: z.number() })
export type CardsV4Amount = z.infer<typeof CardsV4Amount>

const address = z.looseObject({
  city: z.string().nullish(),
  countryCode: z.string().nullish(),
  state: z.string().nullish(),
  streetAddress: z.string().nullish(),
  zip: z.string().nullish(),
})

/**
 * One transaction of `GET /cards/v4/users/{userId}/transactions` (the documented sample's fields;
 * tolerant of more).
 *
 * @example
 * CardsV4Transaction.parse(body.transactions[0]).administrativeData.status // 'UN'
 */
export const CardsV4Transaction = z.looseObject({
  id: z.string().min(1),
  type: z.string(),
  companyId: z.string(),
  transactionAmount: CardsV4Amount,
  postedAmount: CardsV4Amount,
  billedAmount: CardsV4Amount.nullish(),
  transactionDate: date,
  postedDate: date.nullish(),
  description: z.string().nullish(),
  referenceNumber: z.string().nullish(),
  statement: z.looseObject({ referenceNumber: z.string().nullish(), billingDate: date.nullish() }).nullish(),
  account: z.looseObject({
    id: z.string(),
    lastSegment: z.string(),
    paymentType: z.looseObject({ id: z.string() }).nullish(),
    cardProductType: z.string().nullish(),
  }),
  administrativeData: z.looseObject({
    status: z.enum(CARDS_V4_STATUSES),
    lastModified: z.string(),
    processType: z.string().nullish(),
    integrationPartner: z.string().nullish(),
  }),
  merchant: z
    .looseObject({
      name: z.string(),
      categoryCode: z.string().nullish(),
      doingBusinessAs: z.string().nullish(),
      id: z.string().nullish(),
      address: address.nullish(),
    })
    .nullish(),
})
export type CardsV4Transaction = z.infer<typeof CardsV4Transaction>

/** The token-paging block: `nextPageToken` is null on the last page. */
export const CardsV4Paging = z.looseObject({
  nextPageToken: z.string().nullable(),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(0),
  totalElements: z.number().int().min(0),
  totalPages: z.number().int().min(0),
})

/**
 * A page of a user's transactions: `{transactions, paging}`.
 *
 * @example
 * CardsV4TransactionPage.parse(body).transactions.length // ≤ 100
 */
export const CardsV4TransactionPage = z.looseObject({
  transactions: z.array(CardsV4Transaction),
  paging: CardsV4Paging,
})
export type CardsV4TransactionPage = z.infer<typeof CardsV4TransactionPage>

const str = (min: number, max: number) => z.string().min(min).max(max)

/** `TransactionModelV4Post`: one transaction of `POST …/transactions/bulk` (required fields as the spec). */
export const CardsV4TransactionPost = z.looseObject({
  account: z.looseObject({ externalId: str(1, 50) }),
  externalId: str(1, 50),
  merchant: z.looseObject({
    name: str(1, 128),
    categoryCode: z.string().length(4).optional(),
    doingBusinessAs: str(0, 128).optional(),
    id: str(0, 20).optional(),
    vatNumber: str(0, 20).optional(),
    address: address.optional(),
  }),
  postedAmount: CardsV4Amount,
  postedDate: date,
  transactionAmount: CardsV4Amount,
  transactionDate: date,
  type: z.enum(CARDS_V4_TRANSACTION_TYPES),
  billedAmount: CardsV4Amount.optional(),
  description: str(0, 42).optional(),
  referenceNumber: str(0, 64).optional(),
  transactionDateTime: z.string().optional(),
})
export type CardsV4TransactionPost = z.infer<typeof CardsV4TransactionPost>

/** `TransactionListModelV4Post`: `{transactions: [1..1000]}`. */
export const CardsV4TransactionsBulk = z.looseObject({
  transactions: z.array(CardsV4TransactionPost).min(1).max(CARDS_V4_BULK_MAX),
})
export type CardsV4TransactionsBulk = z.infer<typeof CardsV4TransactionsBulk>

/** `AccountModelV4Post`: one account of `POST …/accounts/bulk`. */
export const CardsV4AccountPost = z.looseObject({
  accountType: z.enum(['I', 'M', 'V']),
  cardProductDescription: str(1, 210),
  cardProductType: z.enum(['CORP', 'BUSN']),
  externalId: str(1, 50),
  lastSegment: z.string().length(4),
  liabilityType: z.enum(['IBIP', 'IBCP', 'CBCP']),
  nameOnCard: str(1, 100),
  provider: z.looseObject({}),
  status: z.enum(['A', 'C']).optional(),
  billedCurrency: z.string().length(3).optional(),
})
export type CardsV4AccountPost = z.infer<typeof CardsV4AccountPost>

/** `AccountListModelV4Post`: `{accounts: [1..1000]}`. */
export const CardsV4AccountsBulk = z.looseObject({
  accounts: z.array(CardsV4AccountPost).min(1).max(CARDS_V4_BULK_MAX),
})
export type CardsV4AccountsBulk = z.infer<typeof CardsV4AccountsBulk>

/** `BulkResponseModel` (202): `{requestId, links:[{href, rel:'self'}]}`. */
export const CardsV4BulkAccepted = z.looseObject({
  requestId: z.string().min(1),
  links: z.array(z.looseObject({ href: z.string(), rel: z.string() })).optional(),
})
export type CardsV4BulkAccepted = z.infer<typeof CardsV4BulkAccepted>

/** `BulkRequestModelV4`: `GET /cards/v4/companies/{companyId}/bulkrequests/{requestId}`. */
export const CardsV4BulkRequest = z.looseObject({
  requestId: z.string(),
  type: z.enum(['POST_ACCOUNT', 'POST_TRANSACTION', 'PATCH_ACCOUNT', 'PATCH_TRANSACTION']),
  status: z.enum([
    'IN_PROGRESS',
    'COMPLETED_SUCCESSFULLY',
    'COMPLETED_WITH_WARNINGS',
    'COMPLETED_WITH_ERRORS',
    'PROCESSED_PARTIALLY_PENDING_RETRY',
  ]),
  receivedAt: z.string(),
  completedAt: z.string().nullish(),
  totalElements: z.number().int().min(0),
})
export type CardsV4BulkRequest = z.infer<typeof CardsV4BulkRequest>

/** `Error`: one detail of an `ErrorResponseV4`. */
export const CardsV4ErrorDetail = z.looseObject({
  errorCode: z.string(),
  errorMessage: z.string(),
  dataPath: z.string().optional(),
})

/**
 * The Cards v4 error body: an ARRAY of `ErrorResponseV4` `{errorCode, errorMessage, dataPath?, errors?}`.
 *
 * @example
 * CardsV4Error.parse(body)[0]?.errorCode // 'invalidRequest'
 */
export const CardsV4Error = z.array(
  z.looseObject({
    errorCode: z.string(),
    errorMessage: z.string(),
    dataPath: z.string().optional(),
    errors: z.array(CardsV4ErrorDetail).optional(),
  }),
)
export type CardsV4Error = z.infer<typeof CardsV4Error>

/**
 * Registry row of `card-transactions`: one user's card transactions (`{userId}` is the user of the
 * token — user tokens only), walked by `paging.nextPageToken`, on the same charges as
 * `company-card-transactions` (v1.1 `CardCharges`, which Concur deprecated for it).
 *
 * @example
 * await client.resource('card-transactions').list({ userId }).toArray()
 */
export const cardTransactions = defineResource({
  name: 'card-transactions',
  title: 'Card Transactions (Cards v4)',
  api: 'v4',
  path: '/cards/v4/users/{userId}/transactions',
  format: 'json',
  paging: {
    kind: 'json',
    items: 'transactions',
    size: { param: 'pageSize', default: CARDS_V4_MAX_PAGE_SIZE, max: CARDS_V4_MAX_PAGE_SIZE },
    next: { type: 'token', field: 'paging.nextPageToken', param: 'pageToken' },
    total: 'paging.totalElements',
  },
  scope: 'cards.transaction.read',
  item: CardsV4Transaction,
  idField: 'id',
  // `sort` and `order` reorder rather than narrow: `client.cardsV4.transactions()` takes them.
  filters: [
    {
      param: 'status',
      type: 'enum',
      values: CARDS_V4_STATUSES,
      description: 'UN (unassigned) or AS (assigned to a report)',
    },
  ],
  adminOnly: false,
  writes: ['create'],
  reference: 'v4 §9.4',
  tokenKinds: ['user'],
  errorBody: CardsV4Error,
})
