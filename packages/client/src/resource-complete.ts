import { LEGACY_XML_MAPPINGS, type ResourceDefinition } from '@concurkit/contract'
import { recordsAt } from '@concurkit/contract/internal'
import { invalidArgument } from './errors.js'
import type { ListFilter } from './filters.js'
import { mapLimit } from './limit.js'
import { parseMappedXml } from './parse.js'
import { encodePosition, PLACEHOLDER, pathSegment } from './resource-paths.js'
import type { ListOptions, Page, ResourceHandle } from './resource-types.js'

// Reads of more than one query: the multi-call XML walk and the `complete: true` union.

const DAY_MS = 86_400_000
/** Lower bound of the first partition window (older than any Concur record). */
const PARTITION_START = Date.UTC(1990, 0, 1)
const isoSeconds = (ms: number) => new Date(ms).toISOString().slice(0, 19)

/** Where a complete walk stands: the query index and the partition windows still to read. */
interface CompleteState {
  q: number
  w: [number, number][]
}

function encodeComplete(state: CompleteState): string {
  return JSON.stringify({ complete: state })
}

function decodeComplete(s: string, def: ResourceDefinition): CompleteState {
  try {
    const v = (JSON.parse(s) as { complete?: CompleteState }).complete
    if (v && Number.isInteger(v.q) && Array.isArray(v.w)) return v
  } catch {
    // fall through
  }
  return invalidArgument(`not a page position of a complete ${def.name} walk: ${s.slice(0, 80)}`)
}

/** Multi-call XML resources (expense form): walk the steps, carrying values; one page in all. */
export async function* walkPages<T>(h: ResourceHandle<T>, options: ListOptions): AsyncGenerator<Page<T>> {
  const { def, ctx, finish } = h
  const mapping = LEGACY_XML_MAPPINGS[def.name]
  const steps = mapping?.walk ?? []
  const concurrency = options.concurrency ?? ctx.concurrency
  let carried: Record<string, string>[] = [{}]
  let records: unknown[] = []
  for (const [n, step] of steps.entries()) {
    const last = n === steps.length - 1
    const results = await mapLimit(carried, concurrency, async (values) => {
      const path = step.path.replace(PLACEHOLDER, (_, name: string) => pathSegment(values[name] ?? ''))
      const els = await ctx.transport.send(
        { url: path, accept: 'application/xml', ...(options.signal ? { signal: options.signal } : {}) },
        (res) => recordsAt(parseMappedXml(mapping!, res.body), step.listPath),
      )
      return els.map((el) => {
        const o = (el ?? {}) as Record<string, unknown>
        if (last) return { ...values, ...o }
        const next: Record<string, string> = { ...values }
        for (const [name, element] of Object.entries(step.carry ?? {})) next[name] = String(o[element] ?? '')
        return next
      })
    })
    if (last) records = results.flat()
    else carried = results.flat() as Record<string, string>[]
  }
  const position = encodePosition({ u: `walk:${def.name}` })
  yield {
    items: records.map((raw, i) => finish(raw, `${def.name} item ${i}`, options)),
    index: 0,
    position,
  }
}

/** `complete: true`: the union of the complete queries, capped answers bisected by the partition pair. */
export async function* completePages<T>(
  h: ResourceHandle<T>,
  filter: ListFilter,
  options: ListOptions,
): AsyncGenerator<Page<T>> {
  const { def, ctx, create: createResourceClient } = h
  const mapping = LEGACY_XML_MAPPINGS[def.name]
  const queries = mapping?.completeQueries?.length ? mapping.completeQueries : [{}]
  const partition = mapping?.partition
  const cap = def.paging.kind === 'none' ? def.paging.cap : undefined
  const key = (r: unknown) => {
    const o = r as Record<string, unknown>
    return JSON.stringify((mapping?.key ?? def.keyFields ?? [def.idField]).map((k) => o[k] ?? null))
  }
  const seen = new Set<string>()
  const inner: ListOptions = { ...options, complete: false, from: undefined as never }
  let state: CompleteState = options.from
    ? decodeComplete(options.from, def)
    : { q: 0, w: partition && cap !== undefined ? [[PARTITION_START, Date.now() + 2 * DAY_MS]] : [] }
  let index = 0
  while (state.q < queries.length) {
    const query: ListFilter = { ...queries[state.q], ...filter }
    const windows = state.w
    let items: T[]
    let next: CompleteState
    if (windows.length > 0 && partition && cap !== undefined) {
      const [lo, hi] = windows[0]!
      const windowed: ListFilter = {
        ...query,
        [partition.after]: isoSeconds(lo),
        [partition.before]: isoSeconds(hi),
      }
      const got = await createResourceClient<T>(def, ctx).list(windowed, inner).toArray()
      if (got.length >= cap) {
        if (hi - lo <= 1000)
          invalidArgument(
            `${def.name}: more than ${cap} records modified within one second; cannot partition further`,
          )
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000
        state = { q: state.q, w: [[lo, mid], [mid, hi], ...windows.slice(1)] }
        continue
      }
      items = got
      const rest = windows.slice(1)
      next =
        rest.length > 0
          ? { q: state.q, w: rest }
          : { q: state.q + 1, w: [[PARTITION_START, windows.at(-1)![1]]] }
    } else {
      items = await createResourceClient<T>(def, ctx).list(query, inner).toArray()
      next = { q: state.q + 1, w: state.w }
    }
    const fresh = items.filter((r) => {
      const k = key(r)
      if (seen.has(k)) return false
      seen.add(k)
      return true
    })
    const position = encodeComplete(state)
    state = next
    yield {
      items: fresh,
      index,
      position,
      ...(state.q < queries.length ? { nextPosition: encodeComplete(state) } : {}),
    }
    index += 1
  }
}
