import {
  AttendeesV4Error,
  AttendeesV4Page,
  AttendeeTypeV4,
  AttendeeV4,
  AttendeeV4Create,
  AttendeeV4Created,
  AttendeeV4Update,
  EXPENSE_CONFIG_V4_SCOPES,
  ExpenseConfigV4AttendeeType,
  ExpenseConfigV4Error,
  ExpenseConfigV4ExpenseType,
  ExpenseConfigV4Group,
  ExpenseConfigV4GroupConfig,
  ExpenseConfigV4PaymentType,
  ExpenseConfigV4Policy,
} from '@concurkit/contract'
import type { z } from 'zod'
import { componentRef } from '../openapi/family-schemas.js'

type Json = Record<string, unknown>

/** The Expense Configuration v4, Attendees v4 and Attendee Types v4 schemas, by OpenAPI component name. */
export const EXPENSE_CONFIG_V4_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  ExpenseConfigV4Policy,
  ExpenseConfigV4ExpenseType,
  ExpenseConfigV4PaymentType,
  ExpenseConfigV4AttendeeType,
  ExpenseConfigV4Group,
  ExpenseConfigV4GroupConfig,
  ExpenseConfigV4Error,
  AttendeeV4,
  AttendeesV4Page,
  AttendeeV4Create,
  AttendeeV4Update,
  AttendeeV4Created,
  AttendeesV4Error,
  AttendeeTypeV4,
}

const ref = componentRef(EXPENSE_CONFIG_V4_SCHEMAS, 'Expense Configuration v4')
const json = (s: z.ZodType, description: string, array = false) => ({
  description,
  content: { 'application/json': { schema: array ? { type: 'array', items: ref(s) } : ref(s) } },
})
const param = (name: string, where: 'path' | 'query', description: string, type = 'string') => ({
  name,
  in: where,
  required: where === 'path',
  schema: { type },
  description,
})

/**
 * The OpenAPI paths of Expense Configuration v4, Attendees v4 and Attendee Types v4
 * (concur-api-v4 §4.1–4.3), with the contract's schemas.
 */
export function expenseConfigV4Paths(): Record<string, Record<string, Json>> {
  const sec = (scope: string) => [{ concurOAuth: [scope] }, { bearer: [] }]
  const cErr = json(ExpenseConfigV4Error, 'Expense v4 ErrorMessage (without customResponseData).')
  const cErrors = { '400': cErr, '401': cErr, '403': cErr, '404': cErr }
  const aErr = json(AttendeesV4Error, 'Attendees v4 ErrorMessage (validationErrors on 400).')
  const aErrors = { '400': aErr, '401': aErr, '403': aErr, '404': aErr }
  const cfg = (id: string, summary: string, scope: string, rest: Json) => ({
    operationId: `expenseConfigV4.${id}`,
    summary,
    tags: ['Expense Configuration v4'],
    security: sec(scope),
    ...rest,
  })
  const att = (id: string, summary: string, scope: string, rest: Json) => ({
    operationId: `attendeesV4.${id}`,
    summary,
    tags: ['Expense Configuration v4'],
    security: sec(scope),
    ...rest,
  })
  const userId = param('userId', 'path', 'UUID of the user (with a user token: its own sub)')
  const companyId = param('companyId', 'path', "UUID of the token's company")
  const base = '/expenseconfig/v4'
  const S = EXPENSE_CONFIG_V4_SCOPES
  const groupsOp = (id: string) =>
    cfg(id, 'The groups of the company', S.groups, {
      parameters: [companyId],
      responses: { '200': json(ExpenseConfigV4Group, 'The groups.', true), ...cErrors },
    })
  const groupOp = (id: string) =>
    cfg(id, 'One group with its policies, payment types and attendee types', S.groups, {
      parameters: [companyId, param('hierarchyNodeId', 'path', 'The group')],
      responses: { '200': json(ExpenseConfigV4GroupConfig, 'The group config.'), ...cErrors },
    })
  return {
    [`${base}/users/{userId}/policies`]: {
      get: cfg('policies', "The user's expense policies", S.policies, {
        parameters: [userId],
        responses: { '200': json(ExpenseConfigV4Policy, 'The policies.', true), ...cErrors },
      }),
    },
    [`${base}/users/{userId}/policies/{policyId}/expensetypes`]: {
      get: cfg('expenseTypes', 'The expense types of a policy', S.expenseTypes, {
        parameters: [userId, param('policyId', 'path', 'The policy')],
        responses: { '200': json(ExpenseConfigV4ExpenseType, 'The expense types.', true), ...cErrors },
      }),
    },
    [`${base}/users/{userId}/paymenttypes`]: {
      get: cfg('paymentTypes', "The user's payment types", S.paymentTypes, {
        parameters: [userId],
        responses: { '200': json(ExpenseConfigV4PaymentType, 'The payment types.', true), ...cErrors },
      }),
    },
    [`${base}/users/{userId}/attendeetypes`]: {
      get: cfg('attendeeTypes', "The user's attendee types", S.attendeeTypes, {
        parameters: [userId],
        responses: { '200': json(ExpenseConfigV4AttendeeType, 'The attendee types.', true), ...cErrors },
      }),
    },
    [`${base}/users/{userId}/groupconfigs`]: {
      get: cfg('userGroupConfig', "The user's group config", S.groups, {
        parameters: [userId],
        responses: { '200': json(ExpenseConfigV4GroupConfig, 'The group config.'), ...cErrors },
      }),
    },
    [`${base}/companies/{companyId}/groupconfigs`]: { get: groupsOp('companyGroups') },
    [`${base}/companies/{companyId}/groupconfigs/{hierarchyNodeId}`]: { get: groupOp('companyGroup') },
    [`${base}/company/{companyId}/groupconfigs`]: { get: groupsOp('companyGroupsSingular') },
    [`${base}/company/{companyId}/groupconfigs/{hierarchyNodeId}`]: { get: groupOp('companyGroupSingular') },
    '/v4/attendees': {
      get: att('list', 'Attendees (25 a page, at most 100; nextPage)', 'attendee.read', {
        parameters: [
          param('attendeeTypeCode', 'query', 'Attendees of one type'),
          param('externalId', 'query', 'Up to 10 external ids, comma-separated'),
          param('id', 'query', 'Attendee ids, comma-separated'),
          param('userId', 'query', 'The owner (another user: administrators only)'),
          param('offset', 'query', 'Page offset, from nextPage'),
          param('limit', 'query', 'Page size, 1..100 (default 25)', 'integer'),
        ],
        responses: { '200': json(AttendeesV4Page, 'A page of attendees.'), ...aErrors },
      }),
      post: att('create', 'Create an attendee (answers 200 {id, uri})', 'attendee.write', {
        parameters: [param('userId', 'query', 'The owner (required with a company token)')],
        requestBody: { required: true, content: { 'application/json': { schema: ref(AttendeeV4Create) } } },
        responses: { '200': json(AttendeeV4Created, 'The new attendee.'), ...aErrors },
      }),
    },
    '/v4/attendees/{id}': {
      get: att('get', 'One attendee, as {"items":[one]}', 'attendee.read', {
        parameters: [param('id', 'path', 'The attendee'), param('userId', 'query', 'The owner')],
        responses: { '200': json(AttendeesV4Page, 'The attendee.'), ...aErrors },
      }),
      put: att('update', 'Update the supplied fields of an attendee', 'attendee.write', {
        parameters: [param('id', 'path', 'The attendee'), param('userId', 'query', 'The owner')],
        requestBody: { required: true, content: { 'application/json': { schema: ref(AttendeeV4Update) } } },
        responses: { '204': { description: 'Updated.' }, ...aErrors },
      }),
    },
    '/v4/attendeetypes': {
      get: att('types', 'Every attendee type (company tokens only)', 'attendee.admin.read', {
        parameters: [],
        responses: { '200': json(AttendeeTypeV4, 'The attendee types.', true), ...aErrors },
      }),
    },
  }
}
