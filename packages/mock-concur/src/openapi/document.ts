import {
  AuthorizeQuery,
  CompanyAuthTokenResponse,
  DATACENTERS,
  type DatacenterName,
  deprecationHeaders,
  FailedNotificationList,
  type FilterDefinition,
  Jwks,
  LIST_V4_SCOPES,
  lifecycleOf,
  OAUTH_ERRORS,
  OAuthErrorBody,
  OtpRequest,
  OtpResponse,
  type PagingModel,
  RESOURCES,
  type ResourceDefinition,
  TokenRequest,
  TokenResponse,
  V4Error,
  WebServiceError,
  type WireFormat,
} from '@concurkit/contract'
import { z } from 'zod'
import { essPaths } from '../events/openapi.js'
import { EXPENSE_CONFIG_V4_SCHEMAS, expenseConfigV4Paths } from '../resources/expense-config-v4-openapi.js'
import { EXPENSE_V4_SCHEMAS, expenseV4Paths } from '../resources/expense-v4-openapi.js'
import { identityPaths } from '../resources/identity-openapi.js'
import { INVOICE_SCHEMAS, invoicePaths } from '../resources/invoice-openapi.js'
import { LIST_V4_SCHEMAS, listV4Paths } from '../resources/list-v4-openapi.js'
import { RECEIPTS_V4_SCHEMAS, receiptsV4Paths } from '../resources/receipts-v4-openapi.js'
import { REQUEST_V4_SCHEMAS, requestV4Paths } from '../resources/request-v4-openapi.js'
import { upsPaths } from '../resources/ups-openapi.js'
import {
  CARDS_ITINERARY_LOCALITIES_SCHEMAS,
  cardsItineraryLocalitiesPaths,
} from '../resources/v4/cards-itinerary-localities-openapi.js'

/** A JSON Schema / OpenAPI object (plain JSON). */
type Json = Record<string, unknown>

/** Options of `buildOpenApiDocument`. */
export interface OpenApiOptions {
  /** `servers` entries, e.g. the listening mock's datacenter URLs. Default: Concur's datacenters. */
  servers?: readonly { url: string; description?: string }[]
  /** `info.version`. Default `0.1.0`. */
  version?: string
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

/** PascalCase component name of a resource or related endpoint key, e.g. `ExpenseReportsItem`. */
export function componentName(key: string): string {
  return `${key
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('')}Item`
}

/** JSON Schema of a filter's value type. */
function filterSchema(filter: FilterDefinition): Json {
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

function pagingParameters(paging: PagingModel): Json[] {
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

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }))
}

/**
 * Read endpoints the mock serves next to the registry rows (no row of their own: they support a
 * row, e.g. an extract job's status and file, or a receipt image's temporary URL).
 */
const EXTRA_ENDPOINTS: readonly {
  readonly path: string
  readonly tag: string
  readonly summary: string
  readonly scope?: string
  readonly content: string
  readonly query?: readonly string[]
}[] = [
  {
    path: '/api/expense/expensereport/v1.1/report/Forms',
    tag: 'v1.1 Expense Form',
    summary: 'List the form types',
    scope: 'EXPRPT',
    content: 'application/xml',
  },
  {
    path: '/api/expense/expensereport/v1.1/report/Forms/{formCode}',
    tag: 'v1.1 Expense Form',
    summary: 'List the forms of a form type',
    scope: 'EXPRPT',
    content: 'application/xml',
  },
  {
    path: '/api/expense/expensereport/v1.1/report/Forms/{formCode}/Fields',
    tag: 'v1.1 Expense Form',
    summary: 'List the fields of a form (alias of `report/Form/{FormId}/Fields`)',
    scope: 'EXPRPT',
    content: 'application/xml',
  },
  {
    path: '/api/expense/expensereport/v1.1/reportfulldetails/{reportKey}',
    tag: 'v2.0 Expense Reports Detail',
    summary: 'Report details under the v1.1 element names (event-notification target)',
    scope: 'EXPRPT',
    content: 'application/xml',
  },
  {
    path: '/api/expense/extract/v1.0/{DefinitionID}/job/{JobID}/status',
    tag: 'v1.0 Extract Jobs',
    summary: 'Status of an extract job',
    scope: 'EXTRCT',
    content: 'application/xml',
  },
  {
    path: '/api/expense/extract/v1.0/{DefinitionID}/job/{JobID}/file',
    tag: 'v1.0 Extract Jobs',
    summary: 'The file of a completed extract job (CSV)',
    scope: 'EXTRCT',
    content: 'text/csv',
  },
  {
    path: '/api/user/v1.0/user',
    tag: 'v3.0 User Information',
    summary: 'User Information v1.0: the token owner, or `loginID` for administrators',
    scope: 'USER',
    content: 'application/xml',
    query: ['loginID'],
  },
  {
    path: '/imaging/v3/receipts/{id}',
    tag: 'v3.0 Receipt Images',
    summary: 'A receipt image’s temporary, signed URL (the `ImageURI` of a receipt image record)',
    content: 'image/png',
    query: ['expires', 'signature'],
  },
]

const ERROR_RESPONSES = {
  '401': {
    description: 'No or malformed `Authorization` header.',
    content: { 'application/json': { schema: ref('WebServiceError') } },
  },
  '403': {
    description: 'Invalid, expired, revoked or wrong-datacenter token, or a missing scope.',
    content: { 'application/json': { schema: ref('WebServiceError') } },
  },
} as const

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

/**
 * Builds the OpenAPI 3.1 document of every Concur path the mock serves, generated from
 * `@concurkit/contract`: the resource registry (paths, paging, filters, scopes, zod item schemas
 * through `z.toJSONSchema`), the OAuth2 request/response schemas and the error bodies.
 *
 * @example
 * const doc = buildOpenApiDocument({ servers: [{ url: 'http://127.0.0.1:4010' }] })
 * Object.keys(doc.paths).includes('/api/v3.0/expense/reports') // true
 */
export function buildOpenApiDocument(options: OpenApiOptions = {}): Json & { paths: Record<string, Json> } {
  const registry = z.registry<{ id: string }>()
  const add = (schema: z.ZodType, id: string) => {
    if (!registry.has(schema)) registry.add(schema, { id })
  }
  add(WebServiceError, 'WebServiceError')
  add(V4Error, 'V4Error')
  add(OAuthErrorBody, 'OAuthErrorBody')
  add(TokenResponse, 'TokenResponse')
  add(Jwks, 'Jwks')
  add(OtpResponse, 'OtpResponse')
  add(CompanyAuthTokenResponse, 'CompanyAuthTokenResponse')
  add(FailedNotificationList, 'FailedNotificationList')
  for (const [id, schema] of Object.entries(LIST_V4_SCHEMAS)) add(schema, id)
  for (const [id, schema] of Object.entries(EXPENSE_V4_SCHEMAS)) add(schema, id)
  for (const [id, schema] of Object.entries(EXPENSE_CONFIG_V4_SCHEMAS)) add(schema, id)
  for (const [id, schema] of Object.entries(REQUEST_V4_SCHEMAS)) add(schema, id)
  for (const [id, schema] of Object.entries(CARDS_ITINERARY_LOCALITIES_SCHEMAS)) add(schema, id)
  for (const [id, schema] of Object.entries(RECEIPTS_V4_SCHEMAS)) add(schema, id)
  for (const [id, schema] of Object.entries(INVOICE_SCHEMAS)) add(schema, id)

  const paths: Record<string, Record<string, Json>> = {}
  const op = (path: string, method: string, operation: Json) => {
    const at = paths[path] ?? {}
    paths[path] = at
    if (!at[method]) at[method] = operation
  }
  const security = (scope: string) => [{ concurOAuth: [scope] }, { bearer: [] }]
  const tags: Json[] = [{ name: 'OAuth2', description: 'Token service, authorize, OTP, JWKS.' }]

  // Families that describe their own paths (Identity v4, List v4, Expense v4: search bodies, SCIM schemas,
  // writes) are not described a second time from their rows.
  const identity = identityPaths()
  const listV4 = listV4Paths()
  const expenseV4 = expenseV4Paths()
  const requestV4 = requestV4Paths()
  const cil = cardsItineraryLocalitiesPaths()
  const receiptsV4 = receiptsV4Paths()
  const expenseConfigV4 = expenseConfigV4Paths()
  // (Expense v4's row is skipped by its item path: its list path is no endpoint.)
  const shape = (p: string) => p.replace(/\{[^}]+\}/g, '{}')
  const invoice = invoicePaths()
  const described = new Set(
    [
      ...Object.keys(identity.paths),
      ...Object.keys(listV4),
      ...Object.keys(expenseV4),
      ...Object.keys(requestV4),
      ...Object.keys(cil.paths),
      ...Object.keys(receiptsV4),
      ...Object.keys(expenseConfigV4),
      ...Object.keys(invoice),
    ].map(shape),
  )
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

  for (const extra of EXTRA_ENDPOINTS) {
    op(extra.path, 'get', {
      operationId: `extra.${extra.path.replace(/[^A-Za-z0-9]+/g, '.').replace(/^\.|\.$/g, '')}`,
      summary: extra.summary,
      tags: [extra.tag],
      ...(extra.scope ? { security: security(extra.scope), 'x-concur-scope': extra.scope } : {}),
      parameters: [
        ...pathParameters(extra.path),
        ...(extra.query ?? []).map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
      ],
      responses: {
        '200': { description: extra.summary, content: { [extra.content]: { schema: { type: 'string' } } } },
        ...ERROR_RESPONSES,
      },
    })
  }

  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io: 'output',
    uri: (id) => `#/components/schemas/${id}`,
  })
  const components: Record<string, Json> = {}
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as Json
    components[id] = rest
  }
  // Request bodies are read as input (before transforms and defaults).
  const input = (schema: z.ZodType) => {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      unrepresentable: 'any',
      io: 'input',
    }) as Json
    return rest
  }
  components.TokenRequest = input(TokenRequest)
  components.OtpRequest = input(OtpRequest)

  const oauthError = (description: string) => ({
    description,
    content: { 'application/json': { schema: ref('OAuthErrorBody') } },
  })
  const byError = new Map<string, number[]>()
  for (const e of Object.values(OAUTH_ERRORS)) byError.set(e.error, [...(byError.get(e.error) ?? []), e.code])
  const oauthCodes = [...byError].map(([error, codes]) => `\`${error}\` ${codes.join(', ')}`).join('; ')
  op('/oauth2/v0/token', 'post', {
    operationId: 'oauth2.token',
    summary: 'Obtain or refresh an access token (every grant)',
    tags: ['OAuth2'],
    requestBody: {
      required: true,
      content: { 'application/x-www-form-urlencoded': { schema: ref('TokenRequest') } },
    },
    responses: {
      '200': { description: 'Tokens.', content: { 'application/json': { schema: ref('TokenResponse') } } },
      '400': oauthError(`Invalid request or grant. Codes: ${oauthCodes}.`),
      '401': oauthError('Client authentication failed.'),
    },
  })
  op('/oauth2/v0/jwks', 'get', {
    operationId: 'oauth2.jwks',
    summary: 'Signing keys of access and id tokens',
    tags: ['OAuth2'],
    responses: { '200': { description: 'JWKS.', content: { 'application/json': { schema: ref('Jwks') } } } },
  })
  const authorizeQuery = input(AuthorizeQuery) as { properties?: Record<string, Json>; required?: string[] }
  op('/oauth2/v0/authorize', 'get', {
    operationId: 'oauth2.authorize',
    summary: 'Authorization-code flow: the sign-in page',
    tags: ['OAuth2'],
    parameters: Object.entries(authorizeQuery.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: authorizeQuery.required?.includes(name) ?? false,
      schema,
    })),
    responses: {
      '200': { description: 'Sign-in form.', content: { 'text/html': { schema: { type: 'string' } } } },
      '400': oauthError('Unknown client or redirect URI.'),
    },
  })
  op('/oauth2/v0/authorize', 'post', {
    operationId: 'oauth2.authorizeSubmit',
    summary: 'Authorization-code flow: submit the sign-in form',
    tags: ['OAuth2'],
    requestBody: {
      required: true,
      content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } } },
    },
    responses: {
      '302': { description: 'Redirect to `redirect_uri` with `code` and `state`.' },
      '401': { description: 'Sign-in form again, with an error.' },
    },
  })
  op('/oauth2/v0/otp', 'post', {
    operationId: 'oauth2.otp',
    summary: 'Send a one-time password (OTP grant)',
    tags: ['OAuth2'],
    requestBody: {
      required: true,
      content: { 'application/x-www-form-urlencoded': { schema: ref('OtpRequest') } },
    },
    responses: {
      '200': { description: 'Sent.', content: { 'application/json': { schema: ref('OtpResponse') } } },
      '400': oauthError('Invalid request.'),
    },
  })
  op('/app-mgmt/v0/connections', 'delete', {
    operationId: 'oauth2.revokeConnections',
    summary: 'Revoke every refresh token of the caller for this app',
    tags: ['OAuth2'],
    security: [{ bearer: [] }],
    responses: { '200': { description: 'Revoked.' }, '401': { description: 'Missing or invalid token.' } },
  })
  op('/profile-service/v1/keys/principals/{companyId}/authtoken', 'post', {
    operationId: 'appCenter.companyRequestToken',
    summary: 'Mint a company request token (App Center)',
    tags: ['OAuth2'],
    parameters: pathParameters('/profile-service/v1/keys/principals/{companyId}/authtoken'),
    security: [{ basic: [] }, { bearer: [] }],
    responses: {
      '200': {
        description: 'Request token.',
        content: { 'application/json': { schema: ref('CompanyAuthTokenResponse') } },
      },
      ...ERROR_RESPONSES,
    },
  })
  tags.push({
    name: 'v1.0 Image',
    description: 'Image v1.0: receipt, report and entry images (the v3.0 receipt images).',
  })
  const imageAnswer = {
    description: '`<Image><Id/><Url/></Image>` (`Url` empty after an upload).',
    content: { 'application/xml': { schema: { type: 'string' } } },
  }
  const imageUpload = {
    required: true,
    content: Object.fromEntries(
      [
        'application/pdf',
        'image/jpg',
        'image/jpeg',
        'image/png',
        'image/gif',
        'image/tiff',
        'multipart/form-data',
      ].map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
    ),
  }
  for (const [path, what, upload] of [
    ['/api/image/v1.0/receipt/{imageId}', 'a receipt image', false],
    ['/api/image/v1.0/expenseentry/{entryId}', 'an expense entry image', true],
    ['/api/image/v1.0/report/{reportId}', 'an expense report image', true],
  ] as const) {
    const name = path.split('/')[4]!
    const base = {
      tags: ['v1.0 Image'],
      security: security('IMAGE'),
      'x-concur-scope': 'IMAGE',
      parameters: pathParameters(path),
    }
    op(path, 'get', {
      operationId: `image.v10.${name}.get`,
      summary: `The temporary URL of ${what}`,
      ...base,
      responses: { '200': imageAnswer, ...ERROR_RESPONSES },
    })
    if (upload)
      op(path, 'post', {
        operationId: `image.v10.${name}.post`,
        summary: `Upload ${what}`,
        ...base,
        requestBody: imageUpload,
        responses: { '200': imageAnswer, ...ERROR_RESPONSES },
      })
  }
  op('/api/image/v1.0/receipt', 'post', {
    operationId: 'image.v10.receipt.post',
    summary: 'Upload a receipt image (a v3.0 receipt image of the token owner)',
    tags: ['v1.0 Image'],
    security: security('IMAGE'),
    'x-concur-scope': 'IMAGE',
    requestBody: imageUpload,
    responses: { '200': imageAnswer, ...ERROR_RESPONSES },
  })
  const notifications = '/api/platform/notifications/v1.0/notification'
  tags.push({ name: 'Notifications', description: 'Failed event notifications (callouts).' })
  op(notifications, 'get', {
    operationId: 'notifications.listFailed',
    summary: 'List failed event notifications',
    tags: ['Notifications'],
    security: [{ bearer: [] }],
    parameters: [{ name: 'status', in: 'query', schema: { type: 'string', enum: ['FAILED'] } }],
    responses: {
      '200': {
        description: 'Failed notifications (XML by default; JSON with `Accept: application/json`).',
        content: {
          'application/xml': { schema: ref('FailedNotificationList') },
          'application/json': { schema: ref('FailedNotificationList') },
        },
      },
      ...ERROR_RESPONSES,
    },
  })
  op(`${notifications}/{id}`, 'delete', {
    operationId: 'notifications.delete',
    summary: 'Delete a failed event notification',
    tags: ['Notifications'],
    security: [{ bearer: [] }],
    parameters: pathParameters(`${notifications}/{id}`),
    responses: { '200': { description: 'Deleted.' }, ...ERROR_RESPONSES },
  })
  op('/api/expense/expensereport/v1.1/report/{reportId}/WorkFlowAction', 'post', {
    operationId: 'expensereport.v11.workflowAction',
    summary: 'Approve or send back a report (fires the Event Notification callout on approval)',
    tags: ['Notifications'],
    security: security('EXPRPT'),
    'x-concur-scope': 'EXPRPT',
    parameters: pathParameters('/api/expense/expensereport/v1.1/report/{reportId}/WorkFlowAction'),
    requestBody: {
      required: true,
      content: { 'application/xml': { schema: { type: 'string' } } },
    },
    responses: {
      '200': {
        description: '`<ActionStatus><Message/><Status>SUCCESS|FAILURE</Status></ActionStatus>`',
        content: { 'application/xml': { schema: { type: 'string' } } },
      },
      ...ERROR_RESPONSES,
    },
  })

  tags.push({ name: 'Identity v4', description: 'Identity v4/v4.1 SCIM Users (company token).' })
  Object.assign(components, identity.components)
  for (const [path, ops] of Object.entries(identity.paths))
    for (const [m, o] of Object.entries(ops)) op(path, m, o)
  tags.push({
    name: 'User Provisioning v4',
    description: 'UPS v4: asynchronous user provisioning (company token).',
  })
  const ups = upsPaths()
  Object.assign(components, ups.components)
  for (const [path, ops] of Object.entries(ups.paths))
    for (const [m, o] of Object.entries(ops)) op(path, m, o)
  tags.push({ name: 'Event Subscription Service', description: 'ESS v4 management API (App JWT).' })
  for (const [path, ops] of Object.entries(essPaths()))
    for (const [m, o] of Object.entries(ops)) op(path, m, o)

  tags.push({
    name: 'List v4',
    description: 'List v4, List Item v4, List Item Bulk v4 (same records as v3.0 lists).',
  })
  for (const [path, ops] of Object.entries(listV4)) for (const [m, o] of Object.entries(ops)) op(path, m, o)
  tags.push({
    name: 'Expense v4',
    description:
      'Expense v4 reports, workflow, expenses, allocations, attendees, comments (same records as v3.0).',
  })
  for (const [path, ops] of Object.entries(expenseV4))
    for (const [m, o] of Object.entries(ops)) op(path, m, o)
  tags.push({ name: 'Request v4', description: 'Request v4 travel requests, workflow, expected expenses.' })
  for (const [path, ops] of Object.entries(requestV4))
    for (const [m, o] of Object.entries(ops)) op(path, m, o)
  tags.push(...(cil.tags as typeof tags))
  for (const [path, ops] of Object.entries(cil.paths))
    for (const [m, o] of Object.entries(ops)) op(path, m, o)
  tags.push({
    name: 'Receipts v4',
    description: 'Receipts v4, Spend Documents v4 (final-approved receipt images), Quick Expense v4.',
  })
  for (const [path, ops] of Object.entries(receiptsV4))
    for (const [m, o] of Object.entries(ops)) op(path, m, o)
  tags.push({
    name: 'Expense Configuration v4',
    description: 'Expense Configuration v4, Attendees v4, Attendee Types v4 (same records as v3.0).',
  })
  for (const [path, ops] of Object.entries(expenseConfigV4))
    for (const [m, o] of Object.entries(ops)) op(path, m, o)
  tags.push({
    name: 'Invoice',
    description: 'Payment request digests, payment requests, vendors, invoice images.',
  })
  for (const [path, ops] of Object.entries(invoice)) for (const [m, o] of Object.entries(ops)) op(path, m, o)

  // Operations Concur retired are marked as OpenAPI says (`deprecated: true`), with the signal.
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const hit = lifecycleOf(method, path)
      if (!hit || typeof operation !== 'object' || operation === null) continue
      const headers = deprecationHeaders(hit.endpoint, hit.lifecycle)
      Object.assign(operation, { deprecated: true, 'x-concur-lifecycle': { ...hit.lifecycle, ...headers } })
    }
  }

  const servers =
    options.servers ??
    (Object.keys(DATACENTERS) as DatacenterName[]).map((dc) => ({
      url: DATACENTERS[dc].baseUrl,
      description: DATACENTERS[dc].title,
    }))

  return {
    openapi: '3.1.0',
    info: {
      title: 'SAP Concur (as served by @concurkit/mock-concur)',
      version: options.version ?? '0.1.0',
      description:
        'Every Concur path the mock serves, generated from @concurkit/contract. XML-only resources ' +
        'describe records by the same field names the client parses them into.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: servers.map((s) => ({ ...s })),
    tags,
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        basic: { type: 'http', scheme: 'basic' },
        concurOAuth: {
          type: 'oauth2',
          flows: {
            password: { tokenUrl: '/oauth2/v0/token', scopes: scopeTable() },
            authorizationCode: {
              authorizationUrl: '/oauth2/v0/authorize',
              tokenUrl: '/oauth2/v0/token',
              scopes: scopeTable(),
            },
          },
        },
      },
    },
  }
}

function scopeTable(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const row of RESOURCES) out[row.scope] ??= `Read ${row.title}`
  for (const row of RESOURCES) for (const r of row.related ?? []) out[r.scope] ??= `Read ${r.title}`
  for (const scope of LIST_V4_SCOPES) out[scope] ??= `List v4: ${scope.split('.').slice(1).join(' ')}`
  return out
}
