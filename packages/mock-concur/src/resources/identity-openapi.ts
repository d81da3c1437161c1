import {
  IdentityError,
  IdentityListResponseV4,
  IdentityListResponseV41,
  IdentitySearchRequest,
  IdentityUser,
  IdentityUserWrite,
  ScimPatchOp,
} from '@concurkit/contract'
import { ref } from '../openapi/components.js'
import { type Json, scimSchemaOf } from '../openapi/family-schemas.js'

const schema = scimSchemaOf

/**
 * The Identity v4 / v4.1 paths for the OpenAPI document (reference §1): company tokens only, SCIM
 * error body. The SCIM shapes are components (`IdentityUser`, `IdentityError`, …) the paths refer to.
 */
export function identityPaths(): {
  paths: Record<string, Record<string, Json>>
  components: Record<string, Json>
} {
  const components: Record<string, Json> = {
    IdentityUser: schema(IdentityUser),
    IdentityListResponseV4: schema(IdentityListResponseV4),
    IdentityListResponseV41: schema(IdentityListResponseV41),
    IdentitySearchRequest: schema(IdentitySearchRequest, 'input'),
    IdentityError: schema(IdentityError),
    IdentityUserWrite: schema(IdentityUserWrite, 'input'),
    ScimPatchOp: schema(ScimPatchOp, 'input'),
  }
  const tags = ['Identity v4']
  const security = [{ bearer: [] }]
  const json = (name: keyof typeof components, description: string) => ({
    description,
    content: { 'application/json': { schema: ref(name) } },
  })
  const error = json('IdentityError', 'SCIM error (status, scimType, detail, Concur messages).')
  const errors = { '400': error, '401': error, '403': error, '404': error }
  const q = (name: string, description: string, type = 'string') => ({
    name,
    in: 'query',
    required: false,
    description,
    schema: { type },
  })
  const attrs = [
    q('attributes', 'Comma-separated attributes to return (plus id).'),
    q('excludedAttributes', 'Comma-separated attributes to leave out.'),
  ]
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }
  const free = (summary: string, operationId: string) => ({
    get: {
      operationId,
      summary,
      tags,
      security,
      responses: {
        '200': { description: summary, content: { 'application/json': { schema: {} } } },
        ...errors,
      },
    },
  })
  const paths: Record<string, Record<string, Json>> = {}
  for (const v of ['v4', 'v4.1'] as const) {
    const base = `/profile/identity/${v}`
    const op = (name: string) => `identity.${v === 'v4' ? 'v4' : 'v41'}.${name}`
    const body = (name: string) => ({
      required: true,
      content: { 'application/json': { schema: ref(name) } },
    })
    const written = {
      '200': json('IdentityUser', 'The User as stored.'),
      ...errors,
      '409': { ...error, description: 'userName or employeeNumber already in use (scimType uniqueness).' },
    }
    paths[`${base}/Users`] = {
      get: {
        operationId: op('listUsers'),
        summary:
          v === 'v4'
            ? 'Users (filter eq on userName/employeeNumber/externalId; startIndex, count ≤ 100)'
            : 'Users (cursor paging: count ≤ 1000, cursor → nextCursor)',
        tags,
        security,
        parameters:
          v === 'v4'
            ? [
                q('filter', 'e.g. employeeNumber eq "E000001"'),
                q('startIndex', '1-based', 'integer'),
                q('count', 'max 100', 'integer'),
                ...attrs,
              ]
            : [q('count', 'max 1000', 'integer'), q('cursor', 'nextCursor of the previous page'), ...attrs],
        responses: {
          '200': json(
            v === 'v4' ? 'IdentityListResponseV4' : 'IdentityListResponseV41',
            'SCIM ListResponse.',
          ),
          ...errors,
        },
      },
      post: {
        operationId: op('createUser'),
        summary: 'Create a user (200, as documented)',
        tags,
        security,
        requestBody: body('IdentityUserWrite'),
        responses: written,
      },
    }
    paths[`${base}/Users/{id}`] = {
      get: {
        operationId: op('getUser'),
        summary: 'One user by id (the UUID that is a user token sub)',
        tags,
        security,
        parameters: [id, ...attrs],
        responses: { '200': json('IdentityUser', 'SCIM User.'), ...errors },
      },
      put: {
        operationId: op('replaceUser'),
        summary: 'Replace a user (omitted attributes are cleared)',
        tags,
        security,
        parameters: [id],
        requestBody: body('IdentityUserWrite'),
        responses: written,
      },
      patch: {
        operationId: op('patchUser'),
        summary: 'SCIM PatchOp (add / replace / remove)',
        tags,
        security,
        parameters: [id],
        requestBody: body('ScimPatchOp'),
        responses: written,
      },
      delete: {
        operationId: op('deleteUser'),
        summary: 'Hard delete (users without transaction history only; else 409)',
        tags,
        security,
        parameters: [id],
        responses: {
          '204': { description: 'Deleted.' },
          ...errors,
          '409': { ...error, description: 'The user has transaction history.' },
        },
      },
    }
    paths[`${base}/ResourceTypes`] = free('SCIM resource types', op('resourceTypes'))
    paths[`${base}/ServiceProviderConfig`] = free(
      'SCIM service provider configuration',
      op('serviceProviderConfig'),
    )
    paths[`${base}/Schemas`] = free('SCIM schemas', op('schemas'))
    paths[`${base}/Schemas/{id}`] = {
      get: {
        ...(free('One SCIM schema by URN', op('schema')).get as Json),
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      },
    }
  }
  paths['/profile/identity/v4.1/Users/.search'] = {
    post: {
      operationId: 'identity.v41.searchUsers',
      summary: 'Search users with a SCIM filter (cursor paging)',
      tags,
      security,
      requestBody: {
        required: true,
        content: { 'application/json': { schema: ref('IdentitySearchRequest') } },
      },
      responses: { '200': json('IdentityListResponseV41', 'SCIM ListResponse.'), ...errors },
    },
  }
  return { paths, components }
}
