import type { DatacenterName } from '@concurkit/contract'
import type { MockCompany, MockUser } from './companies.js'

/** Who a verified access token speaks for. Set on the Hono context as `principal` by `requireToken`. */
export interface Principal {
  /** `user` for user tokens, `company` for company (App Center / request token) tokens. */
  readonly type: 'user' | 'company'
  readonly company: MockCompany
  /** The user, for user tokens. */
  readonly user?: MockUser
  readonly clientId: string
  readonly scopes: ReadonlySet<string>
  /** Company tokens and Web Services Administrators see company-wide data. */
  readonly isAdmin: boolean
  /** The datacenter the token was issued for (the company's). */
  readonly datacenter: DatacenterName
  /** The token's `jti`. */
  readonly tokenId: string
}
