import { RESOURCES } from '@concurkit/contract'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import fc from 'fast-check'
import { Pool } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorBodyProblem } from './error-bodies.ts'
import { assertProperty, heapUsed, recordFigures, scale } from './helpers.ts'

const SEED = 4711
const IN_PROCESS_RUNS = scale(10_000, 50_000)
const SOCKET_RUNS = scale(1_000, 5_000)
const MAX_MS = 1_000
const ADMIN_KEY = 'fuzz-admin-key-never-sent'

const mock = createMockConcur({ seed: SEED, companies: 3, size: 25, adminKey: ADMIN_KEY })
const company = mock.state.companies[0]!
const other = mock.state.companies[1]!
const figures = {
  inProcess: 0,
  socket: 0,
  rawSocket: 0,
  refusedByParser: 0,
  byStatus: {} as Record<string, number>,
  maxMs: 0,
}

/** Tokens the requests may carry: admin, plain user, company-wide, another company's, an app token. */
const tokens: string[] = []

beforeAll(async () => {
  const iss = mock.state.baseUrl(company.datacenter)
  const grant = (c: typeof company, userIndex: number | undefined, type: 'user' | 'company' | 'app') =>
    mock.state.tokens.issueAccessToken({
      type,
      companyId: c.id,
      ...(userIndex === undefined ? {} : { userIndex }),
      subject: userIndex === undefined ? c.id : mock.state.user(c, userIndex)!.id,
      clientId: c.apps[0]!.clientId,
      scopes: [...c.apps[0]!.scopes],
      issuer: iss,
    })
  for (const t of await Promise.all([
    grant(company, 0, 'user'),
    grant(company, 2, 'user'),
    grant(company, undefined, 'company'),
    grant(other, 0, 'user'),
    grant(company, undefined, 'app'),
  ]))
    tokens.push(t.token)
})

// ---- arbitraries ---------------------------------------------------------------------------------

const weird = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    '-1',
    '0',
    '1e309',
    '99999999999999999999999',
    'NaN',
    'null',
    'ALL',
    'all',
    '../../etc/passwd',
    '%00',
    '%',
    '%ZZ',
    '<x>',
    "' OR 1=1 --",
    '2024-02-30',
    '2024-13-01T25:61:61',
    '9999-12-31',
    '0000-00-00',
    'true',
    'A_APPR,A_PEND',
    '\u0000',
    '\ud800',
    '🙂',
  ),
  fc.integer().map(String),
  fc.constant('x'.repeat(5_000)),
)

const segment = fc.oneof(
  fc.constantFrom('x', '..', '.', '%2e%2e', '%2F', '%', '%ZZ', '', '🙂', 'gWnope', '{id}', 'null', '0'),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/),
)

const KNOWN_PATHS = [
  ...new Set(
    RESOURCES.flatMap((r) => [r.path, ...(r.itemPath ? [r.itemPath] : [])]).map((p) =>
      p.startsWith('/') ? p : `/${p}`,
    ),
  ),
  '/oauth2/v0/token',
  '/oauth2/v0/authorize',
  '/oauth2/v0/jwks',
  '/oauth2/v0/otp',
  '/app-mgmt/v0/connections',
  `/profile-service/v1/keys/principals/${company.id}/authtoken/`,
  '/expensereports/v4/users/x/context/TRAVELER/reports',
  '/api/platform/notifications/v1.0/notification',
  '/api/expense/expensereport/v2.0/report/x',
  '/api/expense/extract/v1.0/',
  '/api/travel/trip/v1.1/',
  '/api/user/v1.0/user',
  '/imaging/v3/receipts/x',
  '/_mock/manifest',
  '/_mock/faults',
  '/_mock/reset',
  '/_mock/reseed',
  '/_mock/clock',
  '/_mock/journal',
  '/_mock/console',
  '/_mock/connectors',
]

const path = fc
  .oneof(
    { weight: 6, arbitrary: fc.constantFrom(...KNOWN_PATHS) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...KNOWN_PATHS), fc.array(segment, { maxLength: 3 }))
        .map(([p, extra]) => [p.replace(/\{[^}]+\}/g, 'gWx1'), ...extra].join('/')),
    },
    { weight: 1, arbitrary: fc.array(segment, { maxLength: 5 }).map((s) => `/${s.join('/')}`) },
    { weight: 1, arbitrary: fc.constant(`/api/v3.0/expense/${'a/'.repeat(2_000)}`) },
  )
  .map((p) => p.replace(/\{[^}]+\}/g, (m) => (m.length % 2 ? 'gWx1' : '123')))

const PARAMS = [
  ...new Set(RESOURCES.flatMap((r) => r.filters.map((f) => f.param))),
  'user',
  'limit',
  'offset',
  'Page',
  'ItemsPerPage',
  'includeMetadata',
  'grant_type',
  'client_id',
  'client_secret',
  'username',
  'password',
  'refresh_token',
  'scope',
  'redirect_uri',
  'response_type',
  'state',
  'code',
  'credtype',
  'since',
  'resource',
  'company',
]

const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAMS), fc.string({ maxLength: 12 })), weird), {
  maxLength: 6,
})

const authorization = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: 0, max: 4 }).map((i) => `Bearer ${tokens[i]}`),
  fc.integer({ min: 0, max: 4 }).map((i) => `OAuth ${tokens[i]}`),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Basic',
    'Basic !!!',
    'Bearer a.b.c',
    'Bearer eyJhbGciOiJub25lIn0.e30.',
  ),
  fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`),
  fc.string({ maxLength: 40 }).map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
  fc.string({ maxLength: 60 }),
)

const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=latin1',
  'application/json',
  'application/json; charset=utf-16',
  'application/xml',
  'text/plain',
  'multipart/form-data; boundary=x',
  'image/png',
  ';;;',
]

const body = fc.oneof(
  fc.constant(undefined),
  fc
    .array(fc.tuple(fc.constantFrom(...PARAMS), weird), { maxLength: 8 })
    .map((pairs) => new URLSearchParams(pairs).toString()),
  fc.constantFrom(
    `grant_type=password&client_id=${company.apps[0]!.clientId}&client_secret=${company.apps[0]!.clientSecret}&username=x&password=y`,
    `grant_type=refresh_token&client_id=${company.apps[0]!.clientId}&client_secret=${company.apps[0]!.clientSecret}&refresh_token=nope`,
    'a=%ZZ&b=%',
    '{"seed": 1, "size": 999999999}',
    '{"method":"GET","path":"/api/**","status":500}',
  ),
  fc.json({ maxDepth: 3 }),
  fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)),
  fc.constant(Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1])),
  fc.constant(`a=${'x'.repeat(70 * 1024)}`),
  fc.constant(`${'['.repeat(5_000)}${']'.repeat(5_000)}`),
)

const METHODS = [
  'GET',
  'GET',
  'POST',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'HEAD',
  'OPTIONS',
  'PROPFIND',
] as const

const requestArb = fc.record({
  method: fc.constantFrom(...METHODS),
  path,
  query,
  authorization,
  accept: fc.option(
    fc.constantFrom('application/json', 'application/xml', 'text/xml', '*/*', 'text/html', 'x/y;q=2'),
    { nil: undefined },
  ),
  contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
  contentEncoding: fc.option(fc.constantFrom('gzip', 'br', 'identity', 'x'), { freq: 8, nil: undefined }),
  body,
})
type FuzzRequest = typeof requestArb extends fc.Arbitrary<infer T> ? T : never

function urlOf(r: FuzzRequest): string {
  const q = new URLSearchParams(r.query).toString()
  return `${r.path}${q ? `?${q}` : ''}`
}

function headersOf(r: FuzzRequest): Record<string, string> {
  const h: Record<string, string> = {}
  if (r.authorization !== undefined) h.authorization = r.authorization.replace(/[\r\n\0]/g, '')
  if (r.accept) h.accept = r.accept
  if (r.contentType) h['content-type'] = r.contentType
  if (r.contentEncoding) h['content-encoding'] = r.contentEncoding
  return h
}

/** A request target for the wire: non-printable and non-ASCII characters percent-encoded. */
function wirePath(url: string): string {
  return url.replace(/[^\x21-\x7e]/gu, (ch) => {
    try {
      return encodeURIComponent(ch)
    } catch {
      return '%EF%BF%BD' // a lone surrogate: U+FFFD
    }
  })
}

const hasBody = (r: FuzzRequest) => r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD'

/** The property: no 5xx, answered within a second, a 4xx carries the family's documented body. */
function checkAnswer(r: FuzzRequest, status: number, ms: number, text: string): void {
  figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1
  figures.maxMs = Math.max(figures.maxMs, ms)
  const where = `${r.method} ${urlOf(r).slice(0, 160)}`
  if (status >= 500) throw new Error(`${where} → ${status}: ${text.slice(0, 300)}`)
  if (ms > MAX_MS) throw new Error(`${where} took ${Math.round(ms)} ms`)
  if (status >= 400 && r.method !== 'HEAD') {
    const problem = errorBodyProblem(r.path, r.accept, status, text)
    if (problem) throw new Error(`${where}: ${problem}`)
  }
}

describe('fuzzing the mock', () => {
  it(`${IN_PROCESS_RUNS} generated requests in-process: never a 5xx, a crash or a slow answer; documented 4xx bodies`, async () => {
    const before = heapUsed()
    await assertProperty(
      fc.asyncProperty(requestArb, async (r) => {
        const started = performance.now()
        let res: Response
        try {
          res = await mock.app.request(urlOf(r), {
            method: r.method,
            headers: headersOf(r),
            ...(hasBody(r) ? { body: r.body as string | Uint8Array } : {}),
          })
        } catch (err) {
          throw new Error(`${r.method} ${urlOf(r).slice(0, 160)} threw ${String(err)}`)
        }
        const text = await res.text()
        figures.inProcess++
        checkAnswer(r, res.status, performance.now() - started, text)
      }),
      { numRuns: IN_PROCESS_RUNS, seed: SEED, endOnFailure: true },
    )
    const grown = heapUsed() - before
    // Bounded caches (verified tokens, journal) may fill; a leak per request would pass this easily.
    expect(grown).toBeLessThan(scale(150, 300) * 1024 * 1024)
  }, 120_000)

  describe('over a real socket', () => {
    let running: RunningMock
    let pool: Pool
    beforeAll(async () => {
      running = await mock.listen({ port: 0 })
      pool = new Pool(running.admin, { connections: 8 })
    })
    afterAll(async () => {
      await pool?.close()
      await running?.close()
      await recordFigures('fuzz-mock', figures)
    })

    it(`${SOCKET_RUNS} generated requests over HTTP/1.1`, async () => {
      await assertProperty(
        fc.asyncProperty(requestArb, async (r) => {
          const started = performance.now()
          const res = await pool.request({
            method: r.method,
            path: wirePath(urlOf(r)),
            headers: headersOf(r),
            ...(hasBody(r) ? { body: r.body as string | Buffer } : {}),
          })
          const text = await res.body.text()
          figures.socket++
          const head = wirePath(urlOf(r)).length + Object.values(headersOf(r)).join('').length
          if (
            (res.statusCode === 431 || res.statusCode === 400) &&
            res.headers['concur-correlationid'] === undefined &&
            head > 12_000
          ) {
            // Node's HTTP parser refuses a request head over 16 KiB before any route sees it.
            figures.refusedByParser++
            return
          }
          checkAnswer(r, res.statusCode, performance.now() - started, text)
        }),
        { numRuns: SOCKET_RUNS, seed: SEED + 1, endOnFailure: true },
      )
    }, 120_000)

    it('malformed HTTP on the wire is refused and the server keeps serving', async () => {
      const { connect } = await import('node:net')
      const url = new URL(running.admin)
      const raw = [
        'GARBAGE\r\n\r\n',
        'GET / HTTP/9.9\r\n\r\n',
        `GET /api/v3.0/expense/reports HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
        'POST /oauth2/v0/token HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc',
        'POST /oauth2/v0/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
        'GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n',
        'POST /oauth2/v0/token HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef',
      ]
      for (const payload of raw) {
        const answer = await new Promise<string>((resolve) => {
          const socket = connect(Number(url.port), url.hostname)
          let data = ''
          socket.setTimeout(300, () => socket.destroy())
          socket.on('data', (d) => {
            data += d.toString('latin1')
          })
          socket.on('close', () => resolve(data))
          socket.on('error', () => resolve(data))
          socket.write(payload)
          socket.end()
        })
        figures.rawSocket++
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)
        expect({ payload: payload.slice(0, 40), fiveHundred: status >= 500 }).toEqual({
          payload: payload.slice(0, 40),
          fiveHundred: false,
        })
      }
      const res = await pool.request({ method: 'GET', path: '/oauth2/v0/jwks' })
      expect(res.statusCode).toBe(200)
      await res.body.text()
    })
  })
})
