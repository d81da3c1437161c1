import type { Http } from '@concurkit/auth'
import {
  ExtractJob as ExtractJobWire,
  getResource,
  RESOURCE_NAMES,
  RESOURCES,
  ReceiptImage,
  type ResourceDefinition,
  type ResourceName,
} from '@concurkit/contract'
import type { Dispatcher } from 'undici'
import { type CardsV4Client, cardsV4Client } from './cards-v4.js'
import type { CleanOptions } from './clean.js'
import { type DeprecationListener, observeDeprecations, type ReceivedDeprecation } from './deprecation.js'
import { CLIENT_ERROR_CODES, ConcurClientError, invalidArgument } from './errors.js'
import { type ExpenseConfigV4Client, expenseConfigV4Client } from './expense-config-v4.js'
import { type ExpenseV4Client, expenseV4Client } from './expense-v4.js'
import {
  createTransport,
  type HttpLayerOptions,
  type RawResponse,
  type RetryOptions,
  type TokenSource,
  type Transport,
} from './http.js'
import { type InvoiceClient, invoiceClient } from './invoice.js'
import { type ItineraryV4Client, itineraryV4Client } from './itinerary-v4.js'
import { mapLimit } from './limit.js'
import { type ListV4Client, listV4Client } from './list-v4.js'
import { type LocalitiesV5Client, localitiesV5Client } from './localities-v5.js'
import { parseItem, parseXml, validateItem } from './parse.js'
import { type QuickExpenseV4Client, quickExpenseV4Client } from './quick-expense-v4.js'
import {
  type ReceiptsV4Client,
  receiptsV4Client,
  type SpendDocumentsV4Client,
  spendDocumentsV4Client,
} from './receipts-v4.js'
import { type RequestV4Client, requestV4Client } from './request-v4.js'
import {
  createResourceClient,
  type ItemOf,
  idFromUrl,
  type ListOptions,
  pathSegment,
  type RecordIterable,
  type ResourceClient,
  type ResourceClientOf,
} from './resource.js'
import { tokenKind, tokenUser } from './token-kind.js'

/** Options of `createConcurClient`. */
export interface ConcurClientOptions extends CleanOptions {
  /**
   * Token source: `@concurkit/auth`'s token manager as it is (`createTokenManager(...)`: its
   * `getToken().geolocation` is the base URL, a 401 calls `forceRefresh({ staleToken })`),
   * `staticToken()`, or any `{ getAccessToken() }`.
   */
  auth: TokenSource
  /** Base URL override (the connector's "Base URL Override"); default the token's geolocation. */
  baseUrl?: string
  /**
   * `@concurkit/auth`'s HTTP layer (`createHttp(...)`, e.g. the one the token manager uses) to share
   * its pooled dispatcher — the client sends (and retries) through it and never closes it — or timeouts for the layer the client creates (and closes on `close()`).
   */
  http?: Http | HttpLayerOptions
  /** An undici dispatcher to send through instead (never closed by the client). */
  dispatcher?: Dispatcher
  retry?: RetryOptions
  /** Requests in flight for fan-out details, related reads and multi-resource extracts. Default 8. */
  concurrency?: number
  /** Aborts every request of this client. */
  signal?: AbortSignal
  /** Extra registry rows (or replacements), e.g. for a resource the registry does not have yet. */
  resources?: readonly ResourceDefinition[]
  /** Clock for relative dates (tests). */
  now?: () => Date
  /**
   * Called once per retired endpoint the client reaches, with what its `x-api-warn` and `sunset`
   * headers said (Concur sends them on deprecated and decommissioned APIs). The client never
   * writes to the console; `client.deprecations` holds the same notices.
   *
   * @example
   * createConcurClient({ auth, onDeprecation: (n) => log.warn(`${n.endpoint} → ${n.replacement}`) })
   */
  onDeprecation?: DeprecationListener
}

/** A receipt image (or any binary document). */
export interface Binary {
  readonly contentType: string
  readonly bytes: Buffer
}

/** An extract job (v1.0, C.17). */
export interface ExtractJob {
  readonly id: string
  readonly definitionId: string
  readonly jobId: string
  readonly status: string
  readonly statusLink?: string
  readonly fileLink?: string
  readonly startTime?: string
  readonly stopTime?: string
}

/** Options of the related reads (`reportEntries`, `entryItemizations` …). */
export interface RelatedOptions extends ListOptions {
  /**
   * Whose records: v3 reads the token owner's by default; an administrator reading another user's
   * report passes the owner's login or `ALL`.
   */
  user?: string
}

/** Options of `extractJobs.waitFor`. */
export interface WaitForOptions {
  signal?: AbortSignal
  /** ms between status reads. Default 5 000. */
  interval?: number
  /** ms before giving up with `CONCUR_INVALID_ARGUMENT`. Default 30 minutes. */
  timeout?: number
  /** Called with each status that is not final (progress display, or moving a test clock). */
  onPoll?: (job: ExtractJob) => void | Promise<void>
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())

type CamelCase<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<CamelCase<B>>}` : S

/**
 * One accessor per registry resource, e.g. `client.expenseReports`, each typed from its row:
 * records are `ItemOf<N>`, filters `FilterOf<N>`.
 */
export type ResourceAccessors = { readonly [K in ResourceName as CamelCase<K>]: ResourceClientOf<K> }

/** The report client. */
export interface ConcurClient extends ResourceAccessors {
  /**
   * A resource by registry name (typed like its accessor; a name known only at run time gives
   * untyped records), or by a row of its own (e.g. one the registry does not have yet).
   */
  resource<N extends ResourceName>(name: N): ResourceClientOf<N>
  resource(definition: ResourceDefinition): ResourceClient
  resource(nameOrDefinition: ResourceName | ResourceDefinition): ResourceClient
  /** Registry rows this client serves. */
  readonly resources: readonly ResourceDefinition[]
  /** A report's expense entries. */
  reportEntries(reportId: string, options?: RelatedOptions): RecordIterable<ItemOf<'expense-entries'>>
  /** An entry's itemizations. */
  entryItemizations(entryId: string, options?: RelatedOptions): RecordIterable<ItemOf<'expense-itemizations'>>
  /** An entry's allocations. */
  entryAllocations(entryId: string, options?: RelatedOptions): RecordIterable<ItemOf<'expense-allocations'>>
  /** An entry's attendees (its attendee associations, each resolved to the attendee record). */
  entryAttendees(entryId: string, options?: RelatedOptions): Promise<ItemOf<'expense-attendees'>[]>
  /** The bytes of a receipt image (GET the image record, then its temporary URL). */
  receiptImage(id: string, options?: { signal?: AbortSignal }): Promise<Binary>
  /** Extract job lifecycle (v1.0). */
  readonly extractJobs: ResourceClientOf<'extract-jobs'> & {
    create(definitionId: string, options?: { signal?: AbortSignal }): Promise<ExtractJob>
    status(definitionId: string, jobId: string, options?: { signal?: AbortSignal }): Promise<ExtractJob>
    /**
     * Polls until the job is complete (or failed), `interval` ms apart (default 5 000), up to
     * `timeout` ms (default 30 min); `onPoll` sees every status read that is not final.
     */
    waitFor(definitionId: string, jobId: string, options?: WaitForOptions): Promise<ExtractJob>
    download(job: ExtractJob, options?: { signal?: AbortSignal }): Promise<Binary>
  }
  /** List v4, List Item v4 and List Item Bulk v4 (`/list/v4`, page-number paging). */
  readonly listV4: ListV4Client
  /** Attendees v4 reads and writes and the Expense Configuration v4 reads that are no registry rows. */
  readonly expenseConfigV4: ExpenseConfigV4Client
  /** Request v4 (`/travelrequest/v4`): travel requests, workflow actions, expected expenses. */
  readonly requestV4: RequestV4Client
  /** Expense v4 (`/expensereports/v4`): reports, workflow, expenses, comments; `reports()` discovers through v3.0. */
  readonly expenseV4: ExpenseV4Client
  /** Cards v4 (`/cards/v4`): a user's card transactions (token paging) and the company bulk writes. */
  readonly cardsV4: CardsV4Client
  /** Itinerary v4 (`/travel/v4`, company tokens): trip ids (10 a page) and trip records. */
  readonly itineraryV4: ItineraryV4Client
  /** Localities v5 (`/localities/v5`): countries, subdivisions, admin regions, locations. */
  readonly localitiesV5: LocalitiesV5Client
  /** Receipts v4 (`/receipts`): e-receipts and image-only receipts of a user. */
  readonly receiptsV4: ReceiptsV4Client
  /** Spend Documents v4 (`/spend-documents/v4`): the receipt images of final-approved reports. */
  readonly spendDocumentsV4: SpendDocumentsV4Client
  /** Quick Expense v4 (`/quickexpense/v4`): a user's quick expenses (rate limited; 429s are waited out). */
  readonly quickExpenseV4: QuickExpenseV4Client
  /** Invoice: payment request digests and payment requests (v3.0), vendors (v3.1), invoice images. */
  readonly invoice: InvoiceClient
  /** Low-level: the authenticated transport (retries, refresh). */
  readonly transport: Transport
  /**
   * The deprecation notices received so far, one per retired endpoint (keyed by the endpoint the
   * `x-api-warn` header names). See `onDeprecation`.
   */
  readonly deprecations: ReadonlyMap<string, ReceivedDeprecation>
  /** Closes the client's own dispatcher. */
  close(): Promise<void>
}

/**
 * An extract `<job>` element, checked against the contract's `ExtractJob` (a job without its
 * URL, status link, start time or status is `CONCUR_INVALID_RESPONSE`), in the client's form.
 */
export function toExtractJob(raw: unknown, definitionId: string): ExtractJob {
  const job = validateItem(ExtractJobWire, raw, 'extract job')
  const stopTime = job['stop-time']
  const fileLink = job['file-link']
  return {
    id: job.id,
    definitionId,
    jobId: idFromUrl(job.id),
    status: job.status.trim(),
    statusLink: job['status-link'],
    startTime: job['start-time'],
    ...(stopTime ? { stopTime } : {}),
    ...(fileLink ? { fileLink } : {}),
  }
}

const xmlText = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const binary = (res: RawResponse): Binary => ({
  contentType: String(res.headers['content-type'] ?? 'application/octet-stream'),
  bytes: res.body,
})

/**
 * Creates the report client. Every resource of the registry is available by name
 * (`client.resource('expense-reports')`) and as a camelCase accessor (`client.expenseReports`).
 *
 * @example
 * const client = createConcurClient({ auth: tokenManager })
 * for await (const report of client.expenseReports.list({ user: 'ALL', daysBack: 30 })) console.log(report.ID)
 */
export function createConcurClient(options: ConcurClientOptions): ConcurClient {
  if (!options || typeof options !== 'object') invalidArgument('createConcurClient needs options')
  const concurrency = options.concurrency ?? 8
  if (!Number.isInteger(concurrency) || concurrency < 1) invalidArgument('concurrency must be an integer ≥ 1')
  const { transport, seen: deprecations } = observeDeprecations(
    createTransport({
      auth: options.auth,
      ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.http ? { http: options.http } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    }),
    options.onDeprecation,
  )
  const extra = new Map((options.resources ?? []).map((r) => [r.name, r]))
  const resolve = (name: ResourceName): ResourceDefinition => {
    const own = extra.get(name)
    if (own) return own
    try {
      return getResource(name)
    } catch (err) {
      throw new ConcurClientError(CLIENT_ERROR_CODES.INVALID_ARGUMENT, `unknown resource "${name}"`, {
        cause: err,
      })
    }
  }
  const all = [...new Map([...RESOURCES.map((r) => [r.name, r] as const), ...extra]).values()]
  const ctx = {
    transport,
    resolve,
    concurrency,
    clean: {
      ...(options.dropNulls !== undefined ? { dropNulls: options.dropNulls } : {}),
      ...(options.flattenCustomFields !== undefined
        ? { flattenCustomFields: options.flattenCustomFields }
        : {}),
    },
    ...(options.now ? { now: options.now } : {}),
    tokenKind: async () => tokenKind(await options.auth.getAccessToken()),
    tokenUser: async () => tokenUser(await options.auth.getAccessToken()),
  }
  const cache = new Map<ResourceName, ResourceClient>()
  function resource<N extends ResourceName>(name: N): ResourceClientOf<N>
  function resource(definition: ResourceDefinition): ResourceClient
  function resource(nameOrDefinition: ResourceName | ResourceDefinition): ResourceClient
  function resource(name: ResourceName | ResourceDefinition): ResourceClient {
    if (typeof name === 'object') return createResourceClient(name, ctx)
    let r = cache.get(name)
    if (!r) {
      r = createResourceClient(resolve(name), ctx)
      cache.set(name, r)
    }
    return r
  }

  const sig = (s?: AbortSignal) => (s ? { signal: s } : {})
  /** The related reads: the parent id is required; `user` joins the filter, the rest are list options. */
  const relatedArgs = (name: ResourceName, param: string, id: string, o: RelatedOptions) => {
    if (typeof id !== 'string' || id.trim() === '') invalidArgument(`${name}: ${param} is required`)
    const { user, ...listOptions } = o
    return { owner: user === undefined ? {} : { user }, listOptions }
  }
  const extractDef = () => resolve('extract-jobs')

  async function jobAt(url: string, definitionId: string, signal?: AbortSignal): Promise<ExtractJob> {
    const def = extractDef()
    return transport.send({ url, accept: 'application/xml', ...sig(signal) }, (res) =>
      toExtractJob(parseItem(def, res), definitionId),
    )
  }

  const jobs = () => resource('extract-jobs')
  const extractJobs: ConcurClient['extractJobs'] = {
    get definition() {
      return jobs().definition
    },
    list: (filter, options) => jobs().list(filter, options),
    pages: (filter, options) => jobs().pages(filter, options),
    get: (id, options) => jobs().get(id, options),
    async create(definitionId: string, opts: { signal?: AbortSignal } = {}): Promise<ExtractJob> {
      const def = extractDef()
      const defId = idFromUrl(definitionId)
      const base = await transport.baseUrl()
      // The body names the definition by its URL: the one given, else built on the base URL.
      const defUrl = /^https?:\/\//i.test(definitionId.trim())
        ? definitionId.trim()
        : `${base}${def.path.replace(/\{[^}]+\}\/job\/?$/, pathSegment(defId))}`
      const path = def.path.replace(/\{[^}]+\}/, pathSegment(defId))
      const body = `<definition xmlns="${def.xml?.namespace ?? ''}"><id>${xmlText(defUrl)}</id></definition>`
      return transport.send(
        {
          method: 'POST',
          url: path,
          body,
          contentType: 'application/xml',
          accept: 'application/xml',
          ...sig(opts.signal),
        },
        (res) => toExtractJob(parseItem(def, res), defId),
      )
    },
    async status(
      definitionId: string,
      jobId: string,
      opts: { signal?: AbortSignal } = {},
    ): Promise<ExtractJob> {
      const def = extractDef()
      const defId = idFromUrl(definitionId)
      const path = `${def.path.replace(/\{[^}]+\}/, pathSegment(defId))}/${pathSegment(idFromUrl(jobId))}/status`
      return jobAt(path, defId, opts.signal)
    },
    async waitFor(definitionId: string, jobId: string, opts: WaitForOptions = {}): Promise<ExtractJob> {
      const interval = opts.interval ?? 5000
      const timeout = opts.timeout ?? 30 * 60_000
      if (!Number.isFinite(interval) || interval < 0) invalidArgument('interval must be a number ≥ 0')
      if (!Number.isFinite(timeout) || timeout < 0) invalidArgument('timeout must be a number ≥ 0')
      const deadline = Date.now() + timeout
      for (;;) {
        const job = await extractJobs.status(definitionId, jobId, opts)
        if (/^complete/i.test(job.status) || /fail|error|cancel/i.test(job.status)) return job
        if (Date.now() > deadline)
          invalidArgument(`extract job ${job.jobId} still ${job.status} after ${timeout} ms`)
        await opts.onPoll?.(job)
        if (opts.signal?.aborted)
          throw new ConcurClientError(CLIENT_ERROR_CODES.ABORTED, 'the operation was aborted')
        await new Promise<void>((resolveWait, reject) => {
          const onAbort = () => {
            clearTimeout(t)
            reject(new ConcurClientError(CLIENT_ERROR_CODES.ABORTED, 'the operation was aborted'))
          }
          const t = setTimeout(() => {
            opts.signal?.removeEventListener('abort', onAbort)
            resolveWait()
          }, interval)
          opts.signal?.addEventListener('abort', onAbort, { once: true })
        })
      }
    },
    async download(job: ExtractJob, opts: { signal?: AbortSignal } = {}): Promise<Binary> {
      const def = extractDef()
      const link =
        job.fileLink ??
        `${def.path.replace(/\{[^}]+\}/, pathSegment(job.definitionId))}/${pathSegment(job.jobId)}/file`
      return transport.send(
        { url: link, accept: 'text/csv, application/zip, */*', ...sig(opts.signal) },
        binary,
      )
    },
  }

  const client = {
    resource,
    resources: all,
    transport,
    listV4: listV4Client(transport),
    expenseConfigV4: expenseConfigV4Client(transport),
    requestV4: requestV4Client(transport),
    expenseV4: expenseV4Client(transport, {
      listReports: (signal) =>
        resource('expense-reports').list({ user: 'ALL' }, signal ? { signal } : {}) as AsyncIterable<{
          ID: string
          OwnerLoginID?: string | null
        }>,
    }),
    cardsV4: cardsV4Client(transport),
    itineraryV4: itineraryV4Client(transport),
    localitiesV5: localitiesV5Client(transport),
    receiptsV4: receiptsV4Client(transport),
    spendDocumentsV4: spendDocumentsV4Client(transport),
    quickExpenseV4: quickExpenseV4Client(transport),
    invoice: invoiceClient(transport),
    deprecations,
    reportEntries(reportId: string, o: RelatedOptions = {}) {
      const { owner, listOptions } = relatedArgs('expense-entries', 'reportID', reportId, o)
      return resource('expense-entries').list({ reportID: reportId, ...owner }, listOptions)
    },
    entryItemizations(entryId: string, o: RelatedOptions = {}) {
      const { owner, listOptions } = relatedArgs('expense-itemizations', 'entryID', entryId, o)
      return resource('expense-itemizations').list({ entryID: entryId, ...owner }, listOptions)
    },
    entryAllocations(entryId: string, o: RelatedOptions = {}) {
      const { owner, listOptions } = relatedArgs('expense-allocations', 'entryID', entryId, o)
      return resource('expense-allocations').list({ entryID: entryId, ...owner }, listOptions)
    },
    async entryAttendees(entryId: string, o: RelatedOptions = {}) {
      const { owner, listOptions } = relatedArgs('entry-attendee-associations', 'entryID', entryId, o)
      const assoc = await resource('entry-attendee-associations')
        .list({ entryID: entryId, ...owner }, listOptions)
        .toArray()
      const attendees = resource('expense-attendees')
      return mapLimit(assoc, concurrency, async (a) => attendees.get(String(a.AttendeeID), sig(o.signal)))
    },
    async receiptImage(id: string, o: { signal?: AbortSignal } = {}): Promise<Binary> {
      const def = resolve('receipt-images')
      if (!def.itemPath) invalidArgument('receipt-images has no single-record endpoint')
      const path = def.itemPath.replace(/\{[^}]+\}/, pathSegment(id))
      const image = await transport.send(
        { url: path, accept: 'application/json', ...sig(o.signal) },
        (res) => {
          const ctype = String(res.headers['content-type'] ?? '')
          if (!/json|xml/i.test(ctype)) return { raw: res } as { raw: RawResponse }
          let doc: unknown
          try {
            doc = /xml/i.test(ctype)
              ? Object.values(parseXml(res.body))[0]
              : JSON.parse(res.body.toString('utf8'))
          } catch (cause) {
            throw new ConcurClientError(
              CLIENT_ERROR_CODES.INVALID_RESPONSE,
              `receipt image ${id}: the body is not ${/xml/i.test(ctype) ? 'XML' : 'JSON'}`,
              { cause },
            )
          }
          const url = validateItem(ReceiptImage, doc, `receipt image ${id}`).Url.trim()
          if (!url)
            throw new ConcurClientError(CLIENT_ERROR_CODES.INVALID_RESPONSE, `receipt image ${id} has no Url`)
          return { url }
        },
      )
      if ('raw' in image && image.raw) return binary(image.raw)
      if (!('url' in image) || !image.url) invalidArgument('no image URL')
      const base = new URL(await transport.baseUrl())
      const target = new URL(image.url, base)
      // The temporary URL carries its own credential; the bearer token only goes to Concur's host.
      return transport.send(
        { url: target.href, accept: '*/*', auth: target.origin === base.origin, ...sig(o.signal) },
        binary,
      )
    },
    extractJobs,
    close: () => transport.close(),
  }
  return withAccessors(client, resource)
}

/**
 * Adds the camelCase accessor of every registry resource the object does not define itself, each
 * a lazy getter (a name the registry lacks fails when used, not when the client is created).
 * `ResourceAccessors` maps the same names with `CamelCase`, and the client's tests read every
 * accessor, so the one assertion below states what the loop just did.
 */
function withAccessors<B extends object>(
  base: B,
  resource: (name: ResourceName) => ResourceClient,
): B & ResourceAccessors {
  for (const name of RESOURCE_NAMES) {
    const key = camel(name)
    if (key in base) continue
    Object.defineProperty(base, key, { get: () => resource(name), enumerable: true })
  }
  return base as B & ResourceAccessors
}
