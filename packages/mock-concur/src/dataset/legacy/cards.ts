import type { CardCharge, Delegator } from '@concurkit/contract'
import { en, Faker } from '@faker-js/faker'
import type { MockCompany } from '../../companies.js'
import { userAt } from '../../companies.js'
import { DAY_MS, decimal8, isoSeconds, LEGACY_EPOCH_MS, mix32, resourceKey } from './common.js'

const faker = new Faker({ locale: en })

const EXPENSE_TYPES: readonly (readonly [string, string])[] = [
  ['CARRT', 'Car Rental'],
  ['UNDEF', 'Undefined'],
  ['AIRFR', 'Airfare'],
  ['LODNG', 'Hotel'],
  ['BUSML', 'Business Meal (attendees)'],
  ['TAXIX', 'Taxi'],
  ['PARKG', 'Parking'],
  ['GASXX', 'Fuel'],
]

/** The currency a company's card charges are in (by datacenter; EMEA companies bill in euros). */
export function companyCurrency(company: Pick<MockCompany, 'datacenter'>): string {
  if (company.datacenter.startsWith('eu')) return 'EUR'
  if (company.datacenter === 'cn') return 'CNY'
  return 'USD'
}

/** Number of unassigned card charges of user *u* (0–6): a pure function of (seed, company, u). */
export function cardChargeCount(seed: number, company: Pick<MockCompany, 'id'>, userIndex: number): number {
  return mix32(resourceKey(seed, company.id, 'company-card-transactions'), userIndex) % 7
}

/** Total unassigned card charges of a company (sum over its users; O(users), no records built). */
export function companyCardChargeCount(seed: number, company: Pick<MockCompany, 'id' | 'userCount'>): number {
  let n = 0
  for (let u = 0; u < company.userCount; u++) n += cardChargeCount(seed, company, u)
  return n
}

/**
 * The unassigned company card charges of user *u*, newest first. Each charge's date is unique for
 * the user, so (card, date, merchant, amount) identifies it.
 */
export function cardChargesOf(
  seed: number,
  company: Pick<MockCompany, 'id' | 'datacenter'>,
  userIndex: number,
): CardCharge[] {
  const key = resourceKey(seed, company.id, 'company-card-transactions')
  const n = mix32(key, userIndex) % 7
  const last4 = String(mix32(key, userIndex, 4) % 10_000).padStart(4, '0')
  const currency = companyCurrency(company)
  const out: CardCharge[] = []
  for (let j = 0; j < n; j++) {
    const h = mix32(key, userIndex, j)
    faker.seed(h)
    const [expKey, expName] = EXPENSE_TYPES[h % EXPENSE_TYPES.length]!
    out.push({
      CardNumber: `XXXXXXXXX${last4}`,
      ExpKey: expKey,
      ExpName: expName,
      Merchant: faker.company.name(),
      TransactionAmount: decimal8(faker.number.float({ min: 4, max: 900, fractionDigits: 2 })),
      TransactionCrnCode: currency,
      TransactionDate: isoSeconds(LEGACY_EPOCH_MS - (j * 3 + (h % 3) + 1) * DAY_MS),
    })
  }
  return out
}

/** Number of delegators of user *u* (0–3; none in a one-user company). */
export function delegatorCount(
  seed: number,
  company: Pick<MockCompany, 'id' | 'userCount'>,
  userIndex: number,
): number {
  if (company.userCount < 5) return 0
  return mix32(resourceKey(seed, company.id, 'expense-delegators'), userIndex) % 4
}

/** Total delegations in a company (sum over users). */
export function companyDelegatorCount(seed: number, company: Pick<MockCompany, 'id' | 'userCount'>): number {
  let n = 0
  for (let u = 0; u < company.userCount; u++) n += delegatorCount(seed, company, u)
  return n
}

const yn = (bit: boolean): 'Y' | 'N' => (bit ? 'Y' : 'N')

/**
 * The users who made user *u* their delegate, with what the delegate may do. Distinct users, never
 * *u* itself.
 */
export function delegatorsOf(
  seed: number,
  company: Pick<MockCompany, 'id' | 'domain' | 'userCount'>,
  userIndex: number,
): Delegator[] {
  const key = resourceKey(seed, company.id, 'expense-delegators')
  const n = delegatorCount(seed, company, userIndex)
  const U = company.userCount
  const step = 1 + (mix32(key, userIndex, 1) % Math.max(1, Math.floor((U - 1) / 4)))
  const out: Delegator[] = []
  for (let k = 0; k < n; k++) {
    const d = (userIndex + 1 + k * step) % U
    const bits = mix32(key, userIndex, d)
    out.push({
      CanApprove: yn((bits & 1) === 1),
      CanPrepare: yn((bits & 6) !== 0),
      CanSubmit: yn((bits & 8) === 8),
      CanTemporaryApprove: yn((bits & 16) === 16),
      CanViewReceipts: yn((bits & 32) === 32),
      ReceiveApprovalEmails: yn((bits & 64) === 64),
      ReceivesEmails: yn((bits & 128) === 128),
      DelegatorXUserID: userAt(seed, company, d).loginId,
    })
  }
  return out
}
