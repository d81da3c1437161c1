import { RESOURCE_NAMES, type ResourceDefinition, type ResourceName } from '../registry.js'
import { LEGACY_RESOURCES } from './legacy.js'
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
