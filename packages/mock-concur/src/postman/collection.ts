import {
  type FilterDefinition,
  getResource,
  isResourceName,
  RESOURCES,
  type ResourceDefinition,
} from '@concurkit/contract'

/** A Postman object (plain JSON, Postman collection format v2.1). */
type Json = Record<string, unknown>

/** Options of {@link buildPostmanCollection}. */
export interface PostmanCollectionOptions {
  /** Default of the `baseUrl` variable (an environment overrides it). Default `http://127.0.0.1:4010`. */
  baseUrl?: string
  /** Shown in the collection's description. Default `0.1.0`. */
  version?: string
}

/** The Postman v2.1 collection schema URL. */
export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json'

/** A URL object from a path and query (`{param}` placeholders already replaced by `{{variables}}`). */
function url(path: string, query: readonly Json[] = []): Json {
  const raw = `{{baseUrl}}${path}`
  const enabled = query.filter((q) => q.disabled !== true)
  const search = enabled.map((q) => `${q.key}=${q.value}`).join('&')
  return {
    raw: search ? `${raw}?${search}` : raw,
    host: ['{{baseUrl}}'],
    path: path.split('/').filter(Boolean),
    ...(query.length ? { query } : {}),
  }
}

const test = (lines: readonly string[]): Json => ({
  listen: 'test',
  script: { type: 'text/javascript', exec: lines },
})

const form = (fields: Record<string, string>): Json => ({
  mode: 'urlencoded',
  urlencoded: Object.entries(fields).map(([key, value]) => ({ key, value, type: 'text' })),
})

/** A POST to `/oauth2/v0/token`. */
function tokenRequest(
  name: string,
  description: string,
  fields: Record<string, string>,
  script: string[],
): Json {
  return {
    name,
    event: [test(script)],
    request: {
      auth: { type: 'noauth' },
      method: 'POST',
      header: [{ key: 'Accept', value: 'application/json' }],
      body: form({ client_id: '{{clientId}}', client_secret: '{{clientSecret}}', ...fields }),
      url: url('/oauth2/v0/token'),
      description,
    },
  }
}

/** The OAuth2 folder: every grant, the refresh loop with rotation written back, and its error case. */
function oauthFolder(): Json {
  return {
    name: 'OAuth2',
    description:
      'Concur’s token endpoint (`POST /oauth2/v0/token`). Run the folder in order: the password grant seeds `refreshToken` once; each run of the refresh grant sends it, stores the new one (rotation) and keeps the old one as `previousRefreshToken`, which the next request proves is no longer accepted (code 108).',
    item: [
      tokenRequest(
        'Password grant',
        'A user’s login and password (`grant_type=password`). Stores `accessToken` (used by every resource request) and, when none is stored yet, `refreshToken`.',
        { grant_type: 'password', username: '{{username}}', password: '{{password}}' },
        [
          "pm.test('200 with access and refresh tokens', function () {",
          '  pm.response.to.have.status(200);',
          '  var body = pm.response.json();',
          '  pm.expect(body.access_token).to.be.a("string").and.not.empty;',
          '  pm.expect(body.refresh_token).to.be.a("string").and.not.empty;',
          '  pm.expect(body.geolocation).to.be.a("string");',
          "  pm.environment.set('accessToken', body.access_token);",
          "  // the user's UUID (`sub`), for paths that name the user (Receipts v4 `{userId}`)",
          "  var part = body.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');",
          "  pm.environment.set('userId', JSON.parse(atob(part + '==='.slice((part.length + 3) % 4))).sub);",
          "  if (!pm.environment.get('refreshToken')) pm.environment.set('refreshToken', body.refresh_token);",
          '});',
        ],
      ),
      tokenRequest(
        'Refresh token grant (rotation)',
        'Exchanges `refreshToken` for new tokens. The answer carries a NEW refresh token (the old one is spent): the test script writes it back, so the next run (or iteration) refreshes with it.',
        { grant_type: 'refresh_token', refresh_token: '{{refreshToken}}' },
        [
          "var sent = pm.environment.get('refreshToken');",
          "pm.test('200 with a new refresh token, written back', function () {",
          '  pm.response.to.have.status(200);',
          '  var body = pm.response.json();',
          '  pm.expect(body.refresh_token).to.be.a("string").and.not.empty;',
          '  pm.expect(body.refresh_token).to.not.equal(sent);',
          "  pm.environment.set('previousRefreshToken', sent);",
          "  pm.environment.set('refreshToken', body.refresh_token);",
          "  pm.environment.set('accessToken', body.access_token);",
          '});',
        ],
      ),
      tokenRequest(
        'Refresh token reused: code 108 (error case)',
        'Sends the refresh token the rotation spent. Concur answers 400 `{"error":"invalid_grant","error_description":"bad or expired refresh token","code":108}`.',
        { grant_type: 'refresh_token', refresh_token: '{{previousRefreshToken}}' },
        [
          "pm.test('400 invalid_grant, code 108', function () {",
          '  pm.response.to.have.status(400);',
          '  var body = pm.response.json();',
          "  pm.expect(body.error).to.equal('invalid_grant');",
          '  pm.expect(body.code).to.equal(108);',
          '});',
        ],
      ),
      {
        name: 'Company request token (mock admin API)',
        event: [
          test([
            "pm.test('201 with a request token', function () {",
            '  pm.response.to.have.status(201);',
            "  pm.environment.set('requestToken', pm.response.json().requestToken);",
            '});',
          ]),
        ],
        request: {
          auth: { type: 'noauth' },
          method: 'POST',
          header: [
            { key: 'Content-Type', value: 'application/json' },
            { key: 'x-mock-admin-key', value: '{{mockAdminKey}}' },
          ],
          body: { mode: 'raw', raw: '{"clientId":"{{clientId}}"}' },
          url: url('/_mock/companies/{{companyUUID}}/request-token'),
          description:
            'The mock’s stand-in for Concur’s Company Request Token tool (Administration → Company → Authentication Admin): a request token for this app, valid 24 hours and reusable within them. Not a Concur API.',
        },
      },
      tokenRequest(
        'Company request token grant',
        'Exchanges the company request token for a company-level token (`grant_type=password`, `credtype=authtoken`, `username` = company UUID). Stores `companyAccessToken` and `companyRefreshToken`.',
        {
          grant_type: 'password',
          credtype: 'authtoken',
          username: '{{companyUUID}}',
          password: '{{requestToken}}',
        },
        [
          "pm.test('200 with a company token', function () {",
          '  pm.response.to.have.status(200);',
          '  var body = pm.response.json();',
          '  pm.expect(body.refresh_token).to.be.a("string").and.not.empty;',
          "  pm.environment.set('companyAccessToken', body.access_token);",
          "  pm.environment.set('companyRefreshToken', body.refresh_token);",
          '});',
        ],
      ),
      tokenRequest(
        'Client credentials grant',
        'An application token (`grant_type=client_credentials`): no refresh token, and no company data.',
        { grant_type: 'client_credentials' },
        [
          "pm.test('200 without a refresh token', function () {",
          '  pm.response.to.have.status(200);',
          '  var body = pm.response.json();',
          '  pm.expect(body.access_token).to.be.a("string").and.not.empty;',
          '  pm.expect(body).to.not.have.property("refresh_token");',
          "  pm.environment.set('appAccessToken', body.access_token);",
          '});',
        ],
      ),
    ],
  }
}

/** Where the value of a path parameter comes from: the first record of an earlier request's answer. */
interface ParamSource {
  /** The Postman variable. */
  readonly variable: string
  /** JSON (`Items[0].<field>`) or XML (`<element>`) field of the source answer. */
  readonly json?: string
  readonly xml?: string
  /** Keep only the last path segment (Concur gives some ids as URLs). */
  readonly lastSegment?: boolean
  /** Dot path of the record array when it is not `Items` (current APIs: `Resources`, `content`). */
  readonly items?: string
}

const camel = (key: string) => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())

/** The variable a path parameter of an endpoint reads, and the list answer that sets it. */
function paramSource(endpointKey: string, param: string): ParamSource & { from: string } {
  switch (param) {
    case 'ReportID':
      return { variable: 'reportId', from: 'expense-reports', json: 'ID' }
    case 'DefinitionID':
      return { variable: 'extractDefinitionId', from: 'extract-definitions', xml: 'id', lastSegment: true }
    case 'JobID':
      return { variable: 'extractJobId', from: 'extract-jobs', xml: 'id', lastSegment: true }
    case 'tripId':
      return { variable: 'tripId', from: 'travel-itineraries', xml: 'TripId' }
    case 'FormId':
      return { variable: 'formId', from: 'expense-form-forms', xml: 'FormId' }
    case 'userId':
      // the token's own user: set by the password grant from the access token's `sub`
      return { variable: 'userId', from: '' }
    default: {
      const row = isResourceName(endpointKey) ? getResource(endpointKey) : undefined
      if (row?.paging.kind === 'json')
        return {
          variable: `${camel(endpointKey)}Id`,
          from: endpointKey,
          json: row.idField,
          items: row.paging.items,
        }
      return { variable: `${camel(endpointKey)}Id`, from: endpointKey, json: 'ID' }
    }
  }
}

/** Replaces `{param}` by the Postman variable it reads. */
const withVariables = (key: string, path: string) =>
  path.replace(/\{([^}]+)\}/g, (_, p: string) => `{{${paramSource(key, p).variable}}}`)

/** A documented filter as a (disabled) query parameter, with a placeholder value of its type. */
function filterParam(f: FilterDefinition): Json {
  const value =
    f.type === 'boolean'
      ? 'true'
      : f.type === 'date'
        ? '2024-01-01'
        : f.type === 'datetime'
          ? '2024-01-01T00:00:00'
          : f.type === 'int'
            ? '1'
            : f.type === 'enum'
              ? (f.values?.[0] ?? '')
              : ''
  return { key: f.param, value, description: `${f.description} (${f.type})`, disabled: true }
}

/** Query parameters the list request sends (an administrator reads everyone's records). */
function enabledQuery(row: ResourceDefinition): Json[] {
  const on = (key: string, value: string, description: string): Json => ({ key, value, description })
  const q: Json[] = []
  if (row.paging.kind === 'v3') q.push(on('limit', '10', `records per page (at most ${row.paging.maxLimit})`))
  if (row.userParam === 'user') q.push(on('user', 'ALL', 'every user of the company (administrators)'))
  if (row.name === 'travel-itineraries') {
    q.push(on('userid_type', 'login', 'who the trips belong to'))
    q.push(on('userid_value', 'ALL', 'every traveller (administrators)'))
    q.push(on('startDate', '2020-01-01', 'trips ending on or after'))
    q.push(on('endDate', '2030-12-31', 'trips starting on or before'))
  }
  return q
}

/** Test script lines: a 2xx answer and, for the sources of later requests, the captured id. */
function listScript(key: string): string[] {
  const lines = ["pm.test('2xx', function () { pm.response.to.be.success; });"]
  const consumers = new Set<string>()
  for (const row of Object.values(RESOURCES)) {
    for (const p of `${row.path} ${row.itemPath ?? ''}`.matchAll(/\{([^}]+)\}/g)) {
      const s = paramSource(row.name, p[1]!)
      if (s.from === key) consumers.add(JSON.stringify(s))
    }
    for (const r of row.related ?? [])
      for (const p of `${r.path} ${r.itemPath ?? ''}`.matchAll(/\{([^}]+)\}/g)) {
        const s = paramSource(r.key, p[1]!)
        if (s.from === key) consumers.add(JSON.stringify(s))
      }
  }
  for (const raw of consumers) {
    const s = JSON.parse(raw) as ParamSource
    const list = (s.items ?? 'Items')
      .split('.')
      .filter(Boolean)
      .reduce((expr, k) => `(${expr} || {})[${JSON.stringify(k)}]`, 'pm.response.json()')
    const read = s.json
      ? `var v = (${list} || [])[0]; v = v && v[${JSON.stringify(s.json)}];`
      : `var m = pm.response.text().match(/<${s.xml}>([^<]+)<\\/${s.xml}>/); var v = m && m[1];`
    lines.push(
      `pm.test('captures ${s.variable}', function () {`,
      `  ${read}`,
      '  pm.expect(v, "a first record").to.be.ok;',
      s.lastSegment ? "  v = String(v).split('/').pop();" : '',
      `  pm.environment.set('${s.variable}', String(v));`,
      '});',
    )
  }
  return lines.filter(Boolean)
}

function getRequest(
  name: string,
  path: string,
  query: Json[],
  row: { format: string; tokenKinds?: readonly string[] },
  script: string[],
  description: string,
): Json {
  // an API that refuses user tokens (Identity v4) is read with the company token of the OAuth folder
  const companyOnly = row.tokenKinds !== undefined && !row.tokenKinds.includes('user')
  return {
    name,
    event: [test(script)],
    request: {
      ...(companyOnly
        ? {
            auth: {
              type: 'bearer',
              bearer: [{ key: 'token', value: '{{companyAccessToken}}', type: 'string' }],
            },
          }
        : {}),
      method: 'GET',
      header: [{ key: 'Accept', value: row.format === 'xml' ? 'application/xml' : 'application/json' }],
      url: url(path, query),
      description,
    },
  }
}

/** The requests of one registry row: its list (documented filters included, disabled) and one record. */
function resourceFolder(row: ResourceDefinition): Json {
  const items: Json[] = []
  if (row.name === 'expense-form') {
    items.push(
      getRequest(
        'List the forms of the report header form type',
        '/api/expense/expensereport/v1.1/report/Forms/RPTINFO',
        [],
        row,
        listScript('expense-form-forms'),
        'Where a `FormId` comes from (`GET report/Forms` lists the form types).',
      ),
    )
  }
  const list = `List ${row.title}`
  const listPath = withVariables(row.name, row.path)
  // A fan-out row lists per parent (its path names the parent) or reads each record by id only
  // (Expense v4 reports, payment requests: its path is no list endpoint).
  const byParentId = row.paging.kind === 'fanout' && !row.path.includes('{') ? row.paging.from : undefined
  if (
    !byParentId &&
    (row.paging.kind !== 'fanout' || (row.itemPath !== row.path && /\{[^}]+\}/.test(row.path)))
  ) {
    items.push(
      getRequest(
        list,
        listPath,
        [
          ...enabledQuery(row),
          ...row.filters.filter((f) => !enabledQuery(row).some((q) => q.key === f.param)).map(filterParam),
        ],
        row,
        listScript(row.name),
        `${row.title} (${row.api}, scope ${row.scope}${row.adminOnly ? ', administrators' : ''}). Documented filters are listed disabled: enable the ones you need.`,
      ),
    )
  }
  if (row.itemPath) {
    items.push(
      getRequest(
        `Get one ${row.title} record`,
        withVariables(byParentId ?? row.name, row.itemPath),
        [],
        row,
        ["pm.test('2xx', function () { pm.response.to.be.success; });"],
        'One record, by the id the list request captured.',
      ),
    )
  }
  for (const r of row.related ?? []) {
    items.push(
      getRequest(
        `List ${r.title}`,
        withVariables(r.key, r.path),
        r.paging.kind === 'v3' ? [{ key: 'limit', value: '10' }] : [],
        row,
        listScript(r.key),
        r.title,
      ),
    )
    if (r.itemPath)
      items.push(
        getRequest(
          `Get one ${r.title} record`,
          withVariables(r.key, r.itemPath),
          [],
          row,
          ["pm.test('2xx', function () { pm.response.to.be.success; });"],
          'One record, by the id the list request captured.',
        ),
      )
  }
  return { name: `${row.title} (${row.api})`, item: items }
}

/** The API family of a path, e.g. `Expense v3.0`, `Common v3.0`, `Expense Report v1.1`, `Trip v1.1`. */
export function apiFamily(path: string): string {
  const all = path.split('/').filter(Boolean)
  if (all[0] !== 'api') {
    // current APIs: the segment before the version names the family (`/list/v4`, `/profile/identity/v4.1`)
    const at = all.findIndex((p) => /^v\d+(\.\d+)?$/.test(p))
    // a bare `/v4/…` (Attendees v4, Attendee Types v4) is named by the segment after the version
    const word = (at === 0 ? all[1]?.replace(/^attendeetypes$/i, 'attendees') : all[at - 1]) ?? ''
    return `${word
      .replace(/^expensereports$/i, 'expense reports')
      .replace(/^expenseconfig$/i, 'expense configuration')
      .replace(/\b\w/g, (c) => c.toUpperCase())} ${all[at] ?? ''}`.trim()
  }
  const parts = all.slice(1)
  const v = parts.findIndex((p) => /^v\d+\.\d+$/.test(p))
  const word = (v === 0 ? parts[1] : parts[v - 1]) ?? ''
  const name = word.replace(/expensereport/i, 'expense report').replace(/\b\w/g, (c) => c.toUpperCase())
  return `${name} ${parts[v] ?? ''}`.trim()
}

/**
 * Builds a Postman (v2.1) collection of the mock from the resource registry: an `OAuth2` folder (the
 * password, refresh-with-rotation, company request token and client credentials grants, plus the
 * reused-refresh-token error case), then a folder per API family holding, per resource, its list
 * request (documented filters as disabled query parameters) and a one-record request whose id an
 * earlier request's test script captured. Every request has a test; variables come from an
 * environment ({@link buildPostmanEnvironment}).
 *
 * @example
 * const collection = buildPostmanCollection({ baseUrl: running.admin })
 * // newman run collection.json -e env.json --ssl-extra-ca-certs "$CA"
 */
export function buildPostmanCollection(options: PostmanCollectionOptions = {}): Json {
  const rows = Object.values(RESOURCES) as ResourceDefinition[]
  // Rows whose path parameters are read from another row's answer come after it.
  const order = (r: ResourceDefinition) => (/\{/.test(r.path) || r.api === 'v2.0' ? 1 : 0)
  const families = new Map<string, Json[]>()
  for (const row of [...rows].sort((a, b) => order(a) - order(b))) {
    const family = apiFamily(row.path)
    if (!families.has(family)) families.set(family, [])
    families.get(family)!.push(resourceFolder(row))
  }
  return {
    info: {
      name: 'concurkit mock (SAP Concur)',
      description: `Every Concur API the concurkit mock (${options.version ?? '0.1.0'}) serves, generated from @concurkit/contract's resource registry. Import it with an environment made from \`concurkit mock --json\` (GET /_mock/postman-environment.json on a running mock), run "OAuth2" first, then any folder. Over \`concurkit mock --tls\`, trust the CA file (\`tls.ca\`): Postman Settings → Certificates → CA certificates, or newman \`--ssl-extra-ca-certs\`.`,
      schema: POSTMAN_SCHEMA,
    },
    auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{accessToken}}', type: 'string' }] },
    variable: [{ key: 'baseUrl', value: options.baseUrl ?? 'http://127.0.0.1:4010', type: 'string' }],
    item: [oauthFolder(), ...[...families].map(([name, item]) => ({ name, item }))],
  }
}

/** What {@link buildPostmanEnvironment} reads: the `companies` of `concurkit mock --json` / `describeMock()`. */
export interface PostmanEnvironmentSource {
  readonly companies: readonly {
    readonly id: string
    readonly name?: string
    readonly geolocation: string
    readonly clientId: string
    readonly clientSecret: string
    readonly requestToken?: string
    readonly users: readonly {
      readonly loginId: string
      readonly password: string
      readonly roles: readonly string[]
    }[]
  }[]
}

/**
 * A Postman environment for {@link buildPostmanCollection} from `concurkit mock --json` (or
 * `describeMock()`): the first company's datacenter URL, app credentials, its Web Services
 * Administrator's login, company UUID and request token; token variables start empty.
 *
 * @example
 * const env = buildPostmanEnvironment(JSON.parse(jsonLine))
 */
export function buildPostmanEnvironment(
  description: PostmanEnvironmentSource,
  options: { company?: number; name?: string } = {},
): Json {
  const c = description.companies[options.company ?? 0]
  if (!c)
    throw new RangeError(
      `company ${options.company ?? 0}: the description has ${description.companies.length}`,
    )
  const admin = c.users.find((u) => u.roles.includes('WebServicesAdmin')) ?? c.users[0]!
  const values: Record<string, string> = {
    baseUrl: c.geolocation,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    username: admin.loginId,
    password: admin.password,
    companyUUID: c.id,
    requestToken: c.requestToken ?? '',
    mockAdminKey: '',
    accessToken: '',
    refreshToken: '',
    previousRefreshToken: '',
  }
  const secret = new Set(['clientSecret', 'password', 'requestToken', 'accessToken', 'refreshToken'])
  return {
    name: options.name ?? `concurkit mock (${c.name ?? c.id})`,
    values: Object.entries(values).map(([key, value]) => ({
      key,
      value,
      type: secret.has(key) ? 'secret' : 'default',
      enabled: true,
    })),
    _postman_variable_scope: 'environment',
  }
}
