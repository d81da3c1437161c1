import { userItemAt } from '../../dataset/common.js'
import { isActiveUser, userIndexOfLogin } from '../../dataset/dataset.js'
import type { Candidates } from '../../dataset/plan.js'
import { bool, defs, pick, recordPlan, str } from '../../dataset/row-plans.js'
import { ConcurHttpError } from '../../http/errors.js'
import { requireToken } from '../../oauth/guard.js'
import type { V3Row } from './row.js'

/**
 * `/api/v3.0/common/users`: the company's users. Read with the `USER` (or `user_read`) scope, not
 * the row's; users see themselves, administrators everyone; `user` filters by login.
 */
export const userInformation: V3Row = {
  key: 'user-information',
  kind: 'user-information',
  get filters() {
    return defs('user-information')
  },
  size: (ds) => ds.users,
  exists: () => true,
  generate: (ds, i) => userItemAt(ds, i),
  owner: (_ds, i) => i,
  plan(ds, f, owner) {
    const c: Candidates = { lo: 0, hi: ds.users, strides: [] }
    const explicit: number[][] = []
    if (owner !== undefined) explicit.push([owner])
    for (const k of ['user', 'primaryEmail']) {
      const v = str(f, k)
      if (v !== undefined) {
        const u = userIndexOfLogin(ds, v)
        explicit.push(u === undefined ? [] : [u])
      }
    }
    const emp = str(f, 'employeeID')
    if (emp !== undefined) {
      const m = /^E(\d{6,})$/.exec(emp)
      explicit.push(m ? [Number(m[1]) - 1] : [])
    }
    if (explicit.length > 0) c.explicit = explicit.reduce((a, b) => a.filter((x) => b.includes(x)))
    const active = bool(f, 'active')
    return recordPlan(
      () => userInformation,
      ds,
      pick(f, ['user', 'primaryEmail', 'employeeID', 'lastName']),
      c,
      (i) => active === undefined || isActiveUser(i) === active,
    )
  },
  hooks: {
    tokenGuard(ctx) {
      const base = requireToken(ctx, undefined)
      return (c, next) =>
        base(c, async () => {
          const s = c.get('principal').scopes
          if (!s.has('USER') && !s.has('user_read'))
            throw new ConcurHttpError(403, 'Forbidden Request: the token lacks the USER scope')
          await next()
        })
    },
    listOwner: (principal) => (principal.isAdmin ? undefined : principal.user?.index),
    userFilterAll: true,
    canRead: (principal, found) => principal.isAdmin || found.index === principal.user?.index,
  },
}
