/**
 * `@concurkit/mock-concur/internal`: for concurkit's own packages; not covered by semver; may change in any
 * release. Users import from `@concurkit/mock-concur` (see the package README).
 */
export { issueRequestToken } from './oauth/routes.js'
export { manifestEntry } from './resources/manifest.js'
export { encodeOffset } from './resources/offset.js'
