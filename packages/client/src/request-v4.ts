import {
  REQUEST_V4_BASE,
  REQUEST_V4_MAX_LIMIT,
  RequestV4,
  RequestV4Action,
  RequestV4CashAdvance,
  RequestV4CashAdvanceLinks,
  type RequestV4Comment,
  RequestV4Comments,
  type RequestV4Create,
  type RequestV4Exception,
  RequestV4Exceptions,
  RequestV4ExpectedExpense,
  RequestV4ExpectedExpenses,
  type RequestV4ExpectedExpenseWrite,
  RequestV4Page,
  type RequestV4ResourceLink,
  type RequestV4SortField,
  type RequestV4SortOrder,
  type RequestV4Update,
  type RequestV4View,
} from '@concurkit/contract'
import type { z } from 'zod'
import { invalidArgument } from './errors.js'
import type { RawResponse, SendRequest, Transport } from './http.js'
import { parseJson, validateItem } from './parse.js'

/** Query of `GET /travelrequest/v4/requests` (dates: `yyyy-MM-dd` or `yyyy-MM-dd'T'HH:mm:ss'Z'`). */
export interface RequestV4Query {
  readonly view?: RequestV4View
  /** The user whose requests to list (required with a company token for `TOAPPROVE`). */
  readonly userId?: string
  /** Page size, 1–100 (Concur's default 10). */
  readonly limit?: number
  readonly start?: number
  readonly modifiedAfter?: string
  readonly modifiedBefore?: string
  readonly approvedAfter?: string
  readonly approvedBefore?: string
  readonly sortField?: RequestV4SortField
  readonly sortOrder?: RequestV4SortOrder
}

/** Options of one Request v4 call: the acting user (required with a company token on writes) and a signal. */
export interface RequestV4CallOptions {
  readonly userId?: string
  readonly signal?: AbortSignal
}

/**
 * Request v4 (`/travelrequest/v4`): travel requests, their workflow, comments, cash advances,
 * exceptions and expected expenses. With a company token every write names the acting user
 * (`userId`); approve and sendback are taken by the request's approver.
 *
 * @example
 * const r = await client.requestV4.create({ name: 'Lyon', startDate: '2026-07-01', endDate: '2026-07-03' }, { userId })
 * await client.requestV4.submit(r.id, { userId })
 * await client.requestV4.approve(r.id, { userId: r.approver!.id! })
 * for await (const req of client.requestV4.list({ view: 'APPROVED', userId })) console.log(req.requestId)
 */
export interface RequestV4Client {
  /** Every request of the query, page after page (following the `operations` `next` link). */
  list(query?: RequestV4Query, options?: { signal?: AbortSignal }): AsyncIterable<RequestV4>
  /** The pages of the query (`{data, operations}`), one at a time. */
  pages(query?: RequestV4Query, options?: { signal?: AbortSignal }): AsyncIterable<RequestV4Page>
  get(requestUuid: string, options?: RequestV4CallOptions): Promise<RequestV4>
  create(body: RequestV4Create, options?: RequestV4CallOptions): Promise<RequestV4>
  update(requestUuid: string, body: RequestV4Update, options?: RequestV4CallOptions): Promise<RequestV4>
  delete(requestUuid: string, options?: RequestV4CallOptions): Promise<void>
  /** Any workflow action; the shorthands below call it. */
  action(
    requestUuid: string,
    action: RequestV4Action,
    options?: RequestV4CallOptions & { comment?: string },
  ): Promise<RequestV4>
  submit(requestUuid: string, options?: RequestV4CallOptions): Promise<RequestV4>
  recall(requestUuid: string, options?: RequestV4CallOptions): Promise<RequestV4>
  cancel(requestUuid: string, options?: RequestV4CallOptions): Promise<RequestV4>
  close(requestUuid: string, options?: RequestV4CallOptions): Promise<RequestV4>
  reopen(requestUuid: string, options?: RequestV4CallOptions): Promise<RequestV4>
  approve(requestUuid: string, options?: RequestV4CallOptions & { comment?: string }): Promise<RequestV4>
  sendBack(requestUuid: string, options?: RequestV4CallOptions & { comment?: string }): Promise<RequestV4>
  comments(requestUuid: string, options?: RequestV4CallOptions): Promise<RequestV4Comment[]>
  /** Links to the request's cash advances (read each with `cashAdvance`). */
  cashAdvances(requestUuid: string, options?: RequestV4CallOptions): Promise<RequestV4ResourceLink[]>
  cashAdvance(cashAdvanceUuid: string, options?: RequestV4CallOptions): Promise<RequestV4CashAdvance>
  exceptions(requestUuid: string, options?: RequestV4CallOptions): Promise<RequestV4Exception[]>
  expenses(requestUuid: string, options?: RequestV4CallOptions): Promise<RequestV4ExpectedExpense[]>
  expense(expenseUuid: string, options?: RequestV4CallOptions): Promise<RequestV4ExpectedExpense>
  createExpense(
    requestUuid: string,
    body: RequestV4ExpectedExpenseWrite,
    options?: RequestV4CallOptions,
  ): Promise<RequestV4ExpectedExpense>
  updateExpense(
    expenseUuid: string,
    body: RequestV4ExpectedExpenseWrite,
    options?: RequestV4CallOptions,
  ): Promise<RequestV4ExpectedExpense>
  deleteExpense(expenseUuid: string, options?: RequestV4CallOptions): Promise<void>
}

const seg = (s: string) => {
  if (typeof s !== 'string' || s === '') invalidArgument('a Request v4 id must be a non-empty string')
  return encodeURIComponent(s)
}

function listQuery(q: RequestV4Query): Record<string, string | undefined> {
  if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > REQUEST_V4_MAX_LIMIT))
    invalidArgument(`limit must be an integer from 1 to ${REQUEST_V4_MAX_LIMIT}`)
  if (q.start !== undefined && (!Number.isInteger(q.start) || q.start < 0))
    invalidArgument('start must be a non-negative integer')
  const out: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(q)) if (v !== undefined) out[k] = String(v)
  return out
}

/**
 * The Request v4 accessor over a client's transport.
 *
 * @example
 * const requests = requestV4Client(client.transport)
 */
export function requestV4Client(transport: Transport): RequestV4Client {
  const json =
    <T>(schema: z.ZodType<T>, where: string) =>
    (res: RawResponse) =>
      validateItem(schema, parseJson(res.body), where)
  const call = <T>(
    method: SendRequest['method'],
    path: string,
    schema: z.ZodType<T>,
    where: string,
    o: RequestV4CallOptions,
    body?: unknown,
  ): Promise<T> =>
    transport.send(
      {
        method,
        url: `${REQUEST_V4_BASE}${path}`,
        ...(o.userId === undefined ? {} : { query: { userId: o.userId } }),
        accept: 'application/json',
        ...(body === undefined ? {} : { contentType: 'application/json', body: JSON.stringify(body) }),
        ...(o.signal ? { signal: o.signal } : {}),
      },
      json(schema, where),
    )
  const remove = async (path: string, o: RequestV4CallOptions) => {
    await transport.send(
      {
        method: 'DELETE',
        url: `${REQUEST_V4_BASE}${path}`,
        ...(o.userId === undefined ? {} : { query: { userId: o.userId } }),
        ...(o.signal ? { signal: o.signal } : {}),
      },
      () => undefined,
    )
  }
  async function* pages(query: RequestV4Query = {}, o: { signal?: AbortSignal } = {}) {
    let req: SendRequest | undefined = {
      url: `${REQUEST_V4_BASE}/requests`,
      query: listQuery(query),
      accept: 'application/json',
      ...(o.signal ? { signal: o.signal } : {}),
    }
    const seen = new Set<string>()
    while (req) {
      const page: RequestV4Page = await transport.send(req, json(RequestV4Page, 'request page'))
      yield page
      const next = page.operations.find((l) => l.rel === 'next')?.href
      if (!next || page.data.length === 0 || seen.has(next)) return
      seen.add(next)
      req = { url: next, accept: 'application/json', ...(o.signal ? { signal: o.signal } : {}) }
    }
  }
  const action = (
    id: string,
    name: RequestV4Action,
    o: RequestV4CallOptions & { comment?: string } = {},
  ): Promise<RequestV4> => {
    if (!RequestV4Action.safeParse(name).success)
      invalidArgument(`action must be one of ${RequestV4Action.options.join(', ')}`)
    return call('POST', `/requests/${seg(id)}/${name}`, RequestV4, 'request', o, {
      ...(o.comment === undefined ? {} : { comment: o.comment }),
    })
  }
  return {
    pages,
    async *list(query = {}, o = {}) {
      for await (const page of pages(query, o)) yield* page.data
    },
    get: (id, o = {}) => call('GET', `/requests/${seg(id)}`, RequestV4, 'request', o),
    create: (body, o = {}) => call('POST', '/requests', RequestV4, 'request', o, body),
    update: (id, body, o = {}) => call('PUT', `/requests/${seg(id)}`, RequestV4, 'request', o, body),
    delete: (id, o = {}) => remove(`/requests/${seg(id)}`, o),
    action,
    submit: (id, o) => action(id, 'submit', o),
    recall: (id, o) => action(id, 'recall', o),
    cancel: (id, o) => action(id, 'cancel', o),
    close: (id, o) => action(id, 'close', o),
    reopen: (id, o) => action(id, 'reopen', o),
    approve: (id, o) => action(id, 'approve', o),
    sendBack: (id, o) => action(id, 'sendback', o),
    comments: (id, o = {}) => call('GET', `/requests/${seg(id)}/comments`, RequestV4Comments, 'comments', o),
    cashAdvances: (id, o = {}) =>
      call('GET', `/requests/${seg(id)}/cashadvances`, RequestV4CashAdvanceLinks, 'cash advances', o),
    cashAdvance: (id, o = {}) =>
      call('GET', `/cashadvances/${seg(id)}`, RequestV4CashAdvance, 'cash advance', o),
    exceptions: (id, o = {}) =>
      call('GET', `/requests/${seg(id)}/exceptions`, RequestV4Exceptions, 'exceptions', o),
    expenses: (id, o = {}) =>
      call('GET', `/requests/${seg(id)}/expenses`, RequestV4ExpectedExpenses, 'expected expenses', o),
    expense: (id, o = {}) =>
      call('GET', `/expenses/${seg(id)}`, RequestV4ExpectedExpense, 'expected expense', o),
    createExpense: (id, body, o = {}) =>
      call('POST', `/requests/${seg(id)}/expenses`, RequestV4ExpectedExpense, 'expected expense', o, body),
    updateExpense: (id, body, o = {}) =>
      call('PUT', `/expenses/${seg(id)}`, RequestV4ExpectedExpense, 'expected expense', o, body),
    deleteExpense: (id, o = {}) => remove(`/expenses/${seg(id)}`, o),
  }
}
