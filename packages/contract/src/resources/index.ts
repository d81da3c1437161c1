import type { Lifecycle } from '../lifecycle.js'
import { RESOURCE_NAMES, type ResourceDefinition, type ResourceName } from '../registry.js'
import { LEGACY_RESOURCES } from './legacy.js'
import { REPORTS_V11, USER_V1 } from './lifecycles.js'
import { V3_RESOURCES } from './v3.js'

/** The resource registry: one row per Concur resource, in `RESOURCE_NAMES` order. */
export const RESOURCES: readonly ResourceDefinition[] = [...V3_RESOURCES, ...LEGACY_RESOURCES].sort(
  (a, b) => RESOURCE_NAMES.indexOf(a.name) - RESOURCE_NAMES.indexOf(b.name),
)

const byName = new Map(RESOURCES.map((r) => [r.name, r]))

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
  return byName.has(name as ResourceName)
}

/** An endpoint served outside the registry's rows, with its lifecycle (legacy paths of old APIs). */
const OTHER_ENDPOINTS: readonly { readonly path: string; readonly lifecycle: Lifecycle }[] = [
  { path: '/api/user/v1.0/user', lifecycle: USER_V1 },
  { path: '/api/expense/expensereport/v1.1/reportfulldetails/{ReportKey}', lifecycle: REPORTS_V11 },
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
