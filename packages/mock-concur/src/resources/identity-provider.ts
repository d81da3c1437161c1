import { datasetOf } from '../dataset/dataset.js'
import { identityRoutes } from './identity.js'
import { identityUserAt } from './identity-users.js'
import type { RowProvider } from './row-provider.js'
import { directoryOf, writtenIdentity } from './ups-directory.js'

/**
 * Identity v4/v4.1 (`identity-users`): the routes, and the users as a full v4.1 walk with every
 * read scope returns them — in index order, every attribute (the manifest's count and checksum):
 * the seeded users (as written, when Identity/UPS changed them), then the provisioned ones.
 */
export const identityProvider: RowProvider = {
  names: ['identity-users'],
  routes: identityRoutes,
  *records({ state, company }) {
    const ds = datasetOf(state.options.seed, company)
    const base = state.baseUrl(company.datacenter)
    const dir = directoryOf(state)
    const location = (id: string) => `${base}/profile/identity/v4.1/Users/${id}`
    for (let u = 0; u < ds.users; u++) {
      const e = dir.entry(company, u)
      yield e ? writtenIdentity(e, location(e.id)) : identityUserAt(ds, u, base, 'v4.1')
    }
    for (const u of dir.writtenIndexes(company)) {
      const e = dir.entry(company, u)
      if (u >= ds.users && e) yield writtenIdentity(e, location(e.id))
    }
  },
}
