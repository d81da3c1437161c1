import { z } from 'zod'
import type { Lifecycle } from '../lifecycle.js'
import type { ResourceDefinition, ResourceRow } from '../registry.js'
import { cardTransactions } from './cards-v4.js'
import {
  attendeesV4,
  attendeeTypesV4,
  expenseConfigV4AttendeeTypes,
  expenseConfigV4PaymentTypes,
  expenseConfigV4Policies,
} from './expense-config-v4.js'
import { expenseV4Reports } from './expense-v4.js'
import { identityUsers } from './identity.js'
import { invoiceVendorsRow, paymentRequestDigestsRow, paymentRequestsRow } from './invoice.js'
import { itineraries } from './itinerary-v4.js'
import {
  companyCardTransactions,
  expenseDelegators,
  expenseForm,
  expenseReportsDetail,
  extractDefinitions,
  extractJobs,
  REPORT_FULL_DETAILS_PATH,
  reportsDetail,
  travelItineraries,
} from './legacy.js'
import { REPORTS_V11, USER_V1 } from './lifecycles.js'
import { listV4Lists } from './list-v4.js'
import { receipts } from './receipts-v4.js'
import { travelRequests } from './request-v4.js'
import { spendUsers } from './ups.js'
import {
  entryAttendeeAssociations,
  expenseAllocations,
  expenseAttendees,
  expenseAttendeeTypes,
  expenseEntries,
  expenseGroupConfigurations,
  expenseItemizations,
  expenseReports,
  listItems,
  locations,
  receiptImages,
  userInformation,
} from './v3.js'

/**
 * The resource registry: one row per Concur resource, keyed by its name. The names are fixed: they
 * are registry keys, CLI arguments and manifest keys. Each row keeps its literal types, so
 * `Registry['expense-reports']['item']` is the report schema and its filters carry their names,
 * types and enum values.
 *
 * @example
 * REGISTRY['expense-reports'].path // '/api/v3.0/expense/reports'
 */
export const REGISTRY = {
  'attendee-types-v4': attendeeTypesV4,
  'attendees-v4': attendeesV4,
  'card-transactions': cardTransactions,
  'company-card-transactions': companyCardTransactions,
  'entry-attendee-associations': entryAttendeeAssociations,
  'expense-allocations': expenseAllocations,
  'expense-attendees': expenseAttendees,
  'expense-attendee-types': expenseAttendeeTypes,
  'expense-config-v4-attendee-types': expenseConfigV4AttendeeTypes,
  'expense-config-v4-payment-types': expenseConfigV4PaymentTypes,
  'expense-config-v4-policies': expenseConfigV4Policies,
  'expense-delegators': expenseDelegators,
  'expense-entries': expenseEntries,
  'expense-form': expenseForm,
  'expense-group-configurations': expenseGroupConfigurations,
  'expense-itemizations': expenseItemizations,
  'expense-reports': expenseReports,
  'expense-reports-detail': expenseReportsDetail,
  'expense-v4-reports': expenseV4Reports,
  'extract-definitions': extractDefinitions,
  'extract-jobs': extractJobs,
  'identity-users': identityUsers,
  itineraries: itineraries,
  'invoice-vendors': invoiceVendorsRow,
  'list-items': listItems,
  'list-v4-lists': listV4Lists,
  locations: locations,
  'payment-request-digests': paymentRequestDigestsRow,
  'payment-requests': paymentRequestsRow,
  'receipt-images': receiptImages,
  receipts: receipts,
  'reports-detail': reportsDetail,
  'spend-users': spendUsers,
  'travel-itineraries': travelItineraries,
  'travel-requests': travelRequests,
  'user-information': userInformation,
} as const satisfies { readonly [name: string]: ResourceRow }

/** The registry's type: resource name → its row, with literal types. */
export type Registry = typeof REGISTRY

/** A row is filed under its own name (a type error here names the row that is not). */
const _keysMatchNames: { readonly [N in keyof Registry]: { readonly name: N } } = REGISTRY
void _keysMatchNames

/** Every resource integrators read from Concur (the twenty report resources and the current APIs), in registry order. */
export const RESOURCE_NAMES = Object.freeze(Object.keys(REGISTRY) as (keyof Registry)[])

/** One of the fixed resource names. */
export const ResourceName = z.enum(RESOURCE_NAMES)
export type ResourceName = keyof Registry

/** The registry row of a resource, with its literal types. */
export type ResourceRowOf<N extends ResourceName> = Registry[N]

/** The resource registry: one row per Concur resource, in `RESOURCE_NAMES` order. */
export const RESOURCES: readonly ResourceDefinition[] = RESOURCE_NAMES.map((name) => REGISTRY[name])

const byName = new Map<string, ResourceDefinition>(RESOURCES.map((r) => [r.name, r]))

/**
 * The registry row of a resource.
 *
 * @example
 * getResource('expense-reports').path // '/api/v3.0/expense/reports'
 */
export function getResource(name: ResourceName): ResourceDefinition {
  const r = byName.get(name)
  if (!r) throw new RangeError(`resource "${name}" is not registered`)
  return r
}

/** Whether a string names a registered resource. */
export function isResourceName(name: string): name is ResourceName {
  return byName.has(name)
}

/** An endpoint served outside the registry's rows, with its lifecycle (legacy paths of old APIs). */
const OTHER_ENDPOINTS: readonly { readonly path: string; readonly lifecycle: Lifecycle }[] = [
  { path: '/api/user/v1.0/user', lifecycle: USER_V1 },
  { path: REPORT_FULL_DETAILS_PATH, lifecycle: REPORTS_V11 },
]

interface LifecycleRule {
  readonly method: 'DELETE' | '*'
  readonly pattern: RegExp
  /** The endpoint as `x-api-warn` names it (the documented path, placeholders kept). */
  readonly endpoint: string
  readonly lifecycle: Lifecycle
}

const trimSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p)
const patternOf = (template: string) =>
  new RegExp(
    `^${trimSlash(template)
      .split(/\{[^}]+\}/)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+')}/?$`,
    'i',
  )

const LIFECYCLE_RULES: readonly LifecycleRule[] = (() => {
  const rules: LifecycleRule[] = []
  const add = (
    method: LifecycleRule['method'],
    path: string | undefined,
    lifecycle: Lifecycle | undefined,
  ) => {
    if (path && lifecycle && lifecycle.status !== 'active')
      rules.push({ method, pattern: patternOf(path), endpoint: trimSlash(path), lifecycle })
  }
  for (const r of RESOURCES) {
    // A deprecated write comes first: its rule is more specific than the resource's.
    add('DELETE', r.itemPath, r.writeLifecycle?.delete)
    add('*', r.path, r.lifecycle)
    add('*', r.itemPath, r.lifecycle)
    for (const rel of r.related ?? []) {
      add('*', rel.path, rel.lifecycle ?? r.lifecycle)
      add('*', rel.itemPath, rel.lifecycle ?? r.lifecycle)
    }
  }
  for (const e of OTHER_ENDPOINTS) add('*', e.path, e.lifecycle)
  return rules
})()

/**
 * The lifecycle of the endpoint a request reaches, or `undefined` when it is active or not one of
 * Concur's report endpoints. `endpoint` is the documented path that `x-api-warn` names.
 *
 * @example
 * lifecycleOf('GET', '/api/v3.0/common/locations/abc')?.lifecycle.status // 'deprecated'
 */
export function lifecycleOf(
  method: string,
  path: string,
): { readonly endpoint: string; readonly lifecycle: Lifecycle } | undefined {
  const m = method.toUpperCase()
  for (const rule of LIFECYCLE_RULES) {
    if ((rule.method === '*' || rule.method === m) && rule.pattern.test(path))
      return { endpoint: rule.endpoint, lifecycle: rule.lifecycle }
  }
  return undefined
}
