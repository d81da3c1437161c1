import type { RowProvider } from './row-provider.js'
import { spendProfileAt, upsRoutes, userIndexesOf } from './ups.js'

/**
 * User Provisioning v4 and the spend profiles (`spend-users`): every UPS route, and each user's
 * spend profile in Identity's walk order (seeded users, then provisioned ones) — the manifest's
 * count and checksum of the fan-out walk.
 */
export const upsProvider: RowProvider = {
  names: ['spend-users'],
  routes: upsRoutes,
  *records({ state, company }) {
    const scope = { state, company, api: 'ups' as const }
    for (const u of userIndexesOf(state, company)) yield spendProfileAt(scope, u)
  },
}
