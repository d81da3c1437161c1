import { LEGACY_XML_MAPPINGS } from '@concurkit/contract'
import { CLIENT_ERROR_CODES, ConcurClientError, invalidArgument } from './errors.js'
import type { ListFilter } from './filters.js'
import { createLimit } from './limit.js'
import { idFromUrl, PLACEHOLDER } from './resource-paths.js'
import type { ListOptions, Page, ResourceHandle } from './resource-types.js'

/** Fan-out: parent pages whose detail reads may be in flight beyond the page being yielded. */
const AHEAD_PAGES = 2

/** Fan-out: one child page per parent page, children fetched concurrently, in parent order. */
export async function* fanoutPages<T>(
  h: ResourceHandle<T>,
  filter: ListFilter,
  options: ListOptions,
  parentPages?: AsyncIterable<Page<Record<string, unknown>>>,
): AsyncGenerator<Page<T>> {
  const { def, ctx, get, checkTokenKind, create: createResourceClient } = h
  if (def.paging.kind !== 'fanout') return
  await checkTokenKind()
  const parentDef = ctx.resolve(def.paging.from)
  const parent = createResourceClient<Record<string, unknown>>(parentDef, ctx)
  const signal = options.signal
  const concurrency = options.concurrency ?? ctx.concurrency
  const placeholders = [...def.path.matchAll(PLACEHOLDER)].map((m) => m[1]!)
  // A JSON row whose list path is its item path (Expense v4 reports) reads one record per parent.
  const perParentList = placeholders.length > 0 && !(def.format === 'json' && def.itemPath === def.path)
  // Filters that are path parameters or the parent's own go to the parent walk.
  const parentFilter: ListFilter = {}
  const childFilter: ListFilter = {}
  for (const [k, v] of Object.entries(filter)) {
    if (placeholders.includes(k)) continue
    const ownsFilter = def.filters.some((f) => f.param.toLowerCase() === k.toLowerCase())
    if (ownsFilter && perParentList) childFilter[k] = v
    else parentFilter[k] = v
  }
  const parentOptions: ListOptions = { ...options, dropNulls: false, flattenCustomFields: false }
  const how = LEGACY_XML_MAPPINGS[def.name]?.fanout
  const fromField = def.paging.field ?? how?.from ?? parentDef.idField
  const take = (v: string) => (how?.take === 'value' ? v : idFromUrl(v))
  // A record read through its own endpoint is read once, even if a parent shows up twice (a
  // parent modified during the walk can move to a later page).
  const seen = perParentList ? undefined : new Set<string>()
  // One detail limit shared by every parent page: the reads of the next parent pages start while
  // the slowest read of the current one is still in flight (a sliding window over parents), and
  // pages are still yielded whole and in parent order. At most `AHEAD_PAGES` parent pages beyond
  // the one being yielded are in flight, so memory stays bounded; a page whose reads are done is
  // yielded at once, not after the parent pages read ahead of it.
  const limit = createLimit(concurrency)
  let stopped = false
  const detail = async (parentId: string, i: number): Promise<T[]> => {
    if (stopped) return []
    if (!parentId) invalidArgument(`${parentDef.name} record ${i} has no ${fromField}`)
    if (perParentList) {
      const args: ListFilter = { ...childFilter }
      for (const name of placeholders) args[name] = filter[name] ?? take(parentId)
      const child = createResourceClient<T>({ ...def, paging: { kind: 'none' } }, ctx)
      return child.list(args, { ...options, from: undefined as never }).toArray()
    }
    return [await get(take(parentId), { ...options })]
  }
  // Given parent pages (an incremental sync's changes) are not read ahead: their cursor moves as
  // they are read, and `Changes.cursor()` must cover only the pages yielded so far.
  const ahead = parentPages ? 0 : AHEAD_PAGES
  type Held = { pp: Page<Record<string, unknown>>; groups: Promise<T[][]>; settled: Promise<'head'> }
  const window: Held[] = []
  const admit = (pp: Page<Record<string, unknown>>) => {
    const ids = pp.items
      .map((p) => String(p[fromField] ?? ''))
      .filter((id) => {
        if (!seen || id === '') return true
        if (seen.has(id)) return false
        seen.add(id)
        return true
      })
    const groups = Promise.all(ids.map((id, i) => limit(() => detail(id, i))))
    // Awaited in order below; this only keeps a failure from being reported as unhandled first.
    const settled = groups.then(
      () => 'head' as const,
      () => 'head' as const,
    )
    window.push({ pp, groups, settled })
  }
  const parents = (parentPages ?? parent.pages(parentFilter, parentOptions))[Symbol.asyncIterator]()
  // The parent page being read (one at a time), and whether the parent walk has ended.
  let reading: Promise<IteratorResult<Page<Record<string, unknown>>>> | undefined
  let ended = false
  let index = 0
  try {
    for (;;) {
      if (!ended && reading === undefined && window.length <= ahead) reading = parents.next()
      const head = window[0]
      // Whichever comes first: the head page's reads, or the next parent page.
      if (reading !== undefined) {
        const parentFirst = reading.then(
          () => 'parent' as const,
          () => 'parent' as const,
        )
        if (!head || (await Promise.race([head.settled, parentFirst])) === 'parent') {
          const r = await reading
          reading = undefined
          if (r.done) ended = true
          else admit(r.value)
          continue
        }
      }
      if (!head) break
      window.shift()
      yield {
        items: (await head.groups).flat(),
        index: index++,
        position: head.pp.position,
        ...(head.pp.nextPosition ? { nextPosition: head.pp.nextPosition } : {}),
      }
      // An abort ends the walk with an error, never as if the data had ended.
      if (signal?.aborted)
        throw new ConcurClientError(CLIENT_ERROR_CODES.ABORTED, 'the operation was aborted', {
          cause: signal.reason,
        })
    }
  } finally {
    // Stopped early (break, error, abort): reads not started yet are skipped, the parent page in
    // flight is let finish (an abort ends it at once) and the parent walk is closed.
    stopped = true
    if (!ended) {
      await reading?.catch(() => undefined)
      await Promise.resolve(parents.return?.()).catch(() => undefined)
    }
  }
}
