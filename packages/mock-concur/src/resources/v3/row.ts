import type { Context, Hono, MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import type { MockUser } from '../../companies.js'
import type { DcContext, MockEnv } from '../../context.js'
import type { Dataset } from '../../dataset/dataset.js'
import type { CreatedRecord, DatasetOverlay } from '../../dataset/overlay.js'
import type { Provider, WireRecord } from '../../dataset/providers.js'
import type { Principal } from '../../principal.js'
import type { MockState } from '../../state.js'
import type { FoundRecord } from './records.js'

/** What a row's `create` rule is given: the validated body and everything the new record needs. */
export interface CreateInput {
  readonly ds: Dataset
  readonly overlays: DatasetOverlay
  /** The item schema's field names, in order. */
  readonly keys: readonly string[]
  readonly body: Record<string, unknown>
  readonly owner: number | undefined
  readonly id: string
  readonly nowMs: number
  /** `nowMs` as a v3.0 date. */
  readonly now: string
  /** The owner as the token service knows it (a user added at run time is not in the seeded dataset). */
  readonly ownerUser: MockUser | undefined
  /** Every item field null, in the item's field order. */
  readonly blank: WireRecord
  /** `record` with the body's item fields applied (documented types kept). */
  fields(record: WireRecord): WireRecord
  /** A record of another resource the body refers to; a 400 naming `field` when it is unknown. */
  ref(key: string, id: unknown, field: string): FoundRecord
}

/** What a row's `update` rule is given: the record with the body merged in, to adjust in place. */
export interface UpdateInput {
  readonly ds: Dataset
  readonly body: Record<string, unknown>
  readonly record: WireRecord
}

/** A write the row has accepted (`before` null = created, `after` null = deleted). */
export interface WriteEvent {
  readonly ds: Dataset
  readonly overlays: DatasetOverlay
  readonly before: WireRecord | null
  readonly after: WireRecord | null
  readonly nowMs: number
}

/** The write rules of a writable row (what `POST`/`PUT` do beyond the generic merge). */
export interface WriteRules {
  /** The schema write bodies are validated with (from the contract). */
  readonly schema?: z.ZodType
  /** The field holding a record's last modification, stamped on every write. */
  readonly modifiedField?: string
  /** Builds a created record: defaults like Concur's, relations checked, owner and hidden filter values. */
  create(w: CreateInput): Omit<CreatedRecord, 'bytes'>
  /** Adjusts an updated record after the body's fields are merged (derived fields). */
  update?(w: UpdateInput): void
  /** Keeps other records consistent after a write of this row (e.g. a report's totals). */
  onWrite?(w: WriteEvent): void
}

/** A binary upload (`POST`/`PUT` of image bytes instead of a JSON or XML body). */
export interface Upload {
  readonly type: string
  readonly data: Uint8Array
}

/**
 * Behaviour of a row's endpoints that the generic engine does not have: each hook is small and
 * named for what it does; a row without hooks is served by the engine as the registry row says.
 */
export interface EndpointHooks {
  /** Replaces the row-scope token check. */
  tokenGuard?(ctx: DcContext): MiddlewareHandler<MockEnv>
  /** Whose records a list shows regardless of `user` (the engine's owner rule otherwise). */
  listOwner?(principal: Principal): number | undefined
  /** The `user` parameter is a filter by login, and `user=ALL` (administrators only) means every user. */
  readonly userFilterAll?: true
  /** Whether the principal may read a found record (after the owner check). */
  canRead?(principal: Principal, found: FoundRecord): boolean
  /** Query parameters the item routes accept besides the row's `userParam`. */
  readonly itemParams?: readonly string[]
  /** Answers `GET item` instead of the record itself. */
  readItem?(c: Context<MockEnv>, state: MockState, found: FoundRecord, origin: string): Response
  /** Reads the bytes of a binary create or update (the row's writes take no JSON or XML body). */
  readUpload?(c: Context<MockEnv>, on: 'create' | 'update'): Promise<Upload>
  /** Checks a `DELETE` before the record is looked up. */
  beforeDelete?(c: Context<MockEnv>): void
  /** Checks a `DELETE` of a found record. */
  checkDelete?(c: Context<MockEnv>, found: FoundRecord): void
  /** Routes of the row besides its list, item and writes (mounted after them). */
  routes?(ctx: DcContext): Hono<MockEnv>
}

/**
 * One v3.0 row (or related endpoint, e.g. `lists`) of the mock: its data provider (index space,
 * generator, owner, filter plan), its write rules and its endpoint hooks — all in the row's file
 * under `resources/v3/`, registered by one line in `resources/v3/index.ts`.
 *
 * @example
 * export const groupConfigurations: V3Row = {
 *   key: 'expense-group-configurations',
 *   kind: 'expense-group-configurations',
 *   get filters() { return defs('expense-group-configurations') },
 *   size: () => COMMON_SIZES.groupConfigs,
 *   exists: () => true,
 *   generate: (ds, i) => groupConfigAt(ds, i),
 *   plan: () => planOf({ lo: 0, hi: COMMON_SIZES.groupConfigs, strides: [] }, () => true),
 * }
 */
export interface V3Row extends Provider {
  readonly writeRules?: WriteRules
  readonly hooks?: EndpointHooks
}
