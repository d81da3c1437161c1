import type {
  CardsV4AccountPost,
  CardsV4BulkRequest,
  CardsV4Transaction,
  CardsV4TransactionPost,
} from '@concurkit/contract'
import type { MockCompany } from '../../companies.js'
import type { MockState } from '../../state.js'
import { hashHex } from '../../util/hash.js'
import { cardsV4TransactionsOf } from './cards-v4-data.js'

/** How long an accepted bulk request stays `IN_PROGRESS` on the mock's clock. */
export const CARDS_V4_BULK_PROCESSING_MS = 2_000

interface Account {
  readonly id: string
  readonly userIndex: number
  readonly lastSegment: string
  readonly cardProductType: string
  readonly liabilityType: string
}

interface Posted {
  readonly userIndex: number
  readonly visibleMs: number
  readonly tx: CardsV4Transaction
}

interface BulkEntry {
  readonly companyId: string
  readonly record: CardsV4BulkRequest
  readonly doneMs: number
  /** What processing will report once done. */
  readonly outcome: 'COMPLETED_SUCCESSFULLY' | 'COMPLETED_WITH_ERRORS'
}

/** Per-mock Cards v4 writes: accounts and transactions by company and `externalId`, bulk requests by id. */
interface CardsV4Store {
  readonly accounts: Map<string, Account>
  readonly posted: Map<string, Posted>
  readonly bulk: Map<string, BulkEntry>
  reset(): void
}

const storeOf = (state: MockState): CardsV4Store =>
  state.store('cards-v4', () => {
    const accounts = new Map<string, Account>()
    const posted = new Map<string, Posted>()
    const bulk = new Map<string, BulkEntry>()
    return {
      accounts,
      posted,
      bulk,
      reset: () => {
        accounts.clear()
        posted.clear()
        bulk.clear()
      },
    }
  })

const key = (companyId: string, externalId: string) => `${companyId}\u001f${externalId}`

/**
 * A user's Cards v4 transactions now: the seeded charges (those v1.1 `CardCharges` serves) and then
 * the transactions posted for the user's accounts whose bulk request has completed, in post order.
 *
 * @example
 * cardsV4TransactionsFor(state, company, 2).length
 */
export function cardsV4TransactionsFor(
  state: MockState,
  company: Pick<MockCompany, 'id' | 'datacenter'>,
  userIndex: number,
): CardsV4Transaction[] {
  const seeded = cardsV4TransactionsOf(state.options.seed, company, userIndex)
  const store = state.stores.get('cards-v4') as CardsV4Store | undefined
  if (!store || store.posted.size === 0) return seeded
  const now = state.clock.now()
  const prefix = `${company.id}\u001f`
  const posted: CardsV4Transaction[] = []
  for (const [k, p] of store.posted)
    if (k.startsWith(prefix) && p.userIndex === userIndex && p.visibleMs <= now) posted.push(p.tx)
  return [...seeded, ...posted]
}

/**
 * Records an accepted accounts bulk: each account whose `cardholder.userId` (or `employeeId`) names a
 * user of the company is kept (by `externalId`, a repost replaces it); the others make the request
 * complete with errors.
 */
export function acceptAccounts(
  state: MockState,
  company: MockCompany,
  requestId: string,
  accounts: readonly CardsV4AccountPost[],
): void {
  const store = storeOf(state)
  let failed = 0
  for (const a of accounts) {
    const holder = (a as { cardholder?: { userId?: string; employeeId?: string } }).cardholder
    const userIndex = userIndexOf(state, company, holder)
    if (userIndex === undefined) {
      failed++
      continue
    }
    store.accounts.set(key(company.id, a.externalId), {
      id: hashHex(company.id, 'cards-v4-posted-account', a.externalId).slice(0, 32).toUpperCase(),
      userIndex,
      lastSegment: a.lastSegment,
      cardProductType: a.cardProductType,
      liabilityType: a.liabilityType,
    })
  }
  track(state, company, requestId, 'POST_ACCOUNT', accounts.length, failed)
}

/**
 * Records an accepted transactions bulk: each transaction of a known account (posted earlier) is
 * kept by `externalId` and shows in the cardholder's list once the request completes; transactions
 * of unknown accounts make the request complete with errors.
 */
export function acceptTransactions(
  state: MockState,
  company: MockCompany,
  requestId: string,
  transactions: readonly CardsV4TransactionPost[],
): void {
  const store = storeOf(state)
  const now = state.clock.now()
  const visibleMs = now + CARDS_V4_BULK_PROCESSING_MS
  let failed = 0
  for (const t of transactions) {
    const account = store.accounts.get(key(company.id, t.account.externalId))
    if (!account) {
      failed++
      continue
    }
    const tx: CardsV4Transaction = {
      type: t.type,
      transactionAmount: t.transactionAmount,
      postedAmount: t.postedAmount,
      transactionDate: t.transactionDate,
      postedDate: t.postedDate,
      billedAmount: t.billedAmount ?? t.postedAmount,
      description: t.description ?? null,
      referenceNumber: t.referenceNumber ?? null,
      statement: { referenceNumber: null, billingDate: null },
      id: hashHex(company.id, 'cards-v4-posted', t.externalId).slice(0, 16),
      companyId: company.id,
      account: {
        id: account.id,
        lastSegment: account.lastSegment,
        paymentType: { id: account.liabilityType },
        cardProductType: account.cardProductType,
      },
      billingAccount: null,
      administrativeData: {
        status: 'UN',
        processType: 'REG',
        receiptImageId: null,
        integrationPartner: 'API',
        addendumType: null,
        lastModified: new Date(visibleMs).toISOString().replace('Z', '+00:00'),
        hasRichData: false,
        isDeletable: true,
      },
      merchant: {
        name: t.merchant.name,
        categoryCode: t.merchant.categoryCode ?? null,
        doingBusinessAs: t.merchant.doingBusinessAs ?? null,
        id: t.merchant.id ?? null,
        address: t.merchant.address ?? null,
      },
    }
    const k = key(company.id, t.externalId)
    store.posted.delete(k) // a repost moves to the end, as a new post
    store.posted.set(k, { userIndex: account.userIndex, visibleMs, tx })
  }
  track(state, company, requestId, 'POST_TRANSACTION', transactions.length, failed)
}

function userIndexOf(
  state: MockState,
  company: MockCompany,
  holder: { userId?: string; employeeId?: string } | undefined,
): number | undefined {
  if (!holder) return undefined
  const wanted = holder.userId?.toLowerCase()
  for (let u = 0; u < company.userCount; u++) {
    const user = state.user(company, u)
    if (!user) continue
    if (wanted !== undefined ? user.id.toLowerCase() === wanted : user.employeeId === holder.employeeId)
      return u
  }
  return undefined
}

function track(
  state: MockState,
  company: MockCompany,
  requestId: string,
  type: CardsV4BulkRequest['type'],
  total: number,
  failed: number,
): void {
  const now = state.clock.now()
  storeOf(state).bulk.set(requestId, {
    companyId: company.id,
    record: {
      requestId,
      status: 'IN_PROGRESS',
      receivedAt: new Date(now).toISOString(),
      totalElements: total,
      type,
    },
    doneMs: now + CARDS_V4_BULK_PROCESSING_MS,
    outcome: failed === 0 ? 'COMPLETED_SUCCESSFULLY' : 'COMPLETED_WITH_ERRORS',
  })
}

/** A bulk request of the company as it stands now on the mock's clock, or undefined. */
export function bulkRequestOf(
  state: MockState,
  companyId: string,
  requestId: string,
): CardsV4BulkRequest | undefined {
  const found = storeOf(state).bulk.get(requestId)
  if (!found || found.companyId !== companyId) return undefined
  if (state.clock.now() < found.doneMs) return found.record
  return { ...found.record, status: found.outcome, completedAt: new Date(found.doneMs).toISOString() }
}
