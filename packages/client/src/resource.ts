import { LEGACY_XML_MAPPINGS, type ResourceDefinition } from '@concurkit/contract'
import { type CleanOptions, cleanRecord } from './clean.js'
import { invalidArgument } from './errors.js'
import type { ListFilter } from './filters.js'
import { parseItem, validateItem } from './parse.js'
import { completePages, walkPages } from './resource-complete.js'
import { directPages } from './resource-direct.js'
import { fanoutPages } from './resource-fanout.js'
import { accept, fillPath, PLACEHOLDER, recordIterable } from './resource-paths.js'
import type {
  GetOptions,
  ListOptions,
  Page,
  ResourceClient,
  ResourceContext,
  ResourceHandle,
} from './resource-types.js'

export { fillPath, idFromUrl, pathSegment } from './resource-paths.js'
export {
  type GetOptions,
  type ItemOf,
  type ListOptions,
  type Page,
  PREFETCH,
  type RecordIterable,
  type ResourceClient,
  type ResourceClientOf,
  type ResourceContext,
} from './resource-types.js'

/**
 * Creates the handle of one registry resource: list (all paging models), pages, get.
 *
 * @example
 * const reports = createResourceClient(getResource('expense-reports'), ctx)
 * const first = await reports.get('gWpkOyRx…')
 */
export function createResourceClient<T = Record<string, unknown>, F extends ListFilter = ListFilter>(
  def: ResourceDefinition,
  ctx: ResourceContext,
): ResourceClient<T, F> {
  const finish = (raw: unknown, where: string, clean: CleanOptions): T => {
    const record = validateItem(def.item, raw, where)
    // The call's options override the client's (a key present counts, as in `{ ...ctx.clean, ...clean }`).
    const flatten = 'flattenCustomFields' in clean ? clean.flattenCustomFields : ctx.clean.flattenCustomFields
    const drop = 'dropNulls' in clean ? clean.dropNulls : ctx.clean.dropNulls
    // Most walks clean nothing: no options object per record then.
    if (!flatten && !drop) return record as T
    return cleanRecord(record, { flattenCustomFields: flatten, dropNulls: drop }) as T
  }

  /** A row that accepts some token kinds only (Identity v4: company) refuses another before any request. */
  async function checkTokenKind(): Promise<void> {
    if (!def.tokenKinds || !ctx.tokenKind) return
    const kind = await ctx.tokenKind()
    if (kind !== undefined && !(def.tokenKinds as readonly string[]).includes(kind))
      invalidArgument(
        `${def.name} (${def.api}) accepts ${def.tokenKinds.join(' or ')}-level access tokens only; this is a ${kind} token (concur.type=${kind})${def.tokenKinds.includes('company') ? '. Get a company token with the company request token grant (credtype=authtoken)' : ''}`,
      )
  }

  const h: ResourceHandle<T> = {
    def,
    ctx,
    finish,
    checkTokenKind,
    get,
    create: createResourceClient,
  }

  function pages(filter: ListFilter = {}, options: ListOptions = {}): AsyncIterable<Page<T>> {
    if (options.complete) return { [Symbol.asyncIterator]: () => completePages(h, filter, options) }
    const walks =
      (LEGACY_XML_MAPPINGS[def.name]?.walk?.length ?? 0) > 0 &&
      [...def.path.matchAll(PLACEHOLDER)].some((m) => filter[m[1]!] === undefined)
    return {
      [Symbol.asyncIterator]: () =>
        walks
          ? walkPages(h, options)
          : def.paging.kind === 'fanout'
            ? fanoutPages(h, filter, options)
            : directPages(h, filter, options),
    }
  }

  async function get(id: string, options: GetOptions = {}): Promise<T> {
    if (typeof id !== 'string' || id.trim() === '') invalidArgument(`${def.name}.get needs an id`)
    const itemPath = def.itemPath
    if (!itemPath) invalidArgument(`${def.name} has no single-record endpoint`)
    await checkTokenKind()
    const names = [...itemPath.matchAll(PLACEHOLDER)].map((m) => m[1]!)
    const last = names[names.length - 1]
    const args: Record<string, string> = {}
    for (const n of names) args[n] = n === last ? id : String(options.params?.[n] ?? '')
    const { path } = fillPath(def, itemPath, args)
    const query = Object.fromEntries(Object.entries(options.params ?? {}).filter(([k]) => !names.includes(k)))
    return ctx.transport.send(
      { url: path, query, accept: accept(def), ...(options.signal ? { signal: options.signal } : {}) },
      (res) => finish(parseItem(def, res), `${def.name} ${id}`, options),
    )
  }

  const fanoutFrom = def.paging.kind === 'fanout' ? def.paging.from : undefined
  return {
    definition: def,
    list: (filter, options) => recordIterable(() => pages(filter, options)),
    pages,
    get,
    ...(fanoutFrom
      ? {
          parent: createResourceClient<Record<string, unknown>>(ctx.resolve(fanoutFrom), ctx),
          fanout: (parentPages: AsyncIterable<Page<Record<string, unknown>>>, options: ListOptions = {}) => ({
            [Symbol.asyncIterator]: () => fanoutPages(h, {}, options, parentPages),
          }),
        }
      : {}),
  }
}
