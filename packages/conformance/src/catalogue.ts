import { calloutChecks } from './checks/callouts.js'
import { deprecationChecks } from './checks/deprecation.js'
import { errorChecks } from './checks/errors.js'
import { eventChecks } from './checks/events.js'
import { expenseConfigV4Checks } from './checks/expense-config-v4.js'
import { expenseV4Checks } from './checks/expense-v4.js'
import { extractChecks, receiptImageChecks } from './checks/lifecycle.js'
import { oauthChecks } from './checks/oauth.js'
import { resourceChecks } from './checks/resources.js'
import type { CheckDefinition } from './types.js'

/**
 * The whole catalogue, in report order. Per-resource checks are generated from the registry, so
 * a new registry row gets its checks without code here. Ids are unique and stable.
 *
 * @example
 * buildCatalogue().map((c) => c.id) // ['oauth.password.grant', ...]
 */
export function buildCatalogue(): CheckDefinition[] {
  const all = [
    ...oauthChecks(),
    ...errorChecks(),
    ...resourceChecks(),
    ...deprecationChecks(),
    ...receiptImageChecks(),
    ...extractChecks(),
    ...calloutChecks(),
    ...eventChecks(),
    ...expenseV4Checks(),
    ...expenseConfigV4Checks(),
  ]
  // exclusive checks that move the clock run last, token expiry (hours to months) very last
  const expiry = (c: CheckDefinition) => c.id.startsWith('oauth.expiry.')
  const clock = all.filter((c) => c.requires?.includes('clock') && !expiry(c))
  const rest = all.filter((c) => !c.requires?.includes('clock'))
  const ordered = [...rest, ...clock, ...all.filter(expiry)]
  const seen = new Set<string>()
  for (const c of ordered) {
    if (seen.has(c.id)) throw new Error(`duplicate check id ${c.id}`)
    seen.add(c.id)
  }
  return ordered
}
