import {
  basicAuthHeader,
  CalloutKitError,
  createConnector,
  parseEventNotification,
  parseFetchAttendeeRequest,
  parseFetchAttendeeResponse,
  parseFetchListRequest,
  parseFetchListResponse,
  sampleEventNotification,
  sampleFetchAttendeeRequest,
  sampleFetchListRequest,
  serializeEventNotification,
  serializeFetchAttendeeRequest,
  serializeFetchListRequest,
} from '@concurkit/callout-kit'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assertProperty, heapUsed, recordFigures, scale } from './helpers.ts'

const SEED = 1337
const RUNS = scale(3_000, 20_000)
const PARSER_RUNS = scale(4_000, 20_000)
const credentials = { user: 'concur-connector', password: 'fuzz-connector-password-1' }
const AUTH = basicAuthHeader(credentials)

/** What the handlers saw: nothing of an entity's expansion or a local file may ever reach them. */
const seen: string[] = []
const app = createConnector({
  credentials,
  handlers: {
    fetchAttendee: (req) => {
      seen.push(JSON.stringify(req))
      return [{ ExternalID: 'X-1', FirstName: 'Fuzz', LastName: req.LastName || 'Empty' }]
    },
    fetchList: (req) => {
      seen.push(JSON.stringify(req))
      return []
    },
    notify: (event) => {
      seen.push(JSON.stringify(event))
    },
  },
})

const PATHS = {
  attendee: '/concur/attendee/v2.0/fetch',
  attendeeV1: '/concur/attendee/v1.0/fetch',
  list: '/concur/list/v1.2/fetch',
  notify: '/concur/v1.0/notify',
} as const

const VALID: Record<keyof typeof PATHS, string> = {
  attendee: serializeFetchAttendeeRequest(sampleFetchAttendeeRequest('2.0')),
  attendeeV1: serializeFetchAttendeeRequest(sampleFetchAttendeeRequest('1.0')),
  list: serializeFetchListRequest(sampleFetchListRequest('multi')),
  notify: serializeEventNotification(sampleEventNotification()),
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<AttendeeSearchRequest><LastName>&lol9;</LastName></AttendeeSearchRequest>`

const XXE = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><AttendeeSearchRequest><LastName>&e;</LastName></AttendeeSearchRequest>`
const XXE_PARAM = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]><fetch-list-request/>`
const HOSTILE = [
  BILLION_LAUGHS,
  XXE,
  XXE_PARAM,
  `<!DOCTYPE x SYSTEM "file:///etc/passwd"><AttendeeSearchRequest/>`,
  `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`,
  `<AttendeeSearchRequest>${'<x>'.repeat(5_000)}</AttendeeSearchRequest>`,
  `<AttendeeSearchRequest><LastName>${'A'.repeat(2 * 1024 * 1024)}</LastName></AttendeeSearchRequest>`,
  `<AttendeeSearchRequest ${Array.from({ length: 20_000 }, (_, i) => `a${i}="1"`).join(' ')}/>`,
  '<?xml version="1.0" encoding="UTF-16"?><AttendeeSearchRequest/>',
  '<![CDATA[',
  '<AttendeeSearchRequest><LastName>&#0;&#xD800;&#99999999;</LastName></AttendeeSearchRequest>',
  '<AttendeeSearchRequest xmlns:x="urn:x"><x:LastName>y</x:LastName></AttendeeSearchRequest>',
  '<?xml-stylesheet href="file:///etc/passwd"?><AttendeeSearchRequest/>',
  '\uFEFF<AttendeeSearchRequest/>',
  '',
]

/** Hostile documents small enough to repeat thousands of times; the big ones are tried one by one. */
const LIGHT_HOSTILE = HOSTILE.filter((d) => d.length < 50_000)

/** A valid document changed by truncation, a splice of random text, or a doubled/removed tag. */
const mutated = (valid: string) =>
  fc.oneof(
    fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
    fc
      .tuple(fc.nat({ max: valid.length }), fc.string({ maxLength: 20 }))
      .map(([n, s]) => valid.slice(0, n) + s + valid.slice(n)),
    fc
      .tuple(
        fc.nat({ max: valid.length }),
        fc.constantFrom('<', '>', '&', '</x>', '<x>', '"', ']]>', '&amp', '\0'),
      )
      .map(([n, s]) => valid.slice(0, n) + s + valid.slice(n)),
    fc.nat({ max: valid.length }).map((n) => valid.slice(0, n) + valid.slice(n + 7)),
    fc.constant(valid.replace(/<(\w+)>/, '<$1><$1>')),
    fc.constant(valid.replace('?>', '?><!DOCTYPE x>')),
  )

const body = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...Object.values(VALID)) },
  { weight: 6, arbitrary: fc.constantFrom(...Object.values(VALID)).chain(mutated) },
  { weight: 2, arbitrary: fc.constantFrom(...LIGHT_HOSTILE) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')) },
)

const requestArb = fc.record({
  path: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...Object.values(PATHS)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '/system/v1.0/testconnection',
        '/concur/form/v1.0/get?xuserid=x&signature=abc',
        '/launchexternalurl/v4/form?signature=%ZZ',
        '/nope',
      ),
    },
  ),
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT'),
  auth: fc.oneof(
    { weight: 8, arbitrary: fc.constant(AUTH) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        undefined,
        'Basic',
        'Basic !!!',
        basicAuthHeader({ ...credentials, password: 'wrong-password-xx' }),
        `Basic ${Buffer.from(credentials.user).toString('base64')}`,
        'Bearer x',
      ),
    },
  ),
  contentType: fc.constantFrom('application/xml', 'text/xml; charset=utf-8', 'application/json', undefined),
  body,
})

const XML_ERROR =
  /^(?:<\?xml[^>]*\?>\s*)?<Error>\s*<Message>[^<]*<\/Message>\s*<Server-Time>[^<]*<\/Server-Time>\s*<Id>[^<]*<\/Id>\s*<\/Error>\s*$/

const figures = { requests: 0, hostile: 0, parserInputs: 0, byStatus: {} as Record<string, number>, maxMs: 0 }

describe('fuzzing a callout-kit connector', () => {
  it(`${RUNS} generated requests (malformed, truncated, oversize, hostile XML): 2xx or a documented 4xx, fast`, async () => {
    const before = heapUsed()
    await assertProperty(
      fc.asyncProperty(requestArb, async (r) => {
        const started = performance.now()
        const headers: Record<string, string> = {}
        if (r.auth) headers.authorization = r.auth
        if (r.contentType) headers['content-type'] = r.contentType
        let res: Response
        try {
          res = await app.request(r.path, {
            method: r.method,
            headers,
            ...(r.method === 'GET' ? {} : { body: r.body }),
          })
        } catch (err) {
          throw new Error(`${r.method} ${r.path} threw ${String(err)}`)
        }
        const text = await res.text()
        const ms = performance.now() - started
        figures.requests++
        if (HOSTILE.includes(r.body)) figures.hostile++
        figures.byStatus[res.status] = (figures.byStatus[res.status] ?? 0) + 1
        figures.maxMs = Math.max(figures.maxMs, ms)
        const where = `${r.method} ${r.path} (${r.body.length} chars)`
        if (res.status >= 500) throw new Error(`${where} → ${res.status}: ${text.slice(0, 300)}`)
        if (ms > 1_000) throw new Error(`${where} took ${Math.round(ms)} ms`)
        if (res.status >= 400 && !XML_ERROR.test(text))
          throw new Error(`${where} → ${res.status} without Concur's <Error> body: ${text.slice(0, 200)}`)
        if (res.status === 401 && !res.headers.get('www-authenticate')?.startsWith('Basic'))
          throw new Error(`${where} → 401 without a Basic challenge`)
        if (/root:|lollollol|\/bin\/(?:ba)?sh/.test(text))
          throw new Error(`${where} leaked an entity's expansion`)
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    )
    // No handler ever saw an entity's expansion or a local file.
    expect(seen.filter((s) => /root:|lollollol|\/bin\/(?:ba)?sh/.test(s))).toEqual([])
    expect(seen.length).toBeGreaterThan(0)
    expect(heapUsed() - before).toBeLessThan(200 * 1024 * 1024)
  }, 120_000)

  it('each hostile document (also 2 MiB, 100,000 levels deep, 20,000 attributes) is refused with 400 or 413 within 1 s, the handler not called', async () => {
    for (const doc of HOSTILE.filter((d) => d !== '')) {
      const started = performance.now()
      const calls = seen.length
      const res = await app.request(PATHS.attendee, {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/xml' },
        body: doc,
      })
      const text = await res.text()
      expect({ doc: doc.slice(0, 60), status: [400, 413].includes(res.status) }).toEqual({
        doc: doc.slice(0, 60),
        status: true,
      })
      expect(text).toMatch(XML_ERROR)
      expect(performance.now() - started).toBeLessThan(1_000)
      figures.hostile++
      // namespaced or BOM-prefixed documents may parse; nothing else reaches a handler
      if (!/xmlns:x|\uFEFF/.test(doc)) expect(seen.length).toBe(calls)
    }
  })

  it(`${PARSER_RUNS} generated documents through the codec parsers: a result or a typed CalloutKitError, never another throw`, async () => {
    const parsers = [
      parseFetchAttendeeRequest,
      parseFetchAttendeeResponse,
      parseFetchListRequest,
      parseFetchListResponse,
      parseEventNotification,
    ] as const
    await assertProperty(
      fc.asyncProperty(body, fc.nat({ max: parsers.length - 1 }), async (doc, i) => {
        figures.parserInputs++
        const started = performance.now()
        try {
          ;(parsers[i] as (xml: string) => unknown)(doc)
        } catch (err) {
          if (!(err instanceof CalloutKitError))
            throw new Error(`parser ${i} threw ${String(err)} for ${JSON.stringify(doc.slice(0, 120))}`)
        }
        if (performance.now() - started > 1_000) throw new Error(`parser ${i} took over 1 s`)
      }),
      { numRuns: PARSER_RUNS, seed: SEED + 1, endOnFailure: true },
    )
    await recordFigures('fuzz-connector', figures)
  }, 120_000)
})
