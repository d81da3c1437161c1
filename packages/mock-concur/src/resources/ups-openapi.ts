import {
  IdentityError,
  UpsBulkRequest,
  UpsProvisionStatus,
  UpsUserResponse,
  UpsUserWrite,
} from '@concurkit/contract'
import { ref } from '../openapi/components.js'
import { type Json, scimSchemaOf } from '../openapi/family-schemas.js'

const schema = scimSchemaOf

/**
 * The User Provisioning v4 paths for the OpenAPI document (reference §2): company tokens only, SCIM
 * error body (the reference types UPS errors only as `object`; the mock answers Identity's).
 */
export function upsPaths(): {
  paths: Record<string, Record<string, Json>>
  components: Record<string, Json>
} {
  const components: Record<string, Json> = {
    UpsUserWrite: schema(UpsUserWrite, 'input'),
    UpsUserResponse: schema(UpsUserResponse),
    UpsBulkRequest: schema(UpsBulkRequest, 'input'),
    UpsProvisionStatus: schema(UpsProvisionStatus),
  }
  components.UpsError = schema(IdentityError)
  const tags = ['User Provisioning v4']
  const security = [{ bearer: [] }]
  const json = (name: string, description: string) => ({
    description,
    content: { 'application/json': { schema: ref(name) } },
  })
  const error = json('UpsError', 'SCIM error (status, scimType, detail, Concur messages).')
  const errors = { '400': error, '401': error, '403': error, '404': error }
  const body = (name: string) => ({ required: true, content: { 'application/json': { schema: ref(name) } } })
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }
  const userAnswer = (status: string) => ({
    [status]: json('UpsUserResponse', 'The User with meta.provisionId and meta.statusUrl.'),
    ...errors,
    '409': { ...error, description: 'userName or employeeNumber already in use.' },
  })
  const q = (name: string, description: string, type = 'string') => ({
    name,
    in: 'query',
    required: false,
    description,
    schema: { type },
  })
  return {
    components,
    paths: {
      '/profile/v4/Users': {
        post: {
          operationId: 'ups.createUser',
          summary: 'Provision a user (identity now; spend/travel extensions asynchronously)',
          tags,
          security,
          requestBody: body('UpsUserWrite'),
          responses: userAnswer('201'),
        },
      },
      '/profile/v4/Users/{id}': {
        put: {
          operationId: 'ups.replaceUser',
          summary: 'Replace a user (full replace)',
          tags,
          security,
          parameters: [id],
          requestBody: body('UpsUserWrite'),
          responses: userAnswer('200'),
        },
        patch: {
          operationId: 'ups.patchUser',
          summary: 'SCIM PatchOp, extensions included',
          tags,
          security,
          parameters: [id],
          requestBody: body('ScimPatchOp'),
          responses: userAnswer('200'),
        },
        delete: {
          operationId: 'ups.deleteUser',
          summary: 'Hard delete (users without transaction history only)',
          tags,
          security,
          parameters: [id],
          responses: { '204': { description: 'Deleted.' }, ...errors, '409': error },
        },
      },
      '/profile/v4/Bulk': {
        post: {
          operationId: 'ups.bulk',
          summary: '1–100 operations (≤ 400 KB), run in order; failOnErrors stops the rest',
          tags,
          security,
          parameters: [q('companyId', 'Must be the token company when given')],
          requestBody: body('UpsBulkRequest'),
          responses: {
            '202': json('UpsProvisionStatus', 'The provision, pending.'),
            ...errors,
            '413': { ...error, description: 'More than 100 operations or 400 KB.' },
          },
        },
      },
      '/profile/v4/provisions/{id}/status': {
        get: {
          operationId: 'ups.provisionStatus',
          summary: 'Provision status (pending → completed on the mock clock; kept 7 days)',
          tags,
          security,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            q('attributes', 'operations: include the operations'),
            q('startIndex', '1-based, over the operations', 'integer'),
            q('count', 'operations per page (default 100)', 'integer'),
            q('state', 'pending | success | failed'),
          ],
          responses: { '200': json('UpsProvisionStatus', 'ProvisionStatus.'), ...errors },
        },
      },
      '/profile/spend/v4.1/Users/{id}': {
        get: {
          operationId: 'ups.spendUser',
          summary: 'The spend profile (derived for seeded users, provisioned extensions on top)',
          tags,
          security,
          parameters: [id],
          responses: {
            '200': { description: 'Spend user', content: { 'application/json': { schema: {} } } },
            ...errors,
          },
        },
      },
      '/profile/travel/v4/Users/{id}': {
        get: {
          operationId: 'ups.travelUser',
          summary: 'The travel profile (404 for a user without one)',
          tags,
          security,
          parameters: [id],
          responses: {
            '200': { description: 'Travel user', content: { 'application/json': { schema: {} } } },
            ...errors,
          },
        },
      },
    },
  }
}
