/**
 * `@concurkit/auth/internal`: for concurkit's own packages; not covered by semver; may change in any
 * release. Users import from `@concurkit/auth` (see the package README).
 */
export { toNetworkError } from './http.js'
