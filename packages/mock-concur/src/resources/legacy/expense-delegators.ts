import { delegatorsOf } from '../../dataset/legacy/cards.js'
import type { RowProvider } from '../row-provider.js'
import { perUserXmlRow } from './rows-kit.js'

/** v1.1 `Delegators` (C.14): who the caller may act for; the route is generated from the row. */
export const expenseDelegators: RowProvider = perUserXmlRow('expense-delegators', delegatorsOf, { xsi: true })
