import { datasetOf } from '../dataset/dataset.js'
import { identityRoutes } from './identity.js'
import { identityUserAt } from './identity-users.js'
import type { RowProvider } from './row-provider.js'

/**
 * Identity v4/v4.1 (`identity-users`): the routes, and the users as a full v4.1 walk with every
 * read scope returns them — in index order, every attribute (the manifest's count and checksum).
 */
export const identityProvider: RowProvider = {
  names: ['identity-users'],
  routes: identityRoutes,
  *records({ state, company }) {
    const ds = datasetOf(state.options.seed, company)
    const base = state.baseUrl(company.datacenter)
    for (let u = 0; u < ds.users; u++) yield identityUserAt(ds, u, base, 'v4.1')
  },
}
