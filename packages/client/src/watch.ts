import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { ResourceDefinition, ResourceName } from '@concurkit/contract'
import { dropNulls as dropNullValues } from './clean.js'
import type { ConcurClient } from './client.js'
import { type CursorStore, fileCursorStore, type SyncCursor } from './cursor.js'
import { CLIENT_ERROR_CODES, ConcurClientError, invalidArgument } from './errors.js'
import { type DateInput, type ListFilter, resolveDate } from './filters.js'
import { pathSegment } from './resource.js'
import { sleep } from './sleep.js'

/** What happened to a record. `deleted` is never emitted by polling (see the README). */
export type ChangeType = 'created' | 'updated' | 'deleted'

/** One change event: the record as it is now, identified by a stable event id. */
export interface ChangeEvent<T = Record<string, unknown>> {
  /** SHA-256 (hex) of `resource \n objectId \n occurredAt`: the same on every redelivery. */
  readonly id: string
  readonly type: ChangeType
  readonly resource: string
  readonly objectId: string
  /** The record's `URI`, else the item URL on the base URL. */
  readonly objectUri: string
  readonly record: T
  /** The record's modification instant (its `modifiedField`) as ISO 8601 UTC. */
  readonly occurredAt: string
}

/** Options of `watch`. */
export interface WatchOptions {
  /** Time between the end of one poll and the next: ms, or a duration like `30s`, `5m`, `1h`. Default `5m`. */
  interval?: number | string
  /** Filters of every poll (`user: 'ALL'`, `approvalStatus` …); the modified-date bound is added. */
  filter?: ListFilter
  /** Where the cursor lives. Default `fileCursorStore('.concurkit/watch-cursors.json')` (under the cwd). */
  cursorStore?: CursorStore
  /** Key in the store. Default `watch:<resource>` (plus a hash of `filter` when one is given). */
  key?: string
  /**
   * Where a watch without a stored cursor starts: `now` (default: changes from one minute before
   * the first start, so a small clock skew loses nothing), `beginning` (every record is an event),
   * or a date (`2024-05-01`, `30d`). Ignored once a cursor is stored.
   */
  since?: 'now' | 'beginning' | DateInput
  /** Ends the iteration cleanly (between polls, or after the current poll request fails). */
  signal?: AbortSignal
  /** Drop `null` values from event records. Default true (the Cloud Elements element's default). */
  dropNulls?: boolean
  /** One poll, then the iteration ends. */
  once?: boolean
  /**
   * Called when a poll fails (after the client's own retries); the watch then waits one interval
   * and polls again. Without it, the error ends the iteration. Throw from it to stop.
   */
  onPollError?(err: unknown): void | Promise<void>
  /** Called after each poll with the number of changes found. */
  onPoll?(info: { resource: string; changes: number }): void | Promise<void>
  /** Clock (tests). */
  now?: () => Date
}

/**
 * Change events of one resource. Iterate it once. The cursor is stored when the next event is
 * requested, or on `ack()` — never before: a crash re-delivers the event being handled.
 */
export interface ChangeWatcher<T = Record<string, unknown>> extends AsyncIterable<ChangeEvent<T>> {
  /** Stores the cursor past the last event returned (it was handled). */
  ack(): Promise<void>
  /** The key of the cursor in the store. */
  readonly key: string
  readonly resource: string
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i
const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * Parses a duration: a number of ms, or `500ms`, `30s`, `5m`, `1h`, `1d` (a bare number string is seconds).
 *
 * @example
 * parseDuration('5m') // 300000
 */
export function parseDuration(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) invalidArgument('a duration must be a number of ms ≥ 0')
    return value
  }
  const m = DURATION.exec(String(value).trim())
  if (!m) return invalidArgument(`"${value}" is not a duration (e.g. 500ms, 30s, 5m, 1h)`)
  return Math.round(Number(m[1]) * UNIT[(m[2] ?? 's').toLowerCase()]!)
}

function instant(v: string): number {
  const s = v.trim()
  return Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s}Z`)
}

/** Concur's date-time (UTC, no zone): `YYYY-MM-DDTHH:mm:ss.fff`. */
function concurTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23)
}

/** The fields that hold a record's creation instant, where a resource has one. */
const CREATED_FIELDS = ['CreateDate', 'CreationDate', 'DateCreatedUtc', 'CreatedDate'] as const

/**
 * `created` when the record's creation date equals its modification date to the millisecond (it
 * has not changed since it was created), else `updated`. Records without a creation date
 * (entries, itemizations) are always `updated`.
 */
function changeType(record: Record<string, unknown>, modified: number): ChangeType {
  for (const f of CREATED_FIELDS) {
    const v = record[f]
    if (typeof v === 'string' && v.trim() !== '') {
      const t = instant(v)
      if (!Number.isNaN(t) && t === modified) return 'created'
      return 'updated'
    }
  }
  return 'updated'
}

/**
 * The stable id of a change: SHA-256 over resource, object id and modification instant.
 *
 * @example
 * changeEventId('expense-reports', 'gWq…', '2024-05-01T10:00:00.000Z')
 */
export function changeEventId(resource: string, objectId: string, occurredAt: string): string {
  return createHash('sha256').update(`${resource}\n${objectId}\n${occurredAt}`).digest('hex')
}

interface Change {
  readonly id: string
  readonly t: number
  readonly modified: string
  readonly record: Record<string, unknown>
}

/** The cursor after handling a change (changes are handled in (modified, id) order). */
function advance(cursor: SyncCursor, change: Change): SyncCursor {
  const mark = cursor.highWater === undefined ? undefined : instant(cursor.highWater)
  if (mark === undefined || change.t > mark)
    return { resource: cursor.resource, highWater: change.modified, boundaryIds: [change.id] }
  if (change.t === mark && !cursor.boundaryIds.includes(change.id))
    return { ...cursor, boundaryIds: [...cursor.boundaryIds, change.id].sort() }
  return cursor
}

function defaultKey(resource: string, filter: ListFilter | undefined): string {
  if (!filter || Object.keys(filter).length === 0) return `watch:${resource}`
  const sorted = Object.fromEntries(Object.entries(filter).sort(([a], [b]) => a.localeCompare(b)))
  const hash = createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 12)
  return `watch:${resource}:${hash}`
}

/**
 * Change events of a resource with a modified date, by polling (Concur has no webhooks for
 * expense data). Each poll lists the records modified since the stored cursor — with the row's
 * `modifiedFilter` (from one second before the mark), or, where the API has none (v3 entries,
 * itemizations), every record compared client-side — skips those already handled at the mark,
 * orders the rest by (modified, id) and yields one event each. The cursor moves past an event only
 * once it is handled (next event requested, or `ack()`), so a crash or stop re-delivers rather
 * than loses: at-least-once, with a stable `id` to de-duplicate on.
 *
 * @example
 * const events = watch(client, 'expense-reports', { interval: '5m', filter: { user: 'ALL' } })
 * for await (const e of events) await handle(e) // the cursor advances when the next one is requested
 */
export function watch<T = Record<string, unknown>>(
  client: ConcurClient,
  resource: ResourceName | ResourceDefinition,
  options: WatchOptions = {},
): ChangeWatcher<T> {
  const rc = client.resource(resource)
  const def = rc.definition
  const field = def.modifiedField
  if (!field) invalidArgument(`${def.name} has no modified date: it cannot be watched`)
  const interval = parseDuration(options.interval ?? '5m')
  if (interval < 1) invalidArgument('interval must be at least 1 ms')
  const store =
    options.cursorStore ?? fileCursorStore(join(process.cwd(), '.concurkit', 'watch-cursors.json'))
  const key = options.key ?? defaultKey(def.name, options.filter)
  const clean = options.dropNulls ?? true
  const now = options.now ?? (() => new Date())
  const { signal } = options
  const filter: ListFilter = { ...options.filter }
  const after = def.modifiedFilter?.after
  if (after && filter[after] !== undefined)
    invalidArgument(`${after} is set by the watch cursor; leave it out of the filter`)

  function start(): SyncCursor {
    const since = options.since ?? 'now'
    if (since === 'beginning') return { resource: def.name, boundaryIds: [] }
    const from = since === 'now' ? now().getTime() - 60_000 : resolveDate(since, now()).getTime()
    return { resource: def.name, highWater: concurTime(from), boundaryIds: [] }
  }

  async function poll(cursor: SyncCursor): Promise<Change[]> {
    const mark = cursor.highWater === undefined ? undefined : instant(cursor.highWater)
    if (mark !== undefined && Number.isNaN(mark))
      throw new ConcurClientError(
        CLIENT_ERROR_CODES.CHECKPOINT_MISMATCH,
        `cursor ${key} has a bad high-water mark`,
      )
    const boundary = new Set(cursor.boundaryIds)
    const query: ListFilter = { ...filter }
    if (after && mark !== undefined) query[after] = concurTime(mark - 1000).slice(0, 19)
    const byId = new Map<string, Change>()
    for await (const item of rc.list(query, signal ? { signal } : {})) {
      const record = item as Record<string, unknown>
      const modified = record[field!]
      if (typeof modified !== 'string' || modified.trim() === '') continue
      const t = instant(modified)
      if (Number.isNaN(t)) continue
      const id = String(record[def.idField] ?? '')
      if (id === '') continue
      if (mark !== undefined && (t < mark || (t === mark && boundary.has(id)))) continue
      const seen = byId.get(id)
      if (!seen || seen.t < t) byId.set(id, { id, t, modified, record })
    }
    return [...byId.values()].sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  async function toEvent(change: Change): Promise<ChangeEvent<T>> {
    const occurredAt = new Date(change.t).toISOString()
    let objectUri = typeof change.record.URI === 'string' ? change.record.URI : ''
    if (!objectUri && def.itemPath) {
      const base = await client.transport.baseUrl()
      objectUri = `${base}${def.itemPath.replace(/\{[^}]+\}/, pathSegment(change.id))}`
    }
    return {
      id: changeEventId(def.name, change.id, occurredAt),
      type: changeType(change.record, change.t),
      resource: def.name,
      objectId: change.id,
      objectUri,
      record: (clean ? dropNullValues(change.record) : change.record) as T,
      occurredAt,
    }
  }

  let pending: SyncCursor | undefined
  let started = false
  let finished = false

  async function ack(): Promise<void> {
    const c = pending
    if (!c) return
    pending = undefined
    await store.set(key, c)
  }

  async function* run(): AsyncGenerator<ChangeEvent<T>> {
    let cursor = await store.get(key)
    if (cursor && cursor.resource !== def.name) {
      throw new ConcurClientError(
        CLIENT_ERROR_CODES.CHECKPOINT_MISMATCH,
        `cursor ${key} is for ${cursor.resource}, not ${def.name}`,
      )
    }
    if (!cursor) {
      cursor = start()
      await store.set(key, cursor)
    }
    for (;;) {
      if (signal?.aborted) return
      let changes: Change[]
      try {
        changes = await poll(cursor)
      } catch (err) {
        if (signal?.aborted) return
        if (!options.onPollError) throw err
        await options.onPollError(err)
        if (options.once) return
        if (!(await sleep(interval, signal))) return
        continue
      }
      await options.onPoll?.({ resource: def.name, changes: changes.length })
      for (const change of changes) {
        const next = advance(cursor, change)
        const event = await toEvent(change)
        pending = next
        yield event
        cursor = next
      }
      if (options.once) return
      if (!(await sleep(interval, signal))) return
    }
  }

  const generator = run()
  const iterator: AsyncIterator<ChangeEvent<T>> = {
    async next() {
      if (finished) return { done: true, value: undefined }
      await ack()
      const r = await generator.next()
      if (r.done) finished = true
      return r
    },
    async return() {
      finished = true
      // The last event was not acknowledged: it is delivered again by the next watch.
      pending = undefined
      await generator.return(undefined)
      return { done: true, value: undefined }
    },
  }
  return {
    key,
    resource: def.name,
    ack,
    [Symbol.asyncIterator]() {
      if (started) invalidArgument('a watcher can be iterated only once')
      started = true
      return iterator
    },
  }
}
