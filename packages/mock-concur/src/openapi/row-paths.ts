import {
  type FilterDefinition,
  type PagingModel,
  RESOURCES,
  type ResourceDefinition,
  type WireFormat,
} from '@concurkit/contract'
import type { z } from 'zod'
import {
  componentName,
  type DocumentBuilder,
  ERROR_RESPONSES,
  filterSchema,
  type Json,
  pagingParameters,
  pathParameters,
  ref,
  security,
} from './components.js'

// The operations of the registry rows (`RESOURCES` of `@concurkit/contract`): list, get and writes of
// every row and its related endpoints, built from the row's path, paging, filters, scope and item schema.

interface ReadEndpoint {
  readonly key: string
  readonly title: string
  readonly api?: string
  readonly path: string
  readonly itemPath?: string | undefined
  readonly format: WireFormat
  readonly paging: PagingModel
  readonly scope: string
  readonly filters: readonly FilterDefinition[]
  readonly userParam?: string | undefined
  readonly adminOnly: boolean
  readonly writes: readonly ('create' | 'update' | 'delete')[]
  readonly xml?: { readonly namespace: string; readonly listRoot: string; readonly item: string } | undefined
  readonly reference?: string
}

function toEndpoints(row: ResourceDefinition): ReadEndpoint[] {
  const main: ReadEndpoint = {
    key: row.name,
    title: row.title,
    api: row.api,
    path: row.path,
    itemPath: row.itemPath,
    format: row.format,
    paging: row.paging,
    scope: row.scope,
    filters: row.filters,
    userParam: row.userParam,
    adminOnly: row.adminOnly,
    writes: row.writes,
    xml: row.xml,
    reference: row.reference,
  }
  const related = (row.related ?? []).map(
    (r): ReadEndpoint => ({
      key: r.key,
      title: r.title,
      api: row.api,
      path: r.path,
      itemPath: r.itemPath,
      format: row.format,
      paging: r.paging,
      scope: r.scope,
      filters: r.filters,
      adminOnly: row.adminOnly,
      writes: r.writes,
      xml: r.xml,
    }),
  )
  return [main, ...related]
}

function listContent(endpoint: ReadEndpoint, item: string): Json {
  const xml: Json = {
    'application/xml': {
      schema: {
        type: 'array',
        items: ref(item),
        ...(endpoint.xml
          ? { xml: { name: endpoint.xml.listRoot, namespace: endpoint.xml.namespace, wrapped: true } }
          : {}),
      },
    },
  }
  if (endpoint.format === 'xml') return xml
  if (endpoint.paging.kind === 'json') {
    // the record array at its dot path, e.g. `Resources`, `content`, `paging`-less `data`
    const path = endpoint.paging.items.split('.').filter(Boolean)
    let schema: Json = { type: 'array', items: ref(item) }
    for (const key of path.reverse()) schema = { type: 'object', properties: { [key]: schema } }
    return { 'application/json': { schema } }
  }
  return {
    'application/json': {
      schema: {
        type: 'object',
        required: ['Items', 'NextPage'],
        properties: {
          Items: { type: 'array', items: ref(item) },
          NextPage: { type: ['string', 'null'], description: 'URL of the next page; null on the last.' },
        },
      },
    },
    ...xml,
  }
}

function itemContent(endpoint: ReadEndpoint, item: string): Json {
  const xml = { 'application/xml': { schema: ref(item) } }
  if (endpoint.format === 'json') return { 'application/json': { schema: ref(item) } }
  return endpoint.format === 'xml' ? xml : { 'application/json': { schema: ref(item) }, ...xml }
}

/** A path with its parameter names blanked, e.g. `/a/{id}` → `/a/{}`, to match paths across families. */
export const shape = (p: string) => p.replace(/\{[^}]+\}/g, '{}')

/**
 * Adds the operations of every registry row whose paths no family describes itself (`described`, as
 * `shape`d paths), registering each row's item schema.
 */
export function addRowPaths(builder: DocumentBuilder, described: ReadonlySet<string>): void {
  const { add, registry, op, tags } = builder
  for (const row of RESOURCES) {
    if (described.has(shape(row.path)) || (row.itemPath && described.has(shape(row.itemPath)))) continue
    for (const endpoint of toEndpoints(row)) {
      const rowSchema =
        endpoint.key === row.name ? row.item : row.related?.find((r) => r.key === endpoint.key)?.item
      if (rowSchema) add(rowSchema as z.ZodType, componentName(endpoint.key))
      // a schema a family registered first (List v4's `ListV4List`) keeps its name
      const item = (rowSchema && registry.get(rowSchema as z.ZodType)?.id) || componentName(endpoint.key)
      const tag = `${endpoint.api ?? ''} ${row.title}`.trim()
      if (!tags.some((t) => t.name === tag))
        tags.push({ name: tag, description: `${row.title} (${row.api}, reference ${row.reference}).` })
      const base = {
        tags: [tag],
        security: security(endpoint.scope),
        'x-concur-scope': endpoint.scope,
        ...(endpoint.adminOnly ? { 'x-concur-admin-only': true } : {}),
      }
      const filters = endpoint.filters
        .filter((f) => !/\{/.test(f.param))
        .map((f) => ({ name: f.param, in: 'query', description: f.description, schema: filterSchema(f) }))
      const userParam =
        endpoint.userParam && !endpoint.filters.some((f) => f.param === endpoint.userParam)
          ? [
              {
                name: endpoint.userParam,
                in: 'query',
                description: 'Whose data to read (company-level principals; `ALL` where Concur allows it).',
                schema: { type: 'string' },
              },
            ]
          : []
      const isFanoutSingle = endpoint.paging.kind === 'fanout' && endpoint.path === endpoint.itemPath
      op(endpoint.path, 'get', {
        operationId: `${endpoint.key}.${isFanoutSingle ? 'get' : 'list'}`,
        summary: isFanoutSingle ? `Get one of ${endpoint.title}` : `List ${endpoint.title}`,
        ...base,
        parameters: [
          ...pathParameters(endpoint.path),
          ...(isFanoutSingle ? [] : pagingParameters(endpoint.paging)),
          ...filters,
          ...userParam,
        ],
        responses: {
          '200': {
            description: `${endpoint.title}.`,
            content: isFanoutSingle ? itemContent(endpoint, item) : listContent(endpoint, item),
          },
          ...ERROR_RESPONSES,
        },
      })
      if (endpoint.writes.includes('create') && endpoint.format === 'json+xml')
        op(endpoint.path, 'post', {
          operationId: `${endpoint.key}.create`,
          summary: `Create one of ${endpoint.title}`,
          ...base,
          parameters: pathParameters(endpoint.path),
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { type: 'object' } },
              'application/xml': { schema: { type: 'object' } },
            },
          },
          responses: {
            '200': {
              description: 'Created: `{ID, URI}`.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { ID: { type: 'string' }, URI: { type: 'string' } },
                  },
                },
              },
            },
            ...ERROR_RESPONSES,
          },
        })
      if (endpoint.writes.includes('create') && endpoint.format === 'xml')
        op(endpoint.path, 'post', {
          operationId: `${endpoint.key}.create`,
          summary: `Create one of ${endpoint.title}`,
          ...base,
          parameters: pathParameters(endpoint.path),
          requestBody: { required: true, content: { 'application/xml': { schema: { type: 'string' } } } },
          responses: {
            '200': { description: 'Created.', content: itemContent(endpoint, item) },
            '409': { description: 'Conflicts with a record in progress.' },
            ...ERROR_RESPONSES,
          },
        })
      if (endpoint.itemPath && endpoint.itemPath !== endpoint.path) {
        const params = pathParameters(endpoint.itemPath)
        op(endpoint.itemPath, 'get', {
          operationId: `${endpoint.key}.get`,
          summary: `Get one of ${endpoint.title}`,
          ...base,
          parameters: params,
          responses: {
            '200': { description: `One record of ${endpoint.title}.`, content: itemContent(endpoint, item) },
            '404': {
              description: 'No such record.',
              content: { 'application/json': { schema: ref('WebServiceError') } },
            },
            ...ERROR_RESPONSES,
          },
        })
        if (endpoint.writes.includes('update') && endpoint.format === 'json+xml')
          op(endpoint.itemPath, 'put', {
            operationId: `${endpoint.key}.update`,
            summary: `Update one of ${endpoint.title}`,
            ...base,
            parameters: params,
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: { type: 'object' } },
                'application/xml': { schema: { type: 'object' } },
              },
            },
            responses: {
              '200': { description: 'Updated: no body, typed as the negotiated representation.' },
              ...ERROR_RESPONSES,
            },
          })
        if (endpoint.writes.includes('delete') && endpoint.format === 'json+xml')
          op(endpoint.itemPath, 'delete', {
            operationId: `${endpoint.key}.delete`,
            summary: `Delete one of ${endpoint.title}`,
            ...base,
            parameters: params,
            responses: {
              '200': { description: 'Deleted: no body, typed as the negotiated representation.' },
              ...ERROR_RESPONSES,
            },
          })
      }
    }
  }
}
