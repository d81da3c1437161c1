import {
  AttendeesV4Page,
  type AttendeeV4,
  AttendeeV4Create,
  AttendeeV4Created,
  AttendeeV4Update,
  EXPENSE_CONFIG_V4_BASE,
  ExpenseConfigV4ExpenseType,
  ExpenseConfigV4Group,
  ExpenseConfigV4GroupConfig,
} from '@concurkit/contract'
import { z } from 'zod'
import { invalidArgument } from './errors.js'
import type { RawResponse, SendRequest, Transport } from './http.js'
import { parseJson, validateItem } from './parse.js'

type Opts = { readonly signal?: AbortSignal }
type OwnerOpts = Opts & {
  /** The owner (UUID). Required with a company token on create; another user's needs an administrator. */
  readonly userId?: string
}

/**
 * Attendees v4 reads and writes and the Expense Configuration v4 reads that are not registry rows
 * (the rows — `attendees-v4`, `attendee-types-v4`, `expense-config-v4-*` — are walked with
 * `client.resource(name)`). Bodies are checked against the contract before anything is sent.
 *
 * @example
 * const { id } = await client.expenseConfigV4.createAttendee({ attendeeTypeCode: 'BUSGUEST', lastName: 'Tree' })
 * await client.expenseConfigV4.updateAttendee(id, { lastName: 'Timber' })
 * const config = await client.expenseConfigV4.groupConfig(userId)
 */
export interface ExpenseConfigV4Client {
  /** `GET /v4/attendees/{id}`, unwrapped from its `{"items":[one]}` envelope. */
  attendee(id: string, options?: OwnerOpts): Promise<AttendeeV4>
  /** `GET /v4/attendees?id=a,b`: the attendees of those ids the caller may read. */
  attendeesByIds(ids: readonly string[], options?: Opts): Promise<AttendeeV4[]>
  /** `POST /v4/attendees` (answers `{id, uri}`). */
  createAttendee(body: AttendeeV4Create, options?: OwnerOpts): Promise<AttendeeV4Created>
  /** `PUT /v4/attendees/{id}`: only the supplied fields change. */
  updateAttendee(id: string, body: AttendeeV4Update, options?: OwnerOpts): Promise<void>
  /** `GET /expenseconfig/v4/users/{userId}/groupconfigs`. */
  groupConfig(userId: string, options?: Opts): Promise<ExpenseConfigV4GroupConfig>
  /** `GET /expenseconfig/v4/users/{userId}/policies/{policyId}/expensetypes`. */
  expenseTypes(userId: string, policyId: string, options?: Opts): Promise<ExpenseConfigV4ExpenseType[]>
  /** `GET /expenseconfig/v4/companies/{companyId}/groupconfigs`. */
  companyGroups(companyId: string, options?: Opts): Promise<ExpenseConfigV4Group[]>
  /** `GET /expenseconfig/v4/companies/{companyId}/groupconfigs/{hierarchyNodeId}`. */
  companyGroup(
    companyId: string,
    hierarchyNodeId: string,
    options?: Opts,
  ): Promise<ExpenseConfigV4GroupConfig>
}

const seg = (s: string, what: string) => {
  if (typeof s !== 'string' || s === '') invalidArgument(`${what} must be a non-empty string`)
  return encodeURIComponent(s)
}

function checked<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(body)
  if (!r.success) invalidArgument(`${what}: ${z.prettifyError(r.error).split('\n').join(' ')}`)
  return r.data
}

/** The Expense Configuration v4 / Attendees v4 accessor over a client's transport. */
export function expenseConfigV4Client(transport: Transport): ExpenseConfigV4Client {
  const sig = (s?: AbortSignal) => (s ? { signal: s } : {})
  const owner = (o: OwnerOpts) => (o.userId ? { query: { userId: o.userId } } : {})
  const read = <T>(req: SendRequest, schema: z.ZodType<T>, where: string) =>
    transport.send(req, (res: RawResponse) => validateItem(schema, parseJson(res.body), where))
  const get = (url: string, o: Opts, extra: Partial<SendRequest> = {}): SendRequest => ({
    url,
    accept: 'application/json',
    ...sig(o.signal),
    ...extra,
  })
  const items = (page: AttendeesV4Page) => page.items ?? page.Items ?? []
  return {
    attendee: async (id, o = {}) => {
      const page = await read(
        get(`/v4/attendees/${seg(id, 'an attendee id')}`, o, owner(o)),
        AttendeesV4Page,
        'attendee',
      )
      const one = items(page)[0]
      if (!one) invalidArgument(`attendee ${id}: the answer holds no attendee`)
      return one
    },
    attendeesByIds: async (ids, o = {}) => {
      if (ids.length === 0) return []
      for (const id of ids) seg(id, 'an attendee id')
      return items(
        await read(get('/v4/attendees', o, { query: { id: ids.join(',') } }), AttendeesV4Page, 'attendees'),
      )
    },
    createAttendee: async (body, o = {}) =>
      read(
        {
          method: 'POST',
          url: '/v4/attendees',
          accept: 'application/json',
          contentType: 'application/json',
          body: JSON.stringify(checked(AttendeeV4Create, body, 'attendee')),
          ...owner(o),
          ...sig(o.signal),
        },
        AttendeeV4Created,
        'created attendee',
      ),
    updateAttendee: async (id, body, o = {}) => {
      await transport.send(
        {
          method: 'PUT',
          url: `/v4/attendees/${seg(id, 'an attendee id')}`,
          contentType: 'application/json',
          body: JSON.stringify(checked(AttendeeV4Update, body, 'attendee')),
          ...owner(o),
          ...sig(o.signal),
        },
        () => undefined,
      )
    },
    groupConfig: (userId, o = {}) =>
      read(
        get(`${EXPENSE_CONFIG_V4_BASE}/users/${seg(userId, 'a user id')}/groupconfigs`, o),
        ExpenseConfigV4GroupConfig,
        'group config',
      ),
    expenseTypes: (userId, policyId, o = {}) =>
      read(
        get(
          `${EXPENSE_CONFIG_V4_BASE}/users/${seg(userId, 'a user id')}/policies/${seg(policyId, 'a policy id')}/expensetypes`,
          o,
        ),
        z.array(ExpenseConfigV4ExpenseType),
        'expense types',
      ),
    companyGroups: (companyId, o = {}) =>
      read(
        get(`${EXPENSE_CONFIG_V4_BASE}/companies/${seg(companyId, 'a company id')}/groupconfigs`, o),
        z.array(ExpenseConfigV4Group),
        'groups',
      ),
    companyGroup: (companyId, node, o = {}) =>
      read(
        get(
          `${EXPENSE_CONFIG_V4_BASE}/companies/${seg(companyId, 'a company id')}/groupconfigs/${seg(node, 'a hierarchyNodeId')}`,
          o,
        ),
        ExpenseConfigV4GroupConfig,
        'group config',
      ),
  }
}
