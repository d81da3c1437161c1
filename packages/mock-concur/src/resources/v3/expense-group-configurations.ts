import { COMMON_SIZES, groupConfigAt } from '../../dataset/common.js'
import { planOf } from '../../dataset/plan.js'
import { defs } from '../../dataset/row-plans.js'
import type { V3Row } from './row.js'

/** `/api/v3.0/expense/expensegroupconfigurations` (read-only). */
export const expenseGroupConfigurations: V3Row = {
  key: 'expense-group-configurations',
  kind: 'expense-group-configurations',
  get filters() {
    return defs('expense-group-configurations')
  },
  size: () => COMMON_SIZES.groupConfigs,
  exists: () => true,
  generate: (ds, i) => groupConfigAt(ds, i),
  plan: () => planOf({ lo: 0, hi: COMMON_SIZES.groupConfigs, strides: [] }, () => true),
}
