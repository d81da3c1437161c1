import type { CardsV4Transaction } from '@concurkit/contract'
import type { MockCompany } from '../../companies.js'
import { cardChargesOf } from '../../dataset/legacy/cards.js'
import { DAY_MS } from '../../dataset/legacy/common.js'
import { hashHex } from '../../util/hash.js'

/** Merchant category codes (MCC) of the expense types the v1.1 card charges carry. */
const MCC: Readonly<Record<string, string>> = {
  CARRT: '7512',
  UNDEF: '5999',
  AIRFR: '4511',
  LODNG: '7011',
  BUSML: '5812',
  TAXIX: '4121',
  PARKG: '7523',
  GASXX: '5542',
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const endOfMonth = (ms: number) => {
  const d = new Date(ms)
  return day(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0))
}

/**
 * The Cards v4 transactions of user *u*: the same unassigned card charges `GET
 * /api/expense/expensereport/v1.1/CardCharges` serves that user, one v4 transaction each, in the
 * v1.1 order (newest first). Amounts are the v1.1 amounts as numbers; `id` and the account id are
 * stable hashes of (seed, company, user, charge).
 *
 * @example
 * cardsV4TransactionsOf(seed, company, 2)[0]?.administrativeData.status // 'UN'
 */
export function cardsV4TransactionsOf(
  seed: number,
  company: Pick<MockCompany, 'id' | 'datacenter'>,
  userIndex: number,
): CardsV4Transaction[] {
  const charges = cardChargesOf(seed, company, userIndex)
  const accountId = hashHex(seed, company.id, 'cards-v4-account', userIndex).slice(0, 32).toUpperCase()
  return charges.map((ch, j) => {
    const txMs = Date.parse(`${ch.TransactionDate}Z`)
    const amount = { currencyCode: ch.TransactionCrnCode, value: Number(ch.TransactionAmount) }
    const postedMs = txMs + 2 * DAY_MS
    return {
      type: 'RPE',
      transactionAmount: amount,
      postedAmount: amount,
      transactionDate: day(txMs),
      postedDate: day(postedMs),
      billedAmount: amount,
      description: ch.Merchant.slice(0, 42),
      description2: null,
      description3: null,
      description4: null,
      description5: null,
      referenceNumber: hashHex(seed, company.id, 'cards-v4-ref', userIndex, j).slice(0, 33),
      processorReferenceNumber: null,
      acquirerReferenceNumber: null,
      merchantReferenceNumber: null,
      customerVatNumber: '',
      totalTaxAmount: null,
      taxes: [],
      statement: { referenceNumber: null, billingDate: endOfMonth(postedMs) },
      id: hashHex(seed, company.id, 'cards-v4-transaction', userIndex, j).slice(0, 16),
      companyId: company.id,
      account: {
        id: accountId,
        lastSegment: ch.CardNumber.slice(-4),
        paymentType: { id: 'IBCP' },
        cardProductType: 'CORP',
      },
      billingAccount: null,
      administrativeData: {
        status: 'UN',
        processType: 'REG',
        receiptImageId: null,
        integrationPartner: 'BATCH',
        addendumType: null,
        lastModified: new Date(postedMs + 6 * 3_600_000).toISOString().replace('Z', '+00:00'),
        hasRichData: false,
        isDeletable: false,
      },
      merchant: {
        name: ch.Merchant,
        categoryCode: MCC[ch.ExpKey] ?? '5999',
        doingBusinessAs: ch.Merchant,
        id: null,
        vatNumber: '',
        address: null,
      },
    }
  })
}
