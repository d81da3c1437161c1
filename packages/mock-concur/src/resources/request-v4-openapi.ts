import {
  RequestV4,
  RequestV4ActionBody,
  RequestV4CashAdvance,
  RequestV4CashAdvanceLinks,
  RequestV4Comments,
  RequestV4Create,
  RequestV4Error,
  RequestV4Exceptions,
  RequestV4ExpectedExpense,
  RequestV4ExpectedExpenses,
  RequestV4ExpectedExpenseWrite,
  RequestV4Page,
  RequestV4Policies,
  RequestV4TravelAgency,
  RequestV4Update,
} from '@concurkit/contract'
import type { z } from 'zod'
import { componentRef } from '../openapi/family-schemas.js'

type Json = Record<string, unknown>

/** The Request v4 schemas, by OpenAPI component name (registered by the document, referenced here). */
export const REQUEST_V4_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  RequestV4,
  RequestV4Page,
  RequestV4Create,
  RequestV4Update,
  RequestV4ActionBody,
  RequestV4Comments,
  RequestV4CashAdvanceLinks,
  RequestV4CashAdvance,
  RequestV4Exceptions,
  RequestV4ExpectedExpense,
  RequestV4ExpectedExpenses,
  RequestV4ExpectedExpenseWrite,
  RequestV4Policies,
  RequestV4TravelAgency,
  RequestV4Error,
}

const ref = componentRef(REQUEST_V4_SCHEMAS, 'Request v4')

/** The Request v4 paths for the OpenAPI document (concur-api-v4 §7), with the contract's `RequestV4*` schemas. */
export function requestV4Paths(): Record<string, Record<string, Json>> {
  const json = (s: z.ZodType, description: string) => ({
    description,
    content: { 'application/json': { schema: ref(s) } },
  })
  const body = (s: z.ZodType, required = true) => ({
    required,
    content: { 'application/json': { schema: ref(s) } },
  })
  const error = json(RequestV4Error, 'Request v4 error body ({errors:[{errorCode, errorMessage}]}).')
  const errors = { '400': error, '401': error, '403': error, '404': error }
  const param = (name: string, where: 'path' | 'query', description?: string) => ({
    name,
    in: where,
    required: where === 'path',
    schema: { type: 'string' },
    ...(description ? { description } : {}),
  })
  const userId = param(
    'userId',
    'query',
    'The acting user (UUID). Required with a company token on writes; on reads, absent = the system user.',
  )
  const yes = {
    description: 'Deleted.',
    content: { 'application/json': { schema: { type: 'boolean', const: true } } },
  }
  const o = (id: string, summary: string, rest: Json) => ({
    operationId: `requestV4.${id}`,
    summary,
    tags: ['Request v4'],
    security: [{ concurOAuth: ['travelrequest.write'] }, { bearer: [] }],
    ...rest,
  })
  const requestUuid = param('requestUuid', 'path')
  const expenseUuid = param('expenseUuid', 'path')
  return {
    '/travelrequest/v4/requests': {
      get: o('getRequests', 'Travel requests (start/limit paging, operations links)', {
        parameters: [
          param(
            'view',
            'query',
            'ALL (default), ACTIVE, ACTIVEAPPROVED, UNSUBMITTED, PENDING, VALIDATED, APPROVED, CANCELED, CLOSED, SUBMITTED, TOAPPROVE, PENDINGEBOOKING, …',
          ),
          userId,
          { name: 'start', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 10 } },
          param('modifiedAfter', 'query', "yyyy-MM-dd'T'HH:mm:ss'Z' or yyyy-MM-dd (inclusive)"),
          param('modifiedBefore', 'query', 'exclusive'),
          param('approvedAfter', 'query', 'inclusive'),
          param('approvedBefore', 'query', 'exclusive'),
          param('sortField', 'query', 'startDate (default) | approvalStatus | requestId'),
          param('sortOrder', 'query', 'ASC | DESC (default)'),
        ],
        responses: { '200': json(RequestV4Page, 'A page of requests.'), ...errors },
      }),
      post: o('createRequest', 'Create a request (no id: 400 idNotAllowed)', {
        parameters: [userId],
        requestBody: body(RequestV4Create),
        responses: { '201': json(RequestV4, 'The new request.'), ...errors },
      }),
    },
    '/travelrequest/v4/requests/{requestUuid}': {
      get: o('getRequest', 'One request, with the caller’s workflow actions in operations', {
        parameters: [requestUuid, userId],
        responses: { '200': json(RequestV4, 'The request.'), ...errors },
      }),
      put: o('updateRequest', 'Update a request (not submitted or sent back)', {
        parameters: [requestUuid, userId],
        requestBody: body(RequestV4Update),
        responses: { '200': json(RequestV4, 'The request.'), ...errors, '409': error },
      }),
      delete: o('deleteRequest', 'Delete a request that was never submitted', {
        parameters: [requestUuid, userId],
        responses: { '200': yes, ...errors, '409': error },
      }),
    },
    '/travelrequest/v4/requests/{requestUuid}/{action}': {
      post: o(
        'workflowAction',
        'submit, recall, cancel, close, reopen (owner); approve, sendback (approver)',
        {
          parameters: [requestUuid, param('action', 'path'), userId],
          requestBody: body(RequestV4ActionBody, false),
          responses: { '200': json(RequestV4, 'The request after the action.'), ...errors, '409': error },
        },
      ),
    },
    '/travelrequest/v4/requests/{requestUuid}/comments': {
      get: o('getRequestComments', 'Comments, newest first', {
        parameters: [requestUuid, userId],
        responses: { '200': json(RequestV4Comments, 'The comments.'), ...errors },
      }),
    },
    '/travelrequest/v4/requests/{requestUuid}/cashadvances': {
      get: o('getRequestCashAdvances', 'Links to the cash advances', {
        parameters: [requestUuid, userId],
        responses: { '200': json(RequestV4CashAdvanceLinks, 'The cash advance links.'), ...errors },
      }),
    },
    '/travelrequest/v4/requests/{requestUuid}/exceptions': {
      get: o('getRequestExceptions', 'Exceptions', {
        parameters: [requestUuid, userId],
        responses: { '200': json(RequestV4Exceptions, 'The exceptions.'), ...errors },
      }),
    },
    '/travelrequest/v4/requests/{requestUuid}/expenses': {
      get: o('getExpectedExpenses', 'Expected expenses of a request', {
        parameters: [requestUuid, userId],
        responses: { '200': json(RequestV4ExpectedExpenses, 'The expected expenses.'), ...errors },
      }),
      post: o('createExpectedExpense', 'Add an expected expense', {
        parameters: [requestUuid, userId],
        requestBody: body(RequestV4ExpectedExpenseWrite),
        responses: {
          '201': json(RequestV4ExpectedExpense, 'The new expected expense.'),
          ...errors,
          '409': error,
        },
      }),
    },
    '/travelrequest/v4/expenses/{expenseUuid}': {
      get: o('getExpectedExpense', 'One expected expense', {
        parameters: [expenseUuid, userId],
        responses: { '200': json(RequestV4ExpectedExpense, 'The expected expense.'), ...errors },
      }),
      put: o('updateExpectedExpense', 'Update an expected expense', {
        parameters: [expenseUuid, userId],
        requestBody: body(RequestV4ExpectedExpenseWrite),
        responses: {
          '200': json(RequestV4ExpectedExpense, 'The expected expense.'),
          ...errors,
          '409': error,
        },
      }),
      delete: o('deleteExpectedExpense', 'Delete an expected expense', {
        parameters: [expenseUuid, userId],
        responses: { '200': yes, ...errors, '409': error },
      }),
    },
    '/travelrequest/v4/expenses/{expenseUuid}/comments': {
      get: o('getExpectedExpenseComments', 'Comments of an expected expense', {
        parameters: [expenseUuid, userId],
        responses: { '200': json(RequestV4Comments, 'The comments.'), ...errors },
      }),
    },
    '/travelrequest/v4/userpolicies': {
      get: o('getUserPolicies', 'The request policies a user may use', {
        parameters: [userId],
        responses: { '200': json(RequestV4Policies, 'The policies.'), ...errors },
      }),
    },
    '/travelrequest/v4/travelagencies/{agencyUuid}': {
      get: o('getTravelAgency', 'A travel agency office a request names', {
        parameters: [param('agencyUuid', 'path')],
        responses: { '200': json(RequestV4TravelAgency, 'The travel agency.'), ...errors },
      }),
    },
    '/travelrequest/v4/cashadvances/{cashAdvanceUuid}': {
      get: o('getCashAdvance', 'One cash advance', {
        parameters: [param('cashAdvanceUuid', 'path'), userId],
        responses: { '200': json(RequestV4CashAdvance, 'The cash advance.'), ...errors },
      }),
    },
  }
}
