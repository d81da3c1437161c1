import type { ResourceName } from '@concurkit/contract'
import type { Hono } from 'hono'
import type { MockCompany } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import type { MockState } from '../state.js'

/** What a provider is asked for the records of one of its rows. */
export interface RowQuery {
  readonly state: MockState
  readonly company: MockCompany
  readonly name: ResourceName
  /** Query values by parameter name, as a list request would carry them. */
  readonly filters: Readonly<Record<string, string>>
  /** Origin the records' links are built on, e.g. `http://127.0.0.1:4010`. */
  readonly origin: string
}

/**
 * Serves one family of registry rows (a current-generation API such as Identity v4.1 or List v4):
 * every route of the family, and the records of each row in walk order, exactly as a client walking
 * the list yields them. The manifest's count and checksum of a row come from `records`, so a full
 * walk can be compared with it.
 *
 * @example
 * export const listV4Provider: RowProvider = {
 *   names: ['list-v4-lists'],
 *   routes: listV4Routes,
 *   records: ({ state, company }) => listV4Lists(state, company),
 * }
 */
export interface RowProvider {
  /** The registry rows it serves. */
  readonly names: readonly ResourceName[]
  /** Every route of the family (reads and writes) for one datacenter's app. */
  routes(ctx: DcContext): Hono<MockEnv>
  /** The records of one of its rows for a company, in walk order. */
  records(q: RowQuery): Iterable<unknown>
}
