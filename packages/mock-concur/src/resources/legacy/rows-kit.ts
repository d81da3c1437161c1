import { getResource, type ResourceName } from '@concurkit/contract'
import { Hono } from 'hono'
import type { MockCompany } from '../../companies.js'
import type { MockEnv } from '../../context.js'
import { ConcurHttpError } from '../../http/errors.js'
import { requireToken } from '../../oauth/guard.js'
import type { MockState } from '../../state.js'
import type { RowProvider } from '../row-provider.js'
import { readQuery, requireUser, xmlDocument, xmlResponse } from './http.js'
import { travellerIndex } from './trips.js'

/*
 * What the providers of the XML-only rows (v1.x, v2.0, extract, trips) share: reading parsed
 * records back, the manifest's `user` filter, and the route generated for a per-user list.
 */

/** A built record as the client reads it back: `i:nil` elements become `null`. */
export function asParsed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asParsed)
  if (value === null || typeof value !== 'object') return value
  const obj = value as Record<string, unknown>
  if (obj['@_i:nil'] === 'true') return null
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) if (!k.startsWith('@_')) out[k] = asParsed(v)
  return out
}

/** The user index a manifest filter (`param`, a login; `ALL` or absent = everyone) narrows to. */
export function ownerFilter(
  state: MockState,
  company: MockCompany,
  filters: Readonly<Record<string, string>>,
  param: string,
) {
  const login = filters[param]
  if (login === undefined || login.toUpperCase() === 'ALL') return undefined
  const index = travellerIndex(state.options.seed, company, login)
  if (index === undefined) throw new ConcurHttpError(400, `no user ${login} in company ${company.id}`)
  return index
}

/** Every user's records in user order, or one user's (`only`). */
export function* perUser<T>(
  company: MockCompany,
  only: number | undefined,
  records: (userIndex: number) => readonly T[],
): Generator<T> {
  if (only !== undefined) {
    yield* records(only)
    return
  }
  for (let u = 0; u < company.userCount; u++) yield* records(u)
}

/**
 * The provider of an XML-only row that lists the caller's own records (no paging, no parameters,
 * user tokens only), generated from the registry row: `GET path` with the row's scope answers
 * `<listRoot xmlns=namespace><item>…</item>…</listRoot>`. The manifest counts the whole company
 * (the union over users); its `user` filter (a login) narrows to one user.
 *
 * @example
 * export const expenseDelegators = perUserXmlRow('expense-delegators', delegatorsOf, { xsi: true })
 */
export function perUserXmlRow<T>(
  name: ResourceName,
  recordsOf: (seed: number, company: MockCompany, userIndex: number) => readonly T[],
  options: { readonly xsi?: boolean } = {},
): RowProvider {
  return {
    names: [name],
    routes(ctx) {
      const row = getResource(name)
      const xml = row.xml!
      const app = new Hono<MockEnv>()
      app.get(row.path, requireToken(ctx, row.scope), (c) => {
        readQuery(
          c,
          row.filters.map((f) => f.param),
        )
        const p = c.get('principal')
        const user = requireUser(p)
        const records = recordsOf(ctx.state.options.seed, p.company, user.index)
        return xmlResponse(
          c,
          xmlDocument(
            xml.listRoot,
            { [xml.item]: records },
            { namespace: xml.namespace, ...(options.xsi ? { xsi: true } : {}) },
          ),
        )
      })
      return app
    },
    records: ({ state, company, filters }) =>
      perUser(company, ownerFilter(state, company, filters, 'user'), (u) =>
        recordsOf(state.options.seed, company, u),
      ),
  }
}
