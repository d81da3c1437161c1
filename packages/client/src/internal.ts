/**
 * `@concurkit/client/internal`: for concurkit's own packages; not covered by semver; may change in any
 * release. Users import from `@concurkit/client` (see the package README).
 */
export { buildQuery, resolveDate } from './filters.js'
export { changeEventId, parseDuration } from './watch.js'
export { createEncoder, type RecordEncoder } from './writers.js'
