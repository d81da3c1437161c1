import type { ResourceDefinition } from '../registry.js'

/** Registry rows of the v3.0 (JSON + XML) resources. */
export const V3_RESOURCES: readonly ResourceDefinition[] = []
