import type { ResourceDefinition } from '../registry.js'

/** Registry rows of the XML-only resources (v1.0, v1.1, v2.0, extract, trips). */
export const LEGACY_RESOURCES: readonly ResourceDefinition[] = []
