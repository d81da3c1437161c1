import { ListItemWrite } from '@concurkit/contract'
import { COMMON_SIZES, listItemAt, listItemSlot } from '../../dataset/common.js'
import { LIST_ITEMS_PER_LIST } from '../../dataset/dataset.js'
import { decodeId } from '../../dataset/ids.js'
import { type Candidates, EMPTY_PLAN } from '../../dataset/plan.js'
import { defs, recordPlan, str } from '../../dataset/row-plans.js'
import { ConcurHttpError } from '../../http/errors.js'
import type { V3Row } from './row.js'
import { required } from './write-kit.js'

const badListId = (why: string) => new ConcurHttpError(400, `Invalid value for parameter 'listId': ${why}`)

/** `/api/v3.0/common/listitems`: the items of the lists; a `DELETE` names the item's list (`listId`). */
export const listItems: V3Row = {
  key: 'list-items',
  kind: 'list-items',
  get filters() {
    return defs('list-items')
  },
  size: () => COMMON_SIZES.listItems,
  exists: () => true,
  generate: (ds, i) => listItemAt(ds, i),
  plan(ds, f) {
    const c: Candidates = { lo: 0, hi: COMMON_SIZES.listItems, strides: [] }
    const list = str(f, 'listId')
    if (list !== undefined) {
      const l = decodeId('lists', ds.tag, list)
      if (l === undefined || l >= COMMON_SIZES.lists) return EMPTY_PLAN
      c.lo = l * LIST_ITEMS_PER_LIST
      c.hi = c.lo + LIST_ITEMS_PER_LIST
    }
    const parent = str(f, 'parentId')
    const parentIndex = parent === undefined ? undefined : decodeId('list-items', ds.tag, parent)
    if (parent !== undefined && parentIndex === undefined) return EMPTY_PLAN
    return recordPlan(
      () => listItems,
      ds,
      f,
      c,
      (i) => parentIndex === undefined || listItemSlot(i).parent === parentIndex,
    )
  },
  writeRules: {
    schema: ListItemWrite,
    create({ body, id, blank, fields, ref }) {
      required(body, 'ListID', 'Name', 'Level1Code')
      ref('lists', body.ListID, 'ListID')
      const rec = fields(blank)
      rec.ID = id
      return { record: rec, owner: undefined, hidden: {} }
    },
  },
  hooks: {
    itemParams: ['listId'],
    beforeDelete(c) {
      if (!c.req.query('listId')) throw badListId('required when deleting a list item')
    },
    checkDelete(c, found) {
      if (found.record.ListID !== c.req.query('listId')) throw badListId('the item is not in this list')
    },
  },
}
