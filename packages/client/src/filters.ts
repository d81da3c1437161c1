import type { FilterDefinition, Registry, ResourceDefinition, ResourceName } from '@concurkit/contract'
import { invalidArgument } from './errors.js'

/** A value for a documented query parameter. */
export type FilterValue = string | number | boolean | Date | readonly string[]

/** A day: a `Date`, `YYYY-MM-DD`, an ISO date-time, or relative `Nd` (N days before today, UTC). */
export type DateInput = Date | string

/** The date fields a connector-style range can apply to (the v3 `…After`/`…Before` pairs). */
export type DateField =
  | 'createDate'
  | 'submitDate'
  | 'paidDate'
  | 'processingPaymentDate'
  | 'userDefinedDate'
  | 'modifiedDate'
  | 'entryTransactionDate'
  | (string & {})

/**
 * The connector filters (reference F.1), mapped onto each resource's documented parameters.
 *
 * @example
 * { user: 'ALL', approvalStatus: 'A_APPR', dateField: 'submitDate', from: '10d', to: '5d' }
 */
export type ConnectorFilter = {
  /** Whose data: login ID or `ALL` (→ `user`, `LoginID`, or trips' `userid_type=login&userid_value=`). */
  user?: string
  /** v2.0 report status (`Active`, `Pending External Validation` … or `ACTIVE` …) → `Status`. */
  status?: string
  /** v3 approval status code (`A_APPR` …) → `approvalStatusCode`. */
  approvalStatus?: string
  /** Which date field `on`/`from`/`to`/`daysBack` bound. Default `modifiedDate` when the resource has one. */
  dateField?: DateField
  /** One day D: `After = D 00:00`, `Before = D+1 00:00`. */
  on?: DateInput
  /** Range start (inclusive): a date or relative `10d`. */
  from?: DateInput
  /** Range end (exclusive): a date or relative `5d`. */
  to?: DateInput
  /** `After = today − N days`. */
  daysBack?: number
}

/**
 * Filter of a resource read by a name only known at run time (`client.resource(name)` with a
 * `ResourceName` variable): connector filters plus any documented parameter by its exact wire
 * name, checked when the request is built. The typed accessors take `FilterOf<N>` instead.
 */
export type ListFilter = ConnectorFilter & { [param: string]: FilterValue | undefined }

/**
 * The value a documented filter takes, from its registry type: an `enum` filter takes one of its
 * `values`, `boolean` a boolean, `date`/`datetime` a `DateInput`, `int` a number, `csv` a string or
 * a list of strings, anything else a string.
 */
export type FilterValueOf<F> = F extends {
  readonly type: 'enum'
  readonly values: readonly (infer V extends string)[]
}
  ? V
  : F extends { readonly type: 'boolean' }
    ? boolean
    : F extends { readonly type: 'date' | 'datetime' }
      ? DateInput
      : F extends { readonly type: 'int' }
        ? number
        : F extends { readonly type: 'csv' }
          ? string | readonly string[]
          : string

/** The `{placeholder}` names of a path, e.g. `DefinitionID` of `/extract/v1.0/{DefinitionID}/job`. */
type PathParams<P> = P extends `${string}{${infer K}}${infer Rest}` ? K | PathParams<Rest> : never

/** The documented parameters of one registry row, each with its value type. */
type DocumentedFilter<Row extends { readonly filters: readonly { readonly param: string }[] }> = {
  [F in Row['filters'][number] as F['param']]?: FilterValueOf<F>
}

/** A fan-out row reads its parent with the filters it does not own: it takes the parent's too. */
type ParentFilter<Row> = Row extends { readonly paging: { readonly kind: 'fanout'; readonly from: infer P } }
  ? P extends ResourceName
    ? DocumentedFilter<Registry[P]>
    : unknown
  : unknown

/**
 * Filter of `client.<resource>.list()`: the connector filters plus that resource's documented
 * parameters (and path parameters), typed from its registry row. A name the row does not
 * document, or a value outside an enum, does not compile; undocumented raw parameters go in
 * `ListOptions.params`.
 *
 * @example
 * const f: FilterOf<'expense-reports'> = { user: 'ALL', approvalStatusCode: 'A_APPR', hasVAT: true }
 */
export type FilterOf<N extends ResourceName> = ConnectorFilter &
  DocumentedFilter<Registry[N]> &
  ParentFilter<Registry[N]> & { [K in PathParams<Registry[N]['path']>]?: string }

const CONNECTOR_KEYS = new Set([
  'user',
  'status',
  'approvalStatus',
  'dateField',
  'on',
  'from',
  'to',
  'daysBack',
])

const DAY = 86_400_000

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY
}

/**
 * Resolves a `DateInput` to a UTC instant.
 *
 * @example
 * resolveDate('10d', new Date('2024-05-20T12:00:00Z')) // 2024-05-10T00:00:00.000Z
 */
export function resolveDate(input: DateInput, now: Date = new Date()): Date {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) invalidArgument('invalid Date')
    return input
  }
  const s = String(input).trim()
  const rel = /^(\d+)d$/i.exec(s)
  if (rel) return new Date(startOfUtcDay(now.getTime()) - Number(rel[1]) * DAY)
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const d = new Date(`${s}T00:00:00Z`)
    if (!Number.isNaN(d.getTime())) return d
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) {
    const d = new Date(/Z|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s}Z`)
    if (!Number.isNaN(d.getTime())) return d
  }
  return invalidArgument(`"${s}" is not a date (use YYYY-MM-DD, an ISO date-time or Nd)`)
}

/** Formats an instant for a date parameter: `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm:ss` (UTC, no zone, as Concur). */
export function formatDate(d: Date, type: FilterDefinition['type']): string {
  const iso = d.toISOString()
  if (type === 'date' && iso.slice(10) === 'T00:00:00.000Z') return iso.slice(0, 10)
  return iso.slice(0, 19)
}

function findFilter(def: ResourceDefinition, param: string): FilterDefinition | undefined {
  const lower = param.toLowerCase()
  return def.filters.find((f) => f.param.toLowerCase() === lower)
}

/** The documented `After`/`Before` parameters bounding `field` on this resource. */
export function dateRangeParams(
  def: ResourceDefinition,
  field: string,
): { after?: FilterDefinition; before?: FilterDefinition } {
  const after = findFilter(def, `${field}After`)
  const before = findFilter(def, `${field}Before`)
  if (after || before) return { ...(after ? { after } : {}), ...(before ? { before } : {}) }
  if (field.toLowerCase() === 'modifieddate' && def.modifiedFilter) {
    const a = findFilter(def, def.modifiedFilter.after) ?? {
      param: def.modifiedFilter.after,
      type: 'datetime' as const,
      description: '',
    }
    const bName = def.modifiedFilter.before
    const b = bName
      ? (findFilter(def, bName) ?? { param: bName, type: 'datetime' as const, description: '' })
      : undefined
    return { after: a, ...(b ? { before: b } : {}) }
  }
  return {}
}

function encodeValue(f: FilterDefinition, value: FilterValue, now: Date): string {
  switch (f.type) {
    case 'boolean':
      if (typeof value === 'boolean') return String(value)
      if (value === 'true' || value === 'false') return value
      return invalidArgument(`${f.param} must be true or false`)
    case 'int': {
      const n = Number(value)
      if (!Number.isInteger(n)) invalidArgument(`${f.param} must be an integer`)
      return String(n)
    }
    case 'date':
    case 'datetime':
      if (typeof value !== 'string' && !(value instanceof Date)) invalidArgument(`${f.param} must be a date`)
      return formatDate(resolveDate(value as DateInput, now), f.type)
    case 'csv':
      return Array.isArray(value) ? value.join(',') : String(value)
    case 'enum': {
      const v = String(value)
      if (f.values && !f.values.some((x) => x.toLowerCase() === v.toLowerCase())) {
        invalidArgument(`${f.param} must be one of ${f.values.join(', ')} (got "${v}")`)
      }
      return f.values?.find((x) => x.toLowerCase() === v.toLowerCase()) ?? v
    }
    default:
      if (Array.isArray(value)) return value.join(',')
      if (value instanceof Date) return formatDate(value, 'datetime')
      return String(value)
  }
}

/**
 * Maps a `ListFilter` to the resource's documented query parameters (paging parameters excluded).
 * Unknown parameters and bad values throw `CONCUR_INVALID_ARGUMENT` naming what is allowed.
 *
 * @example
 * buildQuery(getResource('expense-reports'), { user: 'ALL', dateField: 'submitDate', on: '2024-05-01' })
 * // { user: 'ALL', submitDateAfter: '2024-05-01', submitDateBefore: '2024-05-02' }
 */
export function buildQuery(
  def: ResourceDefinition,
  filter: ListFilter = {},
  now: Date = new Date(),
): Record<string, string> {
  const q: Record<string, string> = {}
  const set = (f: FilterDefinition, v: FilterValue) => {
    q[f.param] = encodeValue(f, v, now)
  }
  // A documented parameter wins over a connector filter of the same name (user-information's `user`).
  const connector = (key: string) => CONNECTOR_KEYS.has(key) && !def.filters.some((f) => f.param === key)
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || connector(key)) continue
    if (key === 'limit' || key === 'offset') continue // paging: handled by the pager
    const f = findFilter(def, key)
    if (!f) {
      const known = def.filters.map((x) => x.param).join(', ') || '(none)'
      invalidArgument(`${def.name} has no filter "${key}"; documented: ${known}`)
    }
    set(f, value)
  }
  if (filter.user !== undefined && connector('user')) {
    const param = def.userParam
    if (!param) invalidArgument(`${def.name} cannot be filtered by user`)
    if (param.toLowerCase() === 'userid_value') q.userid_type = 'login'
    q[param] = filter.user
  }
  if (filter.status !== undefined && connector('status')) {
    const f = findFilter(def, 'Status')
    if (!f) invalidArgument(`${def.name} has no status filter`)
    set(f, filter.status.replace(/[\s_-]+/g, '').toUpperCase())
  }
  if (filter.approvalStatus !== undefined && connector('approvalStatus')) {
    const f = findFilter(def, 'approvalStatusCode')
    if (!f) invalidArgument(`${def.name} has no approval status filter`)
    set(f, filter.approvalStatus)
  }
  const { on, from, to, daysBack } = filter
  if (on !== undefined || from !== undefined || to !== undefined || daysBack !== undefined) {
    if (on !== undefined && (from !== undefined || to !== undefined || daysBack !== undefined)) {
      invalidArgument('use either on, or from/to/daysBack')
    }
    if (daysBack !== undefined && (from !== undefined || !Number.isInteger(daysBack) || daysBack < 0)) {
      invalidArgument('daysBack must be an integer ≥ 0 and cannot be combined with from')
    }
    const field = filter.dateField ?? (def.modifiedFilter ? 'modifiedDate' : undefined)
    if (!field) invalidArgument(`${def.name}: dateField is required`)
    const { after, before } = dateRangeParams(def, field)
    if (!after && !before) invalidArgument(`${def.name} has no date range on ${field}`)
    let start: Date | undefined
    let end: Date | undefined
    if (on !== undefined) {
      start = new Date(startOfUtcDay(resolveDate(on, now).getTime()))
      end = new Date(start.getTime() + DAY)
    } else {
      if (from !== undefined) start = resolveDate(from, now)
      if (daysBack !== undefined) start = new Date(startOfUtcDay(now.getTime()) - daysBack * DAY)
      if (to !== undefined) end = resolveDate(to, now)
    }
    if (start && end && start > end) invalidArgument('the range starts after it ends')
    if (start) {
      if (!after) invalidArgument(`${def.name} has no lower bound on ${field}`)
      q[after.param] = formatDate(start, after.type)
    }
    if (end) {
      if (!before) invalidArgument(`${def.name} has no upper bound on ${field}`)
      q[before.param] = formatDate(end, before.type)
    }
  } else if (filter.dateField !== undefined) {
    invalidArgument('dateField needs on, from, to or daysBack')
  }
  return q
}
