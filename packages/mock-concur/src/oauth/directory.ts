import type { MockApp, MockCompany, MockUser } from '../companies.js'
import type { MockState } from '../state.js'

/** An app (OAuth client) and the company it is registered for. */
export interface ClientEntry {
  readonly app: MockApp
  readonly company: MockCompany
  /** Index of the app in `company.apps`. */
  readonly appIndex: number
}

interface Index {
  readonly companies: readonly MockCompany[]
  readonly clients: Map<string, ClientEntry>
  readonly byDomain: Map<string, MockCompany>
  readonly byId: Map<string, MockCompany>
  readonly listedUsers: Map<string, { company: MockCompany; user: MockUser }>
}

const indexes = new WeakMap<MockState, Index>()

/** Lookup tables over the seeded companies, rebuilt when the companies change (reseed). */
function index(state: MockState): Index {
  const cached = indexes.get(state)
  if (cached && cached.companies === state.companies) return cached
  const clients = new Map<string, ClientEntry>()
  const byDomain = new Map<string, MockCompany>()
  const byId = new Map<string, MockCompany>()
  const listedUsers = new Map<string, { company: MockCompany; user: MockUser }>()
  for (const company of state.companies) {
    company.apps.forEach((app, appIndex) => {
      clients.set(app.clientId, { app, company, appIndex })
    })
    byDomain.set(company.domain.toLowerCase(), company)
    byId.set(company.id, company)
    for (const user of company.users) listedUsers.set(user.id, { company, user })
  }
  const built: Index = { companies: state.companies, clients, byDomain, byId, listedUsers }
  indexes.set(state, built)
  return built
}

/** The app registered under a client id, with its company. */
export function findClient(state: MockState, clientId: string): ClientEntry | undefined {
  return index(state).clients.get(clientId)
}

/** A company by its UUID. */
export function findCompany(state: MockState, companyId: string): MockCompany | undefined {
  return index(state).byId.get(companyId.toLowerCase())
}

/**
 * A user by login id or e-mail (`<name><index>@<company domain>`, case-insensitive), or by user UUID
 * for the listed users of each company. Any of a company's `userCount` users can sign in: user *i*
 * is derived from the index in the login id, so the lookup costs the same for every company size.
 */
export function findUser(
  state: MockState,
  username: string,
): { company: MockCompany; user: MockUser } | undefined {
  const added = state.userSource?.find(username)
  if (added) return added
  const idx = index(state)
  const byUuid = idx.listedUsers.get(username.toLowerCase())
  if (byUuid) return byUuid
  const m = /^[^@]*?(\d+)@([^@]+)$/.exec(username.trim().toLowerCase())
  if (!m) return undefined
  const company = idx.byDomain.get(m[2]!)
  if (!company) return undefined
  const user = state.user(company, Number(m[1]))
  if (!user) return undefined
  const wanted = username.trim().toLowerCase()
  if (user.loginId.toLowerCase() !== wanted && user.email.toLowerCase() !== wanted) return undefined
  return { company, user }
}
