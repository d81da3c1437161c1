import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { Ajv, type ValidateFunction } from 'ajv'
import fc from 'fast-check'
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorBodyProblem } from './error-bodies.ts'
import { assertProperty, LONG, recordFigures, scale } from './helpers.ts'
import { loadSpecs, type Operation, refName, type Schema, type Spec } from './swagger.ts'
import { type QuirkId, SWAGGER_QUIRKS } from './swagger-quirks.ts'

// The spec-driven property test: requests generated from every swagger file in
// fixtures/concur-examples are sent to the mock, and every answer is judged against the file
// (after the reviewed quirks in swagger-quirks.ts) and concur-api.md.

const SEED = 2828
const IN_PROCESS_RUNS = scale(1_500, 20_000)
const SOCKET_RUNS = scale(100, 1_000)
const GENERIC_ERRORS = [400, 401, 403, 404]

const specs = loadSpecs()
const operations = specs.flatMap((s) => s.operations)
const specOf = new Map<string, Spec>(specs.map((s) => [s.name, s]))
const mock = createMockConcur({ seed: SEED, companies: 1, size: 25, datacenters: ['us'] })
const company = mock.state.companies[0]!
const base = mock.state.baseUrl('us')

const figures = {
  specs: specs.length,
  operations: operations.length,
  requests: 0,
  socketRequests: 0,
  byStatus: {} as Record<string, number>,
  byOperation: {} as Record<string, Record<string, number>>,
  writesReadBack: 0,
  quirksApplied: Object.fromEntries(SWAGGER_QUIRKS.map((q) => [q.id, 0])) as Record<QuirkId, number>,
  disagreements: 0,
}
const applied = (q: QuirkId) => {
  figures.quirksApplied[q]++
}

// ---- schemas: the swagger definitions after the quirks, compiled with Ajv -------------------------

/** A definition with the schema quirks applied (`nullable`, `collection-items-array`). */
function quirked(schema: Schema, inCollection = false): Schema {
  if (schema.$ref) return { anyOf: [{ $ref: schema.$ref }, { type: 'null' }] }
  const out: Schema = { ...schema }
  if (schema.properties) {
    out.properties = {}
    for (const [k, v] of Object.entries(schema.properties)) {
      if (inCollection && k === 'Items' && v.$ref) {
        out.properties[k] = { anyOf: [{ type: 'array', items: { $ref: v.$ref } }, { type: 'null' }] }
        continue
      }
      out.properties[k] = quirked(v)
    }
  }
  if (schema.items) out.items = quirked(schema.items)
  if (schema.type && typeof schema.type === 'string') out.type = [schema.type, 'null'] as unknown as string
  return out
}

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true })
for (const spec of specs) {
  const definitions: Record<string, Schema> = {}
  for (const [name, def] of Object.entries(spec.definitions)) {
    const isCollection = def.properties?.Items?.$ref !== undefined && 'NextPage' in (def.properties ?? {})
    definitions[name] = quirked(def, isCollection)
  }
  ajv.addSchema({ $id: `spec:${spec.name}`, definitions })
}
const validators = new Map<string, ValidateFunction>()
function validatorOf(spec: string, def: string): ValidateFunction {
  const key = `${spec}#${def}`
  let v = validators.get(key)
  if (!v) {
    v = ajv.compile({ $ref: `spec:${spec}#/definitions/${def}` })
    validators.set(key, v)
  }
  return v
}

/** Resolves a `$ref` of a spec (one level). */
const resolve = (spec: Spec, s: Schema): Schema => (s.$ref ? (spec.definitions[refName(s)!] ?? {}) : s)

// ---- the mock's records: ids that exist, and values seen per field name --------------------------

const ids = new Map<string, string[]>()
const seen = new Map<string, unknown[]>()
let adminToken = ''
let userToken = ''

beforeAll(async () => {
  const issue = async (userIndex: number) =>
    (
      await mock.state.tokens.issueAccessToken({
        type: 'user',
        companyId: company.id,
        userIndex,
        subject: mock.state.user(company, userIndex)!.id,
        clientId: company.apps[0]!.clientId,
        scopes: [...company.apps[0]!.scopes],
        issuer: base,
      })
    ).token
  adminToken = await issue(0)
  userToken = await issue(2)
  for (const op of operations) {
    if (op.method !== 'GET' || op.path.includes('{') || !op.path.startsWith('/api/v3.0/')) continue
    const res = await mock.fetch(
      `${base}${op.path}?limit=20${op.parameters.some((p) => p.name === 'user') ? '&user=ALL' : ''}`,
      {
        headers: { authorization: `Bearer ${adminToken}` },
      },
    )
    const body = (await res.json()) as { Items?: Record<string, unknown>[] }
    const items = body.Items ?? []
    ids.set(
      op.path,
      items.map((i) => String(i.ID)),
    )
    for (const item of items)
      for (const [k, v] of Object.entries(item)) {
        if (v === null || typeof v === 'object' || k === 'URI') continue
        const list = seen.get(k) ?? []
        if (list.length < 12 && !list.includes(v)) list.push(v)
        seen.set(k, list)
      }
  }
  // v1.1 form codes and form ids.
  const forms = await mock.fetch(`${base}/api/expense/expensereport/v1.1/report/Forms`, {
    headers: { authorization: `Bearer ${adminToken}` },
  })
  const codes = [...(await forms.text()).matchAll(/<FormCode>([^<]+)<\/FormCode>/g)].map((m) => m[1]!)
  ids.set('FormCode', codes)
  const formIds: string[] = []
  for (const code of codes.slice(0, 3)) {
    const r = await mock.fetch(`${base}/api/expense/expensereport/v1.1/report/Forms/${code}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    })
    formIds.push(...[...(await r.text()).matchAll(/<FormId>([^<]+)<\/FormId>/g)].map((m) => m[1]!))
  }
  ids.set('FormId', formIds)
  // Login ids for `user`; the ids of other resources under the names that reference them.
  seen.set('user', [mock.state.user(company, 0)!.loginId, mock.state.user(company, 2)!.loginId, 'ALL'])
  for (const [field, collection] of [
    ['ReportID', '/api/v3.0/expense/reports'],
    ['EntryID', '/api/v3.0/expense/entries'],
    ['AttendeeID', '/api/v3.0/expense/attendees'],
    ['AttendeeTypeID', '/api/v3.0/expense/attendeetypes'],
    ['ListID', '/api/v3.0/common/lists'],
    ['ParentID', '/api/v3.0/common/listitems'],
  ] as const)
    if ((ids.get(collection) ?? []).length > 0) seen.set(field, kept(ids.get(collection)!))
  // Query parameters are camel-cased field names (`listId`, `reportID`, `expenseTypeCode`).
  for (const [k, v] of [...seen]) if (!seen.has(k.toLowerCase())) seen.set(k.toLowerCase(), v)
})

/**
 * The first half of a collection's ids is never deleted, so creates that reference a record (an
 * entry's report, an attendee's type) keep finding one; deletes take the second half.
 */
const kept = (all: readonly string[]) => all.slice(0, Math.ceil(all.length / 2))
const deletable = (all: readonly string[]) => all.slice(Math.ceil(all.length / 2))

/** Existing ids for a path parameter of an operation (from the collection the path names). */
function existingIds(op: Operation, param: string): string[] {
  const all = existingIdsOf(op, param)
  return op.method === 'DELETE' && all.length > 1 ? deletable(all) : all
}

function existingIdsOf(op: Operation, param: string): string[] {
  if (param === 'FormCode' || param === 'FormId') return ids.get(param) ?? []
  if (op.path.startsWith('/api/image/v1.0/')) {
    const from = { imageId: 'receiptimages', entryId: 'entries', reportId: 'reports', requestId: '' }[param]
    return from ? (ids.get(`/api/v3.0/expense/${from}`) ?? []) : []
  }
  const collection = op.path.slice(0, op.path.indexOf('/{'))
  return ids.get(collection) ?? []
}

// ---- generators ------------------------------------------------------------------------------------

const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    '-1',
    '0',
    '1e309',
    'NaN',
    'ALL',
    '%',
    '\u000b',
    '\ud800',
    '<x/>',
    '2024-13-45',
    'true',
  ),
)

/** A value for a schema node: one seen in the mock's records under that name, or one the type allows. */
function valueFor(spec: Spec, name: string, schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(spec, schema)
  const pool = seen.get(name) ?? seen.get(name.toLowerCase())
  const typed = ((): fc.Arbitrary<unknown> => {
    if (s.enum) return fc.constantFrom(...s.enum)
    switch (s.type) {
      case 'integer':
        return fc.integer({ min: -5, max: 1_000 })
      case 'number':
        return fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
      case 'boolean':
        return fc.boolean()
      case 'array':
        return fc.array(s.items ? valueFor(spec, name, s.items, depth + 1) : fc.string(), { maxLength: 3 })
      case 'string':
        if (s.format === 'date-time')
          return fc.constantFrom('2024-03-01T00:00:00', '2024-02-30T10:00:00', 'soon')
        return fc.string({ maxLength: 20 })
      default:
        if (s.properties && depth < 2) return objectFor(spec, s, depth + 1)
        return fc.string({ maxLength: 8 })
    }
  })()
  const options: fc.Arbitrary<unknown>[] = [typed]
  if (pool && pool.length > 0) options.push(fc.constantFrom(...pool), fc.constantFrom(...pool))
  return fc.oneof(...options, fc.constant(null))
}

function objectFor(spec: Spec, schema: Schema, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const s = resolve(spec, schema)
  const shape: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [k, v] of Object.entries(s.properties ?? {})) shape[k] = valueFor(spec, k, v, depth)
  return fc.record(shape, { requiredKeys: [] })
}

/** Only the fields a create needs, from values the mock holds (so a good share of writes is accepted). */
function plausibleFor(spec: Spec, schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const s = resolve(spec, schema)
  const shape: Record<string, fc.Arbitrary<unknown>> = {}
  for (const k of Object.keys(s.properties ?? {})) {
    const pool = seen.get(k)
    if (pool && pool.length > 0) shape[k] = fc.constantFrom(...pool)
    else if (/^(Custom|OrgUnit)\d+$/.test(k)) shape[k] = fc.string({ maxLength: 10 })
  }
  return fc.record(shape, { requiredKeys: [] })
}

interface Generated {
  readonly op: Operation
  readonly path: string
  readonly query: [string, string][]
  readonly accept: 'application/json' | 'application/xml'
  readonly bodyAs: 'json' | 'xml'
  readonly body: Record<string, unknown> | undefined
  readonly image: { type: string; bytes: number; multipart: boolean } | undefined
  readonly admin: boolean
  readonly withToken: boolean
}

const request: fc.Arbitrary<Generated> = fc.constantFrom(...operations).chain((op) => {
  const spec = specOf.get(op.spec)!
  const pathParams = op.parameters.filter((p) => p.in === 'path')
  const queryParams = op.parameters.filter((p) => p.in === 'query')
  const pathValues = fc.tuple(
    ...pathParams.map((p) => {
      const known = existingIds(op, p.name)
      return fc.oneof(
        { weight: 6, arbitrary: known.length > 0 ? fc.constantFrom(...known) : fc.constant('gWnone') },
        {
          weight: 1,
          arbitrary: fc.constantFrom('gWnope0000000000000', 'nYoPK$pZmcowMRUqcl5bnDAwwsMydyt$xd'),
        },
        {
          weight: 1,
          arbitrary: junk.filter((j) => j !== '' && j !== '.' && j !== '..' && !/[/?#%\\]/.test(j)),
        },
      )
    }),
  )
  const query = fc
    .tuple(
      fc.subarray(queryParams, { minLength: 0 }),
      fc.array(fc.tuple(fc.constantFrom('bogus', 'Limit', '\u000b'), junk), { maxLength: 1 }),
      fc.boolean(),
    )
    .chain(([chosen, unknown, valid]) =>
      fc
        .tuple(
          ...chosen.map((p) => {
            const good =
              p.name === 'limit'
                ? fc.integer({ min: 1, max: 100 }).map(String)
                : p.type === 'boolean'
                  ? fc.constantFrom('true', 'false')
                  : p.name === 'offset'
                    ? fc.constant('')
                    : valueFor(spec, p.name, { type: p.type ?? 'string' }).map((v) =>
                        v === null ? '' : String(v),
                      )
            return (valid ? good : fc.oneof(good, junk)).map((v) => [p.name, v] as [string, string])
          }),
        )
        .map((pairs) => [
          ...pairs.filter(([k, v]) => !(k === 'offset' && v === '')),
          ...(valid ? [] : unknown),
        ]),
    )
  const body = op.body
    ? fc.oneof(
        { weight: 2, arbitrary: plausibleFor(spec, op.body) },
        { weight: 1, arbitrary: objectFor(spec, op.body) },
      )
    : fc.constant(undefined)
  const image = op.image
    ? fc.record({
        type: fc.constantFrom('image/png', 'image/jpeg', 'application/pdf', 'text/plain'),
        bytes: fc.constantFrom(0, 1, 300),
        multipart: op.path.startsWith('/api/image/v1.0/') ? fc.boolean() : fc.constant(false),
      })
    : fc.constant(undefined)
  return fc.record({
    op: fc.constant(op),
    path: pathValues.map((values) =>
      pathParams.reduce((p, param, i) => p.replace(`{${param.name}}`, encodeSegment(values[i]!)), op.path),
    ),
    query,
    accept: fc.constantFrom('application/json' as const, 'application/xml' as const),
    bodyAs: fc.constantFrom('json' as const, 'xml' as const),
    body,
    image,
    admin: fc.boolean(),
    withToken: fc.oneof(
      { weight: 15, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
  })
})

/** A path segment, percent-encoded (a lone surrogate, which cannot be encoded, is sent as U+FFFD). */
const encodeSegment = (v: string) =>
  encodeURIComponent(
    v.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  )

// ---- sending ---------------------------------------------------------------------------------------

const xmlBuilder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
})

/** A JSON body as the XML a .NET client would send: the definition name as root, nulls as i:nil. */
function toXml(root: string, body: Record<string, unknown>): string {
  const conv = (v: unknown): unknown => {
    if (v === null) return { '@_i:nil': 'true' }
    if (Array.isArray(v)) return { string: v.map((m) => String(m)) }
    if (typeof v === 'object')
      return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, conv(x)]))
    return String(v)
  }
  const content = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, conv(v)]))
  return xmlBuilder.build({
    [root]: { '@_xmlns:i': 'http://www.w3.org/2001/XMLSchema-instance', ...content },
  }) as string
}

function init(g: Generated): RequestInit {
  const headers: Record<string, string> = { accept: g.accept }
  if (g.withToken) headers.authorization = `Bearer ${g.admin ? adminToken : userToken}`
  let body: RequestInit['body']
  if (g.image) {
    const bytes = new Uint8Array(g.image.bytes).fill(7)
    if (g.image.multipart) {
      const form = new FormData()
      form.append('Image File', new Blob([bytes], { type: g.image.type }), 'receipt')
      body = form
    } else {
      headers['content-type'] = g.image.type
      body = bytes
    }
  } else if (g.body !== undefined) {
    if (g.bodyAs === 'xml') {
      headers['content-type'] = 'application/xml'
      body = toXml(refName(g.op.body) ?? 'Body', g.body)
    } else {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(g.body)
    }
  }
  return { method: g.op.method, headers, ...(body === undefined ? {} : { body }) }
}

const urlOf = (origin: string, g: Generated) => {
  const q = new URLSearchParams(g.query).toString()
  return `${origin}${g.path}${q ? `?${q}` : ''}`
}

// ---- judging ---------------------------------------------------------------------------------------

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
})

/** The XML element as the JSON value the schema describes (the v3.0 DataContract shapes). */
function fromXml(spec: Spec, schema: Schema, el: unknown): unknown {
  if (el !== null && typeof el === 'object' && (el as Record<string, unknown>)['@_nil'] === 'true')
    return null
  const s = resolve(spec, schema)
  const text = typeof el === 'object' && el !== null ? ((el as Record<string, unknown>)['#text'] ?? '') : el
  switch (s.type) {
    case 'integer':
    case 'number':
      return text === '' ? null : Number(text)
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text
    case 'string':
      return typeof text === 'string' ? text : String(text)
    case 'array': {
      // Either the members repeat in place, or they sit in a wrapper element.
      const members = Array.isArray(el) ? el : el === undefined ? [] : [el]
      return members.map((m) => fromXml(spec, s.items ?? {}, m))
    }
    default: {
      if (typeof el !== 'object' || el === null) return el
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(el as Record<string, unknown>)) {
        if (k.startsWith('@_') || k === '#text') continue
        const prop = s.properties?.[k]
        if (!prop) {
          out[k] = v
          continue
        }
        const target = resolve(spec, prop)
        if (k === 'Items' && prop.$ref) {
          // v3.0 collections: <Items><Report>…</Report>…</Items>
          const wrapped = typeof v === 'object' && v !== null ? Object.values(v as object)[0] : undefined
          const list = Array.isArray(wrapped) ? wrapped : wrapped === undefined ? [] : [wrapped]
          out[k] = list.map((m) => fromXml(spec, prop, m))
        } else if (
          target.type === 'array' &&
          typeof v === 'object' &&
          v !== null &&
          !Array.isArray(v) &&
          !('@_nil' in v)
        ) {
          // A member repeated in place (v1.1: <FormData><Name/>…</FormData>) or members in a wrapper
          // element (v3.0: <Policies><Policy>…</Policy></Policies>, <X><string>a</string></X>).
          const member = resolve(spec, target.items ?? {})
          const keys = Object.keys(v).filter((x) => !x.startsWith('@_'))
          const inPlace = member.properties !== undefined && keys.every((x) => x in member.properties!)
          out[k] = inPlace ? fromXml(spec, target, [v]) : fromXml(spec, target, Object.values(v as object)[0])
        } else out[k] = fromXml(spec, prop, v)
      }
      return out
    }
  }
}

const disagreements: string[] = []

/** Every way the answer disagrees with the spec (after the quirks) and concur-api.md. */
async function judge(g: Generated, res: Response): Promise<string[]> {
  const problems: string[] = []
  const op = g.op
  const spec = specOf.get(op.spec)!
  const text = await res.text()
  const type = res.headers.get('content-type') ?? ''
  const where = `${op.method} ${op.specPath} → ${res.status}`
  if (res.status >= 500) problems.push(`${where}: a 5xx`)
  for (const q of op.quirks) applied(q)
  const documented = op.statuses.includes(res.status)
  if (!documented) {
    if (GENERIC_ERRORS.includes(res.status)) applied('undocumented-error-statuses')
    else if (op.image && (res.status === 413 || res.status === 415)) applied('image-body')
    else if (!(res.status === 200 && op.method === 'PUT' && op.statuses.length === 0))
      problems.push(`${where}: status not documented (${op.statuses.join(', ')})`)
  }
  if (op.image) applied('image-body')
  if (op.path.includes('/invoice/') && res.status === 404) applied('invoice-images')
  const xmlOnly = !op.produces.includes('application/json')
  if (xmlOnly && op.path.startsWith('/api/')) applied('image-produces-xml')
  const expectXml = xmlOnly || g.accept === 'application/xml'
  if (text === '') {
    if (!(res.status === 200 && (op.method === 'PUT' || op.method === 'DELETE')))
      problems.push(`${where}: empty body`)
    else {
      applied(refName(op.answer) === 'Void' ? 'void-schema' : 'deprecated-list-put')
    }
    if (!type.startsWith(expectXml ? 'application/xml' : 'application/json'))
      problems.push(`${where}: empty answer typed '${type}' for Accept ${g.accept}`)
    return problems
  }
  if (!type.startsWith(expectXml ? 'application/xml' : 'application/json'))
    problems.push(`${where}: content type '${type}' for Accept ${g.accept}`)
  let body: unknown
  if (type.startsWith('application/xml')) {
    const ok = XMLValidator.validate(text)
    if (ok !== true)
      return [...problems, `${where}: XML not well-formed (${ok.err.msg}): ${text.slice(0, 200)}`]
    body = xmlParser.parse(text)
  } else {
    try {
      body = JSON.parse(text)
    } catch {
      return [...problems, `${where}: JSON does not parse: ${text.slice(0, 200)}`]
    }
  }
  if (res.status >= 400) {
    const why = errorBodyProblem(g.path, g.accept, res.status, text)
    if (why) problems.push(`${where}: ${why}`)
    // The router's own 404 (no route at all, as opposed to "no such record") means the operation
    // the spec lists is not served; only the invoice images are known to be missing.
    const message =
      /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ??
      (body as { Error?: { Message?: string } })?.Error?.Message
    if (res.status === 404 && message === 'Not Found' && !op.path.includes('/invoice/'))
      problems.push(`${where}: the operation is not routed (${g.path})`)
    return problems
  }
  const def = refName(op.answer)
  if (res.status === 200 && def && def !== 'Void') {
    let value = body
    if (type.startsWith('application/xml')) {
      const root = Object.keys(body as object).find((k) => !k.startsWith('?'))
      value = fromXml(spec, { $ref: `#/definitions/${def}` }, (body as Record<string, unknown>)[root!])
    }
    const validate = validatorOf(spec.name, def)
    applied('nullable')
    if (def.endsWith('Collection')) applied('collection-items-array')
    if (!validate(value))
      problems.push(
        `${where}: ${def} ${ajv.errorsText(validate.errors, { dataVar: 'body' })} in ${JSON.stringify(value).slice(0, 300)}`,
      )
  }
  return problems
}

/** After an accepted write, the record read back keeps the documented types (JSON and XML). */
async function readBack(
  g: Generated,
  res: Response,
  fetcher: typeof fetch,
  origin: string,
): Promise<string[]> {
  const op = g.op
  if (
    res.status !== 200 ||
    (op.method !== 'POST' && op.method !== 'PUT') ||
    !op.path.startsWith('/api/v3.0/')
  )
    return []
  const itemOp = operations.find((o) => o.method === 'GET' && o.spec === op.spec && o.path.endsWith('/{id}'))
  if (!itemOp) return []
  let id: string
  if (op.method === 'PUT') id = decodeURIComponent(g.path.split('/').at(-1)!)
  else {
    const created = res.headers.get('content-type')?.startsWith('application/xml')
      ? /<ID>([^<]+)<\/ID>/.exec(await res.clone().text())?.[1]
      : ((await res.clone().json()) as { ID?: string }).ID
    if (!created) return [`${op.method} ${op.specPath}: no ID in the create answer`]
    id = created
  }
  const problems: string[] = []
  for (const accept of ['application/json', 'application/xml'] as const) {
    const read: Generated = {
      ...g,
      op: itemOp,
      path: itemOp.path.replace('{id}', id),
      query: [],
      accept,
      body: undefined,
      image: undefined,
      admin: true,
      withToken: true,
    }
    const got = await fetcher(urlOf(origin, read), init(read))
    if (got.status !== 200) {
      problems.push(`${op.method} ${op.specPath} then GET: ${got.status}`)
      continue
    }
    problems.push(...(await judge(read, got)).map((p) => `after ${op.method} ${op.specPath}: ${p}`))
  }
  figures.writesReadBack++
  return problems
}

function count(g: Generated, status: number): void {
  figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1
  const key = `${g.op.method} ${g.op.specPath}`
  const per = figures.byOperation[key] ?? {}
  figures.byOperation[key] = per
  per[status] = (per[status] ?? 0) + 1
}

async function exercise(g: Generated, fetcher: typeof fetch, origin: string): Promise<void> {
  const res = await fetcher(urlOf(origin, g), init(g))
  count(g, res.status)
  const problems = [...(await readBack(g, res, fetcher, origin)), ...(await judge(g, res.clone()))]
  if (problems.length > 0) {
    figures.disagreements += problems.length
    disagreements.push(...problems)
    throw new Error(problems.join('\n'))
  }
}

// ---- the properties --------------------------------------------------------------------------------

describe("the mock against Concur's swagger files", () => {
  let running: RunningMock | undefined
  afterAll(async () => {
    await running?.close()
    await recordFigures('spec-fidelity', { ...figures, quirks: SWAGGER_QUIRKS.map((q) => q.id) })
  })

  it('reads every swagger file and operation', () => {
    expect(specs.length).toBe(16)
    expect(operations.length).toBeGreaterThanOrEqual(60)
    // Every quirk of the list is about a file that is present.
    expect(new Set(SWAGGER_QUIRKS.map((q) => q.id)).size).toBe(SWAGGER_QUIRKS.length)
  })

  it(
    'answers generated requests (in-process) as the specs document, writes keep documented types',
    async () => {
      const started = performance.now()
      await assertProperty(
        fc.asyncProperty(request, async (g) => {
          figures.requests++
          await exercise(g, mock.fetch, base)
        }),
        { numRuns: IN_PROCESS_RUNS, seed: SEED, endOnFailure: true },
      )
      // Every operation was tried.
      expect(Object.keys(figures.byOperation).length).toBe(operations.length)
      expect(figures.writesReadBack).toBeGreaterThan(LONG ? 500 : 30)
      expect(performance.now() - started).toBeLessThan(LONG ? 600_000 : 60_000)
    },
    LONG ? 900_000 : 120_000,
  )

  it(
    'answers a sample over a real socket the same way',
    async () => {
      running = await mock.listen({ port: 0 })
      const origin = running.datacenters.us!
      await assertProperty(
        fc.asyncProperty(request, async (g) => {
          figures.socketRequests++
          await exercise(g, fetch, origin)
        }),
        { numRuns: SOCKET_RUNS, seed: SEED + 1, endOnFailure: true },
      )
    },
    LONG ? 600_000 : 60_000,
  )

  it('found no disagreement outside the reviewed quirk list', () => {
    expect(disagreements).toEqual([])
  })
})
