import type { FilterDefinition, PagingModel } from '@concurkit/contract'
import { LIST_V4_SCOPES, RESOURCES } from '@concurkit/contract'
import { z } from 'zod'

// Shared pieces of the OpenAPI document: the JSON type, component references and names, query and path
// parameters, the error responses and the security requirement every read shares.

/** A JSON Schema / OpenAPI object (plain JSON). */
export type Json = Record<string, unknown>

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

/** PascalCase component name of a resource or related endpoint key, e.g. `ExpenseReportsItem`. */
export function componentName(key: string): string {
  return `${key
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('')}Item`
}

/** JSON Schema of a filter's value type. */
export function filterSchema(filter: FilterDefinition): Json {
  switch (filter.type) {
    case 'boolean':
      return { type: 'boolean' }
    case 'int':
      return { type: 'integer' }
    case 'date':
      return { type: 'string', format: 'date' }
    case 'datetime':
      return { type: 'string', description: 'yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss.SSS' }
    case 'enum':
      return filter.values ? { type: 'string', enum: [...filter.values] } : { type: 'string' }
    case 'csv':
      return { type: 'string', description: 'comma-separated values' }
    default:
      return { type: 'string' }
  }
}

export function pagingParameters(paging: PagingModel): Json[] {
  switch (paging.kind) {
    case 'v3':
      return [
        {
          name: 'limit',
          in: 'query',
          description: `Records per page (default ${paging.defaultLimit}, at most ${paging.maxLimit}).`,
          schema: { type: 'integer', minimum: 1, maximum: paging.maxLimit, default: paging.defaultLimit },
        },
        {
          name: 'offset',
          in: 'query',
          description: 'Opaque cursor taken from the previous page’s `NextPage` URL.',
          schema: { type: 'string' },
        },
      ]
    case 'trips':
      return [
        {
          name: 'includeMetadata',
          in: 'query',
          description: 'With `true`, the response carries `<Metadata><Paging>` and pages are honoured.',
          schema: { type: 'boolean' },
        },
        {
          name: 'ItemsPerPage',
          in: 'query',
          schema: {
            type: 'integer',
            minimum: 1,
            maximum: paging.maxItemsPerPage,
            default: paging.defaultItemsPerPage,
          },
        },
        { name: 'Page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
      ]
    case 'json':
      return [
        ...(paging.size
          ? [
              {
                name: paging.size.param,
                in: 'query',
                description: `Records per page (default ${paging.size.default}, at most ${paging.size.max}).`,
                schema: {
                  type: 'integer',
                  minimum: 1,
                  maximum: paging.size.max,
                  default: paging.size.default,
                },
              },
            ]
          : []),
        ...(paging.next.type === 'token'
          ? [
              {
                name: paging.next.param,
                in: 'query',
                description: `Token of the next page, from \`${paging.next.field}\` of the previous one.`,
                schema: { type: 'string' },
              },
            ]
          : []),
      ]
    default:
      return []
  }
}

export function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }))
}

export const ERROR_RESPONSES = {
  '401': {
    description: 'No or malformed `Authorization` header.',
    content: { 'application/json': { schema: ref('WebServiceError') } },
  },
  '403': {
    description: 'Invalid, expired, revoked or wrong-datacenter token, or a missing scope.',
    content: { 'application/json': { schema: ref('WebServiceError') } },
  },
} as const

/** The security requirement of a scoped read: the Concur OAuth2 scope, or any bearer token. */
export const security = (scope: string) => [{ concurOAuth: [scope] }, { bearer: [] }]

/**
 * Registers the document's schemas and operations; each part of the document adds to it in turn.
 */
export interface DocumentBuilder {
  /** Registers a zod schema as `#/components/schemas/<id>` (the first id of a schema wins). */
  readonly add: (schema: z.ZodType, id: string) => void
  readonly registry: ReturnType<typeof z.registry<{ id: string }>>
  /** Adds an operation unless the path already has one for the method. */
  readonly op: (path: string, method: string, operation: Json) => void
  readonly tags: Json[]
}

// Request bodies are read as input (before transforms and defaults).
export const input = (schema: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io: 'input',
  }) as Json
  return rest
}

/** The OAuth2 scopes of the security scheme, each with what it reads. */
export function scopeTable(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const row of RESOURCES) out[row.scope] ??= `Read ${row.title}`
  for (const row of RESOURCES) for (const r of row.related ?? []) out[r.scope] ??= `Read ${r.title}`
  for (const scope of LIST_V4_SCOPES) out[scope] ??= `List v4: ${scope.split('.').slice(1).join(' ')}`
  return out
}
