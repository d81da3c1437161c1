// 7. Generation vs serialisation: how fast the mock makes records, against how fast the same
// records can only be serialised. In-process (the built mock's `fetch`, no socket), one resource
// family at a time, over DISTINCT pages of a 1M-report company (so the page cache never answers):
//
//   generated = records/s of GET page → body text (routing, auth, scan, generation, serialisation)
//   ceiling   = records/s of serialising the same records alone: JSON.stringify of the page's parsed
//               items for JSON; for XML, the mock's own writer (`xmlDocument`, fast-xml-parser's
//               builder with the mock's options) on the page parsed back into objects
//   ratio     = generated ÷ ceiling (goal ≥ 0.5 for every family)
//
// Both sides run in the same process, interleaved per family, so machine load affects them alike.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createMockConcur } from '@concurkit/mock-concur'
import { encodeOffset, issueRequestToken } from '@concurkit/mock-concur/internal'
import { XMLParser } from 'fast-xml-parser'

const require = createRequire(import.meta.url)
const MOCK_DIR = dirname(require.resolve('@concurkit/mock-concur/package.json'))
const internal = (path) => import(pathToFileURL(join(MOCK_DIR, 'dist', path)).href)

const SIZE = 1_000_000
const SEED = 42
const PER_PAGE = 100
/** The smallest answer the page cache keeps: one report of the v3.0 list. */
const FLOOR_PATH = '/api/v3.0/expense/reports?limit=1&user=ALL'

export async function generationBench({ quick, log }) {
  const pages = quick ? 60 : 200
  const reps = quick ? 3 : 5
  const { xmlDocument } = await internal('resources/legacy/http.js')
  const mock = createMockConcur({ seed: SEED, size: SIZE, companies: 1, datacenters: ['us'] })
  const c = mock.state.companies[0]
  const base = mock.state.baseUrl(c.datacenter)
  const app = c.apps[0]
  const admin = c.users[0]
  // The administrator's user token for the expense and travel families; a company (application)
  // token for Identity, which refuses user tokens.
  const token = async (fields) => {
    const res = await mock.fetch(`${base}/oauth2/v0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...fields }),
    })
    if (res.status !== 200) throw new Error(`token grant answered ${res.status}`)
    return { authorization: `Bearer ${(await res.json()).access_token}` }
  }
  const userHeaders = await token({
    grant_type: 'password',
    username: admin.loginId,
    password: admin.password,
  })
  const companyHeaders = await token({
    grant_type: 'password',
    credtype: 'authtoken',
    username: c.id,
    password: issueRequestToken(mock.state, c.id, app.clientId).token,
  })
  let headers = userHeaders
  const get = async (path, own) => {
    const res = await mock.fetch(path.startsWith('http') ? path : `${base}${path}`, {
      headers: own ?? headers,
    })
    const text = await res.text()
    if (res.status !== 200)
      throw new Error(`${path.split('?')[0]} answered ${res.status}: ${text.slice(0, 200)}`)
    return text
  }
  const xml = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
  })
  // Each family: distinct page paths (or a walker for cursor paging), how to count records and
  // how to serialise them alone.
  const v3 = (route, kind, factor) => ({
    // Pages spread over the whole company (a prime stride), none asked for twice.
    paths: Array.from(
      { length: pages * reps + 1 },
      (_, k) =>
        `${route}?limit=${PER_PAGE}&user=ALL&offset=${encodeOffset(SEED, c.id, kind, ((k * 997) % ((SIZE * factor) / PER_PAGE)) * PER_PAGE)}`,
    ),
    parse: (text) => JSON.parse(text).Items,
    serialize: (items) => JSON.stringify(items),
    cached: true,
  })
  const users = c.userCount ?? 0
  const xmlFamily = (root, listPath) => ({
    parse: (text) => {
      const doc = xml.parse(text)
      return { doc: doc[root], count: [doc[root]].flatMap((d) => listPath(d) ?? []).length }
    },
    serialize: ({ doc }) => {
      const { '@_xmlns': ns, '@_xmlns:i': xsi, ...content } = doc
      return xmlDocument(root, content, { namespace: ns, xsi: xsi !== undefined })
    },
    count: (p) => p.count,
  })
  const families = {
    'v3.0 expense reports (JSON)': v3('/api/v3.0/expense/reports', 'expense-reports', 1),
    'v3.0 expense entries (JSON)': v3('/api/v3.0/expense/entries', 'expense-entries', 3),
    // v2.0 has no paging: one user's reports per request (distinct users, ~20 reports each).
    'v2.0 report list (XML)': {
      paths: Array.from(
        { length: pages * reps + 1 },
        (_, k) =>
          `/api/expense/expensereport/v2.0/Reports?LoginID=${encodeURIComponent(mock.state.user(c, 2 + ((k * 37) % (users - 2))).loginId)}`,
      ),
      ...xmlFamily('ReportsList', (d) => [d.ReportSummary ?? []].flat()),
    },
    // Trips v1.1: distinct pages of 100 of the company's 500,000 trips.
    'v1.1 trips (XML)': {
      paths: Array.from(
        { length: pages * reps + 1 },
        (_, k) =>
          `/api/travel/trip/v1.1?userid_type=login&userid_value=ALL&startDate=2000-01-01&endDate=2099-12-31&ItemsPerPage=${PER_PAGE}&Page=${1 + k}`,
      ),
      ...xmlFamily('ItineraryInfoList', (d) => [d.ItineraryInfo ?? []].flat()),
    },
    // Identity v4.1: cursor paging, walked page after page (each page distinct).
    'Identity v4.1 users (JSON)': {
      walk: true,
      company: true,
      first: `/profile/identity/v4.1/Users?count=${PER_PAGE}`,
      // The next page's cursor is read from the text (the ListResponse's last key) rather than by
      // parsing the whole page: the timed walk then holds the mock's work only, as the other
      // families' precomputed paths do (a JSON.parse of each 230 kB page used to cost more than
      // serialising its records). A body without the key at its end falls back to parsing.
      next: (text) => {
        const at = text.lastIndexOf(',"nextCursor":"')
        const tail = at < 0 ? -1 : text.indexOf('"', at + 15)
        const cur =
          at < 0 || tail !== text.length - 2 ? JSON.parse(text).nextCursor : text.slice(at + 15, tail)
        return cur ? `/profile/identity/v4.1/Users?count=${PER_PAGE}&cursor=${encodeURIComponent(cur)}` : null
      },
      parse: (text) => JSON.parse(text).Resources,
      serialize: (items) => JSON.stringify(items),
    },
  }
  // The current APIs (v4 and Invoice), each over distinct pages (or distinct records where the API
  // answers one record per request).
  const spread = (n, total) => Array.from({ length: n }, (_, k) => (k * 997) % total)
  const json = (key) => ({
    parse: (text) => JSON.parse(text)[key],
    serialize: (items) => JSON.stringify(items),
  })
  // Expense v4 reads one report per request (the client fans out from the v3.0 list): distinct
  // report ids taken from v3.0 pages spread over the company, read before anything is timed.
  const reportIds = []
  for (const k of spread(Math.ceil((pages * reps + 1) / PER_PAGE), SIZE / PER_PAGE)) {
    const text = await get(
      `/api/v3.0/expense/reports?limit=${PER_PAGE}&user=ALL&offset=${encodeOffset(SEED, c.id, 'expense-reports', k * PER_PAGE)}`,
    )
    for (const r of JSON.parse(text).Items) reportIds.push(r.ID)
  }
  // The number of travel requests: the `last` link of a one-request page starts at the last one.
  const last = JSON.parse(await get('/travelrequest/v4/requests?limit=1')).operations.find(
    (o) => o.rel === 'last',
  )
  const requestCount = Number(new URL(last.href).searchParams.get('start')) + 1
  Object.assign(families, {
    'Expense v4 report (JSON, one report per request)': {
      floor: true,
      company: true,
      paths: reportIds.slice(0, pages * reps + 1).map((id) => `/expensereports/v4/reports/${id}`),
      parse: (text) => [JSON.parse(text)],
      serialize: (items) => JSON.stringify(items[0]),
    },
    // Request v4: `start` paging over the company's travel requests (view ALL, by start date).
    'Request v4 travel requests (JSON)': {
      paths: spread(pages * reps + 1, Math.floor(requestCount / PER_PAGE)).map(
        (k) => `/travelrequest/v4/requests?limit=${PER_PAGE}&start=${k * PER_PAGE}`,
      ),
      ...json('data'),
    },
    // Invoice: a digest page carries its records twice (`PaymentRequestDigest` and `Items`, as
    // Concur answers), so the page as parsed is what is serialised alone.
    'Invoice payment request digests (JSON)': {
      paths: spread(pages * reps + 1, SIZE / PER_PAGE).map(
        (k) =>
          `/api/v3.0/invoice/paymentrequestdigests?limit=${PER_PAGE}&offset=${encodeOffset(SEED, c.id, 'payment-request-digests', k * PER_PAGE)}`,
      ),
      parse: (text) => JSON.parse(text),
      serialize: (page) => JSON.stringify(page),
      count: (page) => page.PaymentRequestDigest.length,
    },
    // Spend User Retrieval v4.1 (SCIM, company token): `startIndex` paging over the company's users;
    // a company has fewer distinct pages than a full run asks for, so chunks are shortened to fit.
    'Spend users v4.1 (SCIM JSON)': {
      company: true,
      paths: spread(
        Math.min(pages * reps + 1, Math.floor(users / PER_PAGE)),
        Math.floor(users / PER_PAGE),
      ).map((k) => `/profile/spend/v4.1/Users?count=${PER_PAGE}&startIndex=${1 + k * PER_PAGE}`),
      ...json('Resources'),
    },
  })
  // Itinerary v4 lists trip ids (`schema=id`) and reads one trip per request: distinct trip ids
  // from the list, walked before anything is timed.
  const tripPaths = []
  headers = companyHeaders
  // The list allows 10 requests a minute (as Concur documents): the mock's clock is moved past the
  // window every 10 pages.
  for (let next = '/travel/v4/trips', n = 0; next && tripPaths.length < pages * reps + 1; n++) {
    if (n > 0 && n % 10 === 0) mock.state.clock.advance(61)
    const page = JSON.parse(await get(next))
    for (const t of page.data) tripPaths.push(`/travel/v4/trips/${t.id}`)
    next = page.operations?.find((o) => o.rel === 'next')?.href
  }
  headers = userHeaders
  // Receipts v4 (company token: any user's receipts) and Cards v4 (each user's own token): the
  // first page of distinct users; Cards tokens are granted before anything is timed.
  const someUsers = spread(pages * reps + 1, users - 2).map((k) => mock.state.user(c, 2 + k))
  const cardTokens = []
  for (const u of someUsers)
    cardTokens.push(await token({ grant_type: 'password', username: u.loginId, password: u.password }))
  Object.assign(families, {
    'Itinerary v4 trip (JSON, one trip per request)': {
      floor: true,
      company: true,
      paths: tripPaths.slice(0, pages * reps + 1),
      parse: (text) => [JSON.parse(text)],
      serialize: (items) => JSON.stringify(items[0]),
    },
    'Receipts v4 image-only receipts (JSON, first page of a user)': {
      floor: true,
      company: true,
      paths: someUsers.map((u) => `/receipts/v4/users/${u.id}/image-only-receipts`),
      ...json('receiptsImages'),
    },
    'Cards v4 transactions (JSON, first page of a user)': {
      floor: true,
      paths: someUsers.map((u) => `/cards/v4/users/${u.id}/transactions?pageSize=${PER_PAGE}`),
      tokens: cardTokens,
      ...json('transactions'),
    },
    // Attendees v4: `offset` paging over the company's attendees.
    'Attendees v4 (JSON)': {
      paths: spread(pages * reps + 1, 2_000).map(
        (k) => `/v4/attendees?limit=${PER_PAGE}&offset=${k * PER_PAGE}`,
      ),
      ...json('items'),
    },
  })
  await get(FLOOR_PATH, userHeaders)
  const rows = {}
  for (const [name, fam] of Object.entries(families)) {
    headers = fam.company ? companyHeaders : userHeaders
    // One warm-up request, then `reps` chunks of `pages` distinct pages each (no page is asked for
    // twice, so the page cache never answers), each chunk timed; then the same records serialised
    // alone, chunk by chunk. The figure is the median chunk.
    // The warm-up page is path 0 (or the walk's first page); the timed pages follow it.
    const pathAt = (k) => fam.paths?.[k + 1]
    // A family read with each user's own token (`tokens`, one per path) passes it per request.
    const headersAt = (k) => fam.tokens?.[k]
    const warm = await get(fam.walk ? fam.first : fam.paths[0], headersAt(0))
    let walkPath = fam.walk ? fam.next(warm) : null
    const chunks = []
    // Chunks of `pages` pages, fewer when the family has fewer distinct pages than the run asks for.
    const perChunk = fam.walk ? pages : Math.min(pages, Math.floor((fam.paths.length - 1) / reps))
    for (let rep = 0; rep < reps; rep++) {
      const texts = []
      const t0 = performance.now()
      for (let k = 0; k < perChunk; k++) {
        const path = fam.walk ? walkPath : pathAt(rep * perChunk + k)
        if (!path) break
        const text = await get(path, headersAt(rep * perChunk + k + 1))
        texts.push(text)
        if (fam.walk) walkPath = fam.next(text)
      }
      const genMs = performance.now() - t0
      if (texts.length === 0) break
      // The v3.0 rows keep rendered pages: the warm-up page asked for as many times as the chunk
      // has pages is answered from that cache, so it costs everything but generation and
      // serialisation (routing, token check, Response, the caller's text()). With the serialised
      // records it bounds the ratio this family can reach with generation free.
      // Families whose answers hold one or a few records (`floor`) have no page cache: the same
      // bound comes from the smallest cached answer — a one-report v3.0 page — asked for as many
      // times as the chunk has requests, the request's own cost with almost nothing to send.
      let cachedMs
      if (fam.cached || fam.floor) {
        const t1 = performance.now()
        for (let k = 0; k < texts.length; k++)
          await (fam.cached ? get(fam.paths[0]) : get(FLOOR_PATH, userHeaders))
        cachedMs = performance.now() - t1
      }
      chunks.push({ texts, genMs, cachedMs })
    }
    const results = chunks.map(({ texts, genMs, cachedMs }) => {
      const parsed = texts.map((t) => fam.parse(t))
      const records = parsed.reduce((n, p) => n + (fam.count ? fam.count(p) : p.length), 0)
      const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0)
      let sink = 0
      const t0 = performance.now()
      for (const p of parsed) sink += fam.serialize(p).length
      const serMs = performance.now() - t0
      if (records === 0 || sink === 0) throw new Error(`${name}: no records`)
      return { pages: texts.length, records, bytes, genMs, serMs, cachedMs, ratio: serMs / genMs }
    })
    results.sort((a, b) => a.ratio - b.ratio)
    const mid = results[Math.floor(results.length / 2)]
    rows[name] = {
      pages: mid.pages,
      chunks: results.length,
      records: mid.records,
      bytesPerRecord: Math.round(mid.bytes / mid.records),
      // Answers of one or a few records: bounded by the request floor (see `floor`).
      fewPerRequest: Boolean(fam.floor),
      generatedPerS: (mid.records * 1000) / mid.genMs,
      serializedPerS: (mid.records * 1000) / mid.serMs,
      ratio: mid.ratio,
      ...(mid.cachedMs !== undefined
        ? {
            cachedPerS: (mid.records * 1000) / mid.cachedMs,
            // Generation free: the request costs the cached answer plus the records' serialisation.
            ratioBound: mid.serMs / (mid.cachedMs + mid.serMs),
          }
        : {}),
    }
    log(
      `  ${name}: ${Math.round(rows[name].generatedPerS)} rec/s generated, ${Math.round(rows[name].serializedPerS)} rec/s serialised alone → ${mid.ratio.toFixed(3)}${rows[name].ratioBound === undefined ? '' : ` (request floor ${Math.round(rows[name].cachedPerS)} rec/s: ${rows[name].ratioBound.toFixed(3)} with generation free)`}`,
    )
  }
  const ratios = Object.values(rows).map((r) => r.ratio)
  return {
    size: SIZE,
    pages,
    perPage: PER_PAGE,
    families: rows,
    generation_vs_stringify: ratios.length ? Math.min(...ratios) : null,
  }
}
