import {
  CompanyAuthTokenResponse,
  DATACENTERS,
  type DatacenterName,
  deprecationHeaders,
  FailedNotificationList,
  Jwks,
  lifecycleOf,
  OAuthErrorBody,
  OtpRequest,
  OtpResponse,
  TokenRequest,
  TokenResponse,
  V4Error,
  WebServiceError,
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
import { type DocumentBuilder, input, type Json, scopeTable } from './components.js'
import { addExtraEndpoints, addLegacyPaths } from './legacy-paths.js'
import { addOAuthPaths } from './oauth-paths.js'
import { addRowPaths, shape } from './row-paths.js'

export { componentName } from './components.js'

/** Options of `buildOpenApiDocument`. */
export interface OpenApiOptions {
  /** `servers` entries, e.g. the listening mock's datacenter URLs. Default: Concur's datacenters. */
  servers?: readonly { url: string; description?: string }[]
  /** `info.version`. Default `0.1.0`. */
  version?: string
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
  const builder: DocumentBuilder = { add, registry, op, tags }
  addRowPaths(builder, described)

  addExtraEndpoints(builder)

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
  components.TokenRequest = input(TokenRequest)
  components.OtpRequest = input(OtpRequest)

  addOAuthPaths(builder)
  addLegacyPaths(builder)

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
