import { ListWrite } from '@concurkit/contract'
import { COMMON_SIZES, listAt } from '../../dataset/common.js'
import { planOf } from '../../dataset/plan.js'
import { ConcurHttpError } from '../../http/errors.js'
import type { V3Row } from './row.js'
import { required } from './write-kit.js'

/** `/api/v3.0/common/lists` (a related endpoint of `list-items`, no registry row of its own). */
export const lists: V3Row = {
  key: 'lists',
  kind: 'lists',
  filters: [],
  size: () => COMMON_SIZES.lists,
  exists: () => true,
  generate: (ds, i) => listAt(ds, i),
  plan: () => planOf({ lo: 0, hi: COMMON_SIZES.lists, strides: [] }, () => true),
  writeRules: {
    schema: ListWrite,
    create({ body, id, blank, fields }) {
      required(body, 'Name', 'SearchCriteriaCode')
      for (const k of ['DisplayCodeFirst', 'IsVendorList'])
        if (typeof body[k] !== 'boolean') throw new ConcurHttpError(400, `The field '${k}' is required`)
      if (body.ExternalThreshold != null && !body.ConnectorID)
        throw new ConcurHttpError(400, 'ExternalThreshold can only be set with a ConnectorID')
      const rec = fields(blank)
      Object.assign(rec, { ExternalThreshold: body.ExternalThreshold ?? 1, ID: id })
      return { record: rec, owner: undefined, hidden: {} }
    },
  },
}
