/**
 * `@concurkit/callout-kit/internal`: for concurkit's own packages; not covered by semver; may change in any
 * release. Users import from `@concurkit/callout-kit` (see the package README).
 */
export { attendeeVersionOf } from './connector.js'
export { buildXml, type XmlObject, type XmlValue } from './xml.js'
