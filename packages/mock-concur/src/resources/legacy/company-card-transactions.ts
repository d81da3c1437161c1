import { cardChargesOf } from '../../dataset/legacy/cards.js'
import type { RowProvider } from '../row-provider.js'
import { perUserXmlRow } from './rows-kit.js'

/** v1.1 `CardCharges` (C.13): the caller's company card charges; the route is generated from the row. */
export const companyCardTransactions: RowProvider = perUserXmlRow('company-card-transactions', cardChargesOf)
