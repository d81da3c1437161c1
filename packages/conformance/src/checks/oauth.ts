import type { CheckDefinition } from '../types.js'
import { expiryChecks } from './oauth-expiry.js'
import { failureChecks } from './oauth-failures.js'
import { flowChecks } from './oauth-flows.js'
import { geolocationChecks } from './oauth-geolocation.js'
import { scopeChecks } from './oauth-scopes.js'
import { tokenChecks } from './oauth-tokens.js'

/** The OAuth2 checks: every grant, its documented failures, rotation, expiry, geolocation, scopes and roles. */
export function oauthChecks(): CheckDefinition[] {
  return [
    ...tokenChecks(),
    ...geolocationChecks(),
    ...scopeChecks(),
    ...flowChecks(),
    ...expiryChecks(),
    ...failureChecks(),
  ]
}
