import { COMMON_SIZES, locationAt } from '../../dataset/common.js'
import { defs, recordPlan, str } from '../../dataset/row-plans.js'
import type { V3Row } from './row.js'

/** `/api/v3.0/common/locations` (read-only); `city` matches the name's first part. */
export const locations: V3Row = {
  key: 'locations',
  kind: 'locations',
  get filters() {
    return defs('locations')
  },
  size: () => COMMON_SIZES.locations,
  exists: () => true,
  generate: (ds, i) => locationAt(ds, i),
  plan(ds, f) {
    const city = str(f, 'city')?.toLowerCase()
    return recordPlan(
      () => locations,
      ds,
      f,
      { lo: 0, hi: COMMON_SIZES.locations, strides: [] },
      (i) =>
        city === undefined || String(locationAt(ds, i).Name).split(',')[0]!.trim().toLowerCase() === city,
    )
  },
}
