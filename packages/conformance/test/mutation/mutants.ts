import type { Handler, ProxyContext } from './proxy.js'

/**
 * A mutant of Concur's behaviour: a proxy in front of the mock that breaks exactly one documented
 * behaviour and leaves every other answer as the mock gave it.
 */
export interface Mutant {
  readonly id: string
  /** The behaviour it breaks, in one line (the README's mutation table). */
  readonly breaks: string
  readonly wrap: (upstream: Handler, ctx: ProxyContext) => Handler
}

// ---------------------------------------------------------------------------------------------
// helpers

const pathOf = (req: Request) => new URL(req.url).pathname
const isToken = (req: Request) => pathOf(req) === '/oauth2/v0/token'

/** A copy of a response with a new body (and content type), headers otherwise kept. */
function withBody(res: Response, body: string, contentType?: string, status = res.status): Response {
  const headers = new Headers(res.headers)
  headers.delete('content-length')
  headers.delete('content-encoding')
  if (contentType) headers.set('content-type', contentType)
  return new Response(body, { status, headers })
}

/** Rewrites a JSON answer. */
async function mapJson(res: Response, fn: (body: Record<string, unknown>) => unknown): Promise<Response> {
  const body = (await res.json()) as Record<string, unknown>
  return withBody(res, JSON.stringify(fn(body) ?? body))
}

/** Rewrites a text answer. */
async function mapText(res: Response, fn: (text: string) => string): Promise<Response> {
  return withBody(res, fn(await res.text()))
}

/** A request with a changed URL (same method, headers and body). */
async function rewrite(req: Request, url: URL | string): Promise<Request> {
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.clone().arrayBuffer()
  return new Request(url, { method: req.method, headers: req.headers, ...(body ? { body } : {}) })
}

/** A request with a changed query. */
async function withQuery(req: Request, change: (q: URLSearchParams) => void): Promise<Request> {
  const url = new URL(req.url)
  change(url.searchParams)
  return rewrite(req, url)
}

async function formOf(req: Request): Promise<URLSearchParams> {
  return new URLSearchParams(await req.clone().text())
}

/** Only requests matching `when` are changed; the rest pass through. */
function only(when: (req: Request) => boolean, change: (upstream: Handler, ctx: ProxyContext) => Handler) {
  return (upstream: Handler, ctx: ProxyContext): Handler => {
    const changed = change(upstream, ctx)
    return (req) => (when(req) ? changed(req) : upstream(req))
  }
}

/** Only successful token answers, rewritten. */
function tokenAnswer(fn: (body: Record<string, unknown>, form: URLSearchParams) => unknown) {
  return only(isToken, (upstream) => async (req) => {
    const form = await formOf(req)
    const res = await upstream(req)
    return res.status === 200 ? mapJson(res, (b) => fn(b, form)) : res
  })
}

const V3 = '/api/v3.0/'
const isV3List = (req: Request, path: string) => req.method === 'GET' && pathOf(req) === path
/** A walk without filters: only the company-wide user, paging and nothing else. */
const unfiltered = (req: Request) =>
  [...new URL(req.url).searchParams.keys()].every((k) => ['user', 'limit', 'offset'].includes(k))
/** A page of a walk with small pages (the errors and negotiation checks ask for 1 or 2 records). */
const smallPage = (req: Request) => {
  const limit = Number(new URL(req.url).searchParams.get('limit') ?? 100)
  return limit >= 3 && limit < 100
}
/** A JSON walk (negotiation asks the same URLs for XML). */
const json = (req: Request) => /json/.test(req.headers.get('accept') ?? '')

/** Every record of a v3.0 list the way the mock serves it, in order (largest pages). */
async function allOf(upstream: Handler, req: Request): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = []
  let url: string | null = (() => {
    const u = new URL(req.url)
    u.searchParams.delete('offset')
    u.searchParams.set('limit', '100')
    return u.toString()
  })()
  while (url) {
    const page = (await (await upstream(await rewrite(req, url))).json()) as {
      Items: Record<string, unknown>[]
      NextPage: string | null
    }
    items.push(...page.Items)
    url = page.NextPage
  }
  return items
}

/** Serves a v3.0 list from `records` with its own integer offsets. */
function servePage(req: Request, records: readonly Record<string, unknown>[]): Response {
  const url = new URL(req.url)
  const limit = Number(url.searchParams.get('limit') ?? 25)
  const offset = Number(url.searchParams.get('offset') ?? 0)
  const next = offset + limit < records.length ? new URL(url) : undefined
  next?.searchParams.set('offset', String(offset + limit))
  return new Response(
    JSON.stringify({ Items: records.slice(offset, offset + limit), NextPage: next ? next.toString() : null }),
    {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'concur-correlationid': crypto.randomUUID(),
      },
    },
  )
}

// ---------------------------------------------------------------------------------------------
// the catalogue

const REPORTS = `${V3}expense/reports`
const ENTRIES = `${V3}expense/entries`
const ATTENDEES = `${V3}expense/attendees`
const LOCATIONS = `${V3}common/locations`
const TRIPS = '/api/travel/trip/v1.1/'
const V2_REPORTS = '/api/expense/expensereport/v2.0/Reports/'
const CARD_CHARGES = '/api/expense/expensereport/v1.1/CardCharges'

export const MUTANTS: readonly Mutant[] = [
  // --- OAuth2 ---------------------------------------------------------------------------------
  {
    id: 'token.no-rotation',
    breaks: 'the refresh grant answers the refresh token it was given (no rotation)',
    wrap: tokenAnswer((body, form) => {
      if (form.get('grant_type') === 'refresh_token') body.refresh_token = form.get('refresh_token')
    }),
  },
  {
    id: 'token.reused-refresh-accepted',
    breaks: 'a used refresh token is accepted again (the previous answer is replayed)',
    wrap: only(isToken, (upstream) => {
      const answers = new Map<string, string>()
      return async (req) => {
        const form = await formOf(req)
        const res = await upstream(req)
        const refresh = form.get('refresh_token')
        if (form.get('grant_type') !== 'refresh_token' || !refresh) return res
        if (res.status === 200) {
          const text = await res.text()
          answers.set(refresh, text)
          return withBody(res, text)
        }
        const earlier = answers.get(refresh)
        return earlier ? withBody(res, earlier, 'application/json', 200) : res
      }
    }),
  },
  {
    id: 'token.missing-geolocation',
    breaks: 'token answers lack geolocation',
    wrap: tokenAnswer((body) => {
      delete body.geolocation
    }),
  },
  {
    id: 'token.expires-in-two-hours',
    breaks: 'access tokens are issued for two hours (expires_in 7200, not 3600)',
    wrap: tokenAnswer((body) => {
      body.expires_in = '7200'
    }),
  },
  {
    id: 'token.scope-as-array',
    breaks: 'the token answer gives scope as a JSON array, not a space-separated string',
    wrap: tokenAnswer((body) => {
      body.scope = String(body.scope).split(' ')
    }),
  },
  {
    id: 'token.wrong-content-type',
    breaks: 'token answers are labelled text/plain',
    wrap: only(isToken, (upstream) => async (req) => {
      const res = await upstream(req)
      return withBody(res, await res.text(), 'text/plain; charset=utf-8')
    }),
  },
  {
    id: 'token.unknown-client-code-5',
    breaks: 'an unknown client_id is refused with code 5 instead of 61',
    wrap: only(isToken, (upstream) => async (req) => {
      const res = await upstream(req)
      if (res.status < 400) return res
      return mapJson(res, (b) => (b.code === 61 ? { ...b, code: 5, error: 'invalid_grant' } : b))
    }),
  },
  {
    id: 'token.grant-type-defaulted',
    breaks: 'a token request without grant_type is treated as a password grant',
    wrap: only(isToken, (upstream) => async (req) => {
      const form = await formOf(req)
      if (form.has('grant_type')) return upstream(req)
      form.set('grant_type', 'password')
      return upstream(new Request(req.url, { method: 'POST', headers: req.headers, body: form.toString() }))
    }),
  },
  {
    id: 'token.missing-secret-code-64',
    breaks: 'a token request without client_secret is refused with the code for a wrong secret (64, not 63)',
    wrap: only(isToken, (upstream) => async (req) => {
      const res = await upstream(req)
      if (res.status < 400) return res
      return mapJson(res, (b) => (b.code === 63 ? { ...b, code: 64 } : b))
    }),
  },
  {
    id: 'jwks.empty',
    breaks: 'the JWKS endpoint serves no keys',
    wrap: only(
      (req) => pathOf(req) === '/oauth2/v0/jwks',
      (upstream) => async (req) => mapJson(await upstream(req), () => ({ keys: [] })),
    ),
  },
  {
    id: 'token.id-token-dropped',
    breaks: 'the password grant answers no id_token',
    wrap: tokenAnswer((body) => {
      delete body.id_token
    }),
  },
  {
    id: 'datacenter.no-referral',
    breaks: 'a password grant at the wrong datacenter issues tokens instead of code 16 with the geolocation',
    wrap: (upstream) => async (req) => {
      if (!isToken(req)) return upstream(req)
      const copy = req.clone()
      const res = await upstream(req)
      if (res.status < 400) return res
      const body = (await res.clone().json()) as { code?: number; geolocation?: string }
      if (body.code !== 16 || !body.geolocation) return res
      return upstream(await rewrite(copy, `${body.geolocation.replace(/\/+$/, '')}${pathOf(req)}`))
    },
  },
  {
    id: 'datacenter.wrong-accepted',
    breaks: "another datacenter's API accepts the token (answers from the token's own datacenter)",
    wrap: (upstream, ctx) => async (req) => {
      const res = await upstream(req)
      if (!pathOf(req).startsWith('/api/') || (res.status !== 401 && res.status !== 403)) return res
      if (!req.headers.get('authorization')) return res
      for (const origin of Object.values(ctx.origins)) {
        if (origin === new URL(req.url).origin) continue
        const url = new URL(req.url)
        const other = await upstream(await rewrite(req, `${origin}${url.pathname}${url.search}`))
        if (other.status === 200) return other
      }
      return res
    },
  },
  // --- error bodies and parameters -------------------------------------------------------------
  {
    id: 'errors.html-bodies',
    breaks: "API errors come as an HTML page instead of Concur's error body",
    wrap: (upstream) => async (req) => {
      const res = await upstream(req)
      if (!pathOf(req).startsWith('/api/') || res.status < 400) return res
      return withBody(res, `<html><body><h1>${res.status}</h1></body></html>`, 'text/html')
    },
  },
  {
    id: 'errors.unknown-id-200',
    breaks: 'GET of an unknown report id answers 200 with an empty object',
    wrap: only(
      (req) => pathOf(req).startsWith(`${REPORTS}/`),
      (upstream) => async (req) => {
        const res = await upstream(req)
        return res.status === 404 ? withBody(res, '{}', 'application/json', 200) : res
      },
    ),
  },
  {
    id: 'errors.no-correlation-id',
    breaks: 'responses carry no concur-correlationid header',
    wrap: (upstream) => async (req) => {
      const res = await upstream(req)
      const headers = new Headers(res.headers)
      headers.delete('concur-correlationid')
      return new Response(res.body, { status: res.status, headers })
    },
  },
  {
    id: 'errors.xml-error-as-json',
    breaks: 'errors come as JSON although the caller accepts only XML',
    wrap: (upstream) => async (req) => {
      const res = await upstream(req)
      if (!pathOf(req).startsWith(V3) || res.status < 400 || !/xml/.test(req.headers.get('accept') ?? ''))
        return res
      const headers = new Headers(req.headers)
      headers.set('accept', 'application/json')
      return upstream(new Request(req.url, { method: req.method, headers }))
    },
  },
  {
    id: 'errors.limit-101-clamped',
    breaks: 'a limit above 100 is clamped to 100 instead of refused',
    wrap: (upstream) => async (req) => {
      const limit = Number(new URL(req.url).searchParams.get('limit'))
      if (!pathOf(req).startsWith(V3) || !(limit > 100)) return upstream(req)
      return upstream(await withQuery(req, (q) => q.set('limit', '100')))
    },
  },
  {
    id: 'errors.bad-offset-ignored',
    breaks: 'a garbage offset is ignored (the first page is answered)',
    wrap: (upstream) => async (req) => {
      const res = await upstream(req)
      if (res.status !== 400 || !new URL(req.url).searchParams.has('offset')) return res
      return upstream(await withQuery(req, (q) => q.delete('offset')))
    },
  },
  {
    id: 'errors.bad-boolean-ignored',
    breaks: 'a malformed boolean filter value is ignored instead of refused',
    wrap: (upstream) => async (req) => {
      const q = new URL(req.url).searchParams
      const bad = [...q.entries()].find(([k, v]) => /^(has|is)[A-Z]/.test(k) && !/^(true|false)$/i.test(v))
      if (!pathOf(req).startsWith(V3) || !bad) return upstream(req)
      return upstream(await withQuery(req, (p) => p.delete(bad[0])))
    },
  },
  // --- records and fields ----------------------------------------------------------------------
  {
    id: 'schema.total-as-string',
    breaks: 'expense reports give Total as a string (list and by id alike)',
    wrap: only(
      (req) => pathOf(req).startsWith(REPORTS) && req.method === 'GET',
      (upstream) => async (req) => {
        const res = await upstream(req)
        if (res.status !== 200 || !/json/.test(res.headers.get('content-type') ?? '')) return res
        const fix = (r: Record<string, unknown>) => ({ ...r, Total: String(r.Total) })
        return mapJson(res, (b) =>
          Array.isArray(b.Items) ? { ...b, Items: (b.Items as Record<string, unknown>[]).map(fix) } : fix(b),
        )
      },
    ),
  },
  {
    id: 'schema.name-renamed',
    breaks: 'locations call Name LocationName (list and by id alike)',
    wrap: only(
      (req) => pathOf(req).startsWith(LOCATIONS) && req.method === 'GET',
      (upstream) => async (req) => {
        const res = await upstream(req)
        if (res.status !== 200 || !/json/.test(res.headers.get('content-type') ?? '')) return res
        const fix = ({ Name, ...r }: Record<string, unknown>) => ({ ...r, LocationName: Name })
        return mapJson(res, (b) =>
          Array.isArray(b.Items) ? { ...b, Items: (b.Items as Record<string, unknown>[]).map(fix) } : fix(b),
        )
      },
    ),
  },
  {
    id: 'schema.card-merchant-dropped',
    breaks: 'card charges lack the `Merchant` element',
    wrap: only(
      (req) => pathOf(req) === CARD_CHARGES,
      (upstream) => async (req) =>
        mapText(await upstream(req), (t) => t.replace(/<Merchant>[^<]*<\/Merchant>|<Merchant\s*\/>/g, '')),
    ),
  },
  {
    id: 'schema.trip-name-dropped',
    breaks: 'the trips list lacks the `TripName` element',
    wrap: only(
      (req) => pathOf(req) === TRIPS,
      (upstream) => async (req) =>
        mapText(await upstream(req), (t) => t.replace(/<TripName>[^<]*<\/TripName>|<TripName\s*\/>/g, '')),
    ),
  },
  // --- paging ----------------------------------------------------------------------------------
  {
    id: 'paging.record-repeated',
    breaks: 'the last page of expense entries repeats the first entry',
    wrap: only(
      (req) => isV3List(req, ENTRIES) && unfiltered(req) && json(req),
      (upstream) => async (req) => {
        const res = await upstream(req)
        if (res.status !== 200) return res
        const page = (await res.clone().json()) as { Items: unknown[]; NextPage: string | null }
        if (page.NextPage) return res
        const first = new URL(req.url)
        first.searchParams.delete('offset')
        first.searchParams.set('limit', '1')
        const head = (await (await upstream(await rewrite(req, first))).json()) as { Items: unknown[] }
        return mapJson(res, (b) => ({ ...b, Items: [...(b.Items as unknown[]), ...head.Items] }))
      },
    ),
  },
  {
    id: 'paging.next-page-loops',
    breaks: 'the last small page of expense entries links back to the first page',
    wrap: only(
      (req) => isV3List(req, ENTRIES) && unfiltered(req) && smallPage(req) && json(req),
      (upstream) => async (req) =>
        mapJson(await upstream(req), (b) => {
          if (b.NextPage) return b
          const first = new URL(req.url)
          first.searchParams.delete('offset')
          return { ...b, NextPage: first.toString() }
        }),
    ),
  },
  {
    id: 'paging.next-page-same-offset',
    breaks: 'the second small page of expense reports links to itself',
    wrap: only(
      (req) => isV3List(req, REPORTS) && unfiltered(req) && smallPage(req) && json(req),
      (upstream) => async (req) =>
        mapJson(await upstream(req), (b) =>
          new URL(req.url).searchParams.has('offset') ? { ...b, NextPage: req.url } : b,
        ),
    ),
  },
  {
    id: 'paging.small-limit-ignored',
    breaks: 'a limit below the default (25) is answered with pages of 25',
    wrap: (upstream) => async (req) => {
      const limit = Number(new URL(req.url).searchParams.get('limit') ?? 25)
      if (!pathOf(req).startsWith(V3) || !(limit < 25) || limit < 3) return upstream(req)
      return upstream(await withQuery(req, (q) => q.set('limit', '25')))
    },
  },
  {
    id: 'paging.record-skipped',
    breaks: 'small pages of expense reports skip the first record of the second page',
    wrap: only(
      (req) => isV3List(req, REPORTS) && unfiltered(req) && smallPage(req) && json(req),
      (upstream) => async (req) => {
        // the offsets are this proxy's own integers: the mock answers the first page as the check
        const first = await upstream(await withQuery(req, (q) => q.delete('offset')))
        if (first.status !== 200) return first
        const all = await allOf(upstream, req)
        const limit = Number(new URL(req.url).searchParams.get('limit'))
        return servePage(req, [...all.slice(0, limit), ...all.slice(limit + 1)])
      },
    ),
  },
  {
    id: 'trips.stuck-on-page-1',
    breaks: 'trips answer page 1 whatever Page asks',
    wrap: only(
      (req) => pathOf(req) === TRIPS && new URL(req.url).searchParams.has('Page'),
      (upstream) => async (req) => upstream(await withQuery(req, (q) => q.set('Page', '1'))),
    ),
  },
  // --- filters ---------------------------------------------------------------------------------
  {
    id: 'v2.status-ignored',
    breaks: 'v2.0 Reports ignore Status (always the ACTIVE reports)',
    wrap: only(
      (req) => pathOf(req) === V2_REPORTS,
      (upstream) => async (req) => upstream(await withQuery(req, (q) => q.delete('Status'))),
    ),
  },
  {
    id: 'filter.approval-status-ignored',
    breaks: 'expense reports ignore approvalStatusCode',
    wrap: only(
      (req) => isV3List(req, REPORTS),
      (upstream) => async (req) => upstream(await withQuery(req, (q) => q.delete('approvalStatusCode'))),
    ),
  },
  {
    id: 'filter.has-vat-ignored',
    breaks: 'expense reports ignore hasVAT (a filter whose field the records do not show)',
    wrap: only(
      (req) => isV3List(req, REPORTS),
      (upstream) => async (req) => upstream(await withQuery(req, (q) => q.delete('hasVAT'))),
    ),
  },
  {
    id: 'filter.created-after-exclusive',
    breaks: "createDateAfter leaves out the bound's own day",
    wrap: only(
      (req) => isV3List(req, REPORTS) && new URL(req.url).searchParams.has('createDateAfter'),
      (upstream) => async (req) =>
        upstream(
          await withQuery(req, (q) => {
            const day = new Date(`${q.get('createDateAfter')!.slice(0, 10)}T00:00:00Z`)
            q.set('createDateAfter', new Date(day.getTime() + 86_400_000).toISOString().slice(0, 10))
          }),
        ),
    ),
  },
  {
    id: 'filter.attendee-type-ignored',
    breaks: 'expense attendees ignore attendeeTypeID',
    wrap: only(
      (req) => isV3List(req, ATTENDEES),
      (upstream) => async (req) => upstream(await withQuery(req, (q) => q.delete('attendeeTypeID'))),
    ),
  },
  // --- negotiation -----------------------------------------------------------------------------
  {
    id: 'negotiation.xml-ignored',
    breaks: 'v3.0 lists answer JSON although the caller accepts only XML',
    wrap: (upstream) => async (req) => {
      if (!pathOf(req).startsWith(V3) || !/xml/.test(req.headers.get('accept') ?? '')) return upstream(req)
      const res = await upstream(req)
      if (res.status !== 200) return res
      const headers = new Headers(req.headers)
      headers.set('accept', 'application/json')
      return upstream(new Request(req.url, { method: req.method, headers }))
    },
  },
  {
    id: 'negotiation.xml-as-text',
    breaks: 'v3.0 XML answers are labelled text/plain',
    wrap: (upstream) => async (req) => {
      const res = await upstream(req)
      if (
        !pathOf(req).startsWith(V3) ||
        res.status !== 200 ||
        !/xml/.test(res.headers.get('content-type') ?? '')
      )
        return res
      return withBody(res, await res.text(), 'text/plain; charset=utf-8')
    },
  },
  // --- get by id -------------------------------------------------------------------------------
  {
    id: 'get-by-id.other-record',
    breaks: "GET of an expense entry by id answers another entry's content under the asked ID",
    wrap: only(
      (req) => req.method === 'GET' && pathOf(req).startsWith(`${ENTRIES}/`),
      (upstream) => async (req) => {
        const res = await upstream(req)
        if (res.status !== 200) return res
        const list = new URL(req.url)
        list.pathname = ENTRIES
        list.search = '?user=ALL&limit=2'
        const [first, second] = (
          (await (await upstream(await rewrite(req, list))).json()) as {
            Items: Record<string, unknown>[]
          }
        ).Items
        return mapJson(res, (b) => {
          const other = first?.ID === b.ID ? second : first
          return other ? { ...other, ID: b.ID, URI: b.URI } : b
        })
      },
    ),
  },
  {
    id: 'get-by-id.field-dropped',
    breaks: 'GET of an attendee by id lacks LastName',
    wrap: only(
      (req) => req.method === 'GET' && pathOf(req).startsWith(`${ATTENDEES}/`),
      (upstream) => async (req) => {
        const res = await upstream(req)
        if (res.status !== 200 || !/json/.test(res.headers.get('content-type') ?? '')) return res
        return mapJson(res, ({ LastName: _dropped, ...rest }) => rest)
      },
    ),
  },
  // --- extract ---------------------------------------------------------------------------------
  {
    id: 'extract.unknown-definition-200',
    breaks: 'the jobs of an unknown extract definition answer 200 with an empty list',
    wrap: only(
      (req) => pathOf(req).startsWith('/api/expense/extract/v1.0/'),
      (upstream) => async (req) => {
        const res = await upstream(req)
        return res.status === 404 ? withBody(res, '<jobs />', 'application/xml', 200) : res
      },
    ),
  },
  // --- deprecation -----------------------------------------------------------------------------
  {
    id: 'deprecation.signal-garbled',
    breaks: 'retired endpoints answer x-api-warn in another wording and a sunset that is no HTTP-date',
    wrap: (upstream) => async (req) => {
      const res = await upstream(req)
      if (!res.headers.has('x-api-warn')) return res
      const headers = new Headers(res.headers)
      headers.set('x-api-warn', 'This API is old')
      headers.set('sunset', 'soon')
      return new Response(await res.arrayBuffer(), { status: res.status, headers })
    },
  },
  // --- Event Subscription Service -------------------------------------------------------------
  {
    id: 'ess.topics-without-topic-scope',
    breaks: 'GET /events/v4/topics lists topics to an App JWT with events.topic.read only',
    wrap: only(
      (req) => req.method === 'GET' && pathOf(req) === '/events/v4/topics',
      (upstream) => async (req) => {
        const res = await upstream(req)
        if (res.status !== 200) return res
        const topics = (await res.json()) as string[]
        return withBody(res, JSON.stringify(topics.length ? topics : ['public.concur.expense.report']))
      },
    ),
  },
  {
    id: 'ess.subscription-get-other-id',
    breaks: 'GET /events/v4/subscriptions/{id} answers a subscription with another id',
    wrap: only(
      (req) => req.method === 'GET' && pathOf(req).startsWith('/events/v4/subscriptions/'),
      (upstream) => async (req) => {
        const res = await upstream(req)
        if (res.status !== 200) return res
        const subs = (await res.json()) as { id: string }[]
        return withBody(res, JSON.stringify(subs.map((s) => ({ ...s, id: `${s.id}-other` }))))
      },
    ),
  },
  {
    id: 'ess.invalid-filter-accepted',
    breaks: 'a subscription whose filter is no regular expression is saved (200) instead of refused with 400',
    wrap: only(
      (req) => req.method === 'PUT' && pathOf(req) === '/events/v4/subscriptions/webhook',
      (upstream) => async (req) => {
        const body = (await req.clone().json()) as { id?: string; filter?: string }
        try {
          new RegExp(body.filter ?? '.*')
        } catch {
          return new Response(JSON.stringify({ message: `Subscription '${body.id}' saved successfully` }), {
            headers: { 'content-type': 'application/json; charset=utf-8' },
          })
        }
        return upstream(req)
      },
    ),
  },
  // --- current-generation JSON rows (paging by link, filters as field=<op>:<value>) -------------
  {
    id: 'list-v4.next-link-loops',
    breaks: 'List v4 keeps a `next` link on its last page, pointing back at the page itself',
    wrap: only(
      (req) => req.method === 'GET' && pathOf(req) === '/list/v4/lists',
      (upstream) => async (req) => {
        const res = await upstream(req)
        if (res.status !== 200) return res
        return mapJson(res, (b) => {
          const links = ((b.links ?? []) as { rel: string; href: string }[]).filter((l) => l.rel !== 'next')
          return { ...b, links: [...links, { rel: 'next', href: req.url }] }
        })
      },
    ),
  },
  {
    id: 'list-v4.value-filter-ignored',
    breaks: 'List v4 ignores the `value` filter (every list comes back)',
    wrap: only(
      (req) => req.method === 'GET' && pathOf(req) === '/list/v4/lists',
      (upstream) => async (req) => upstream(await withQuery(req, (q) => q.delete('value'))),
    ),
  },
  {
    id: 'expense-config-v4.group-from-another-view',
    breaks:
      "Expense Configuration v4 answers a user's group under a name the v3.0 view of the same group does not have",
    wrap: only(
      (req) => req.method === 'GET' && /^\/expenseconfig\/v4\/users\/[^/]+\/groupconfigs$/.test(pathOf(req)),
      (upstream) => async (req) => {
        const res = await upstream(req)
        if (res.status !== 200) return res
        return mapJson(res, (g) => ({ ...g, groupName: `${String(g.groupName)} (v4)` }))
      },
    ),
  },
  {
    id: 'expense-v4.status-from-another-view',
    breaks: 'the Expense v4 report answers an approval status the v3.0 view of the same report does not have',
    wrap: only(
      (req) =>
        req.method === 'GET' &&
        /^\/expensereports\/v4\/users\/[^/]+\/context\/[^/]+\/reports\/[^/]+$/.test(pathOf(req)),
      (upstream) => async (req) => {
        const res = await upstream(req)
        if (res.status !== 200) return res
        return mapJson(res, (r) => ({
          ...r,
          approvalStatusId: r.approvalStatusId === 'A_APPR' ? 'A_PEND' : 'A_APPR',
        }))
      },
    ),
  },
  {
    id: 'expense-v4.exceptions-wrapped',
    breaks: 'the Expense v4 exceptions answer an object ({"exceptions": […]}) instead of the bare array',
    wrap: only(
      (req) =>
        req.method === 'GET' && /^\/expensereports\/v4\/.*\/reports\/[^/]+\/exceptions$/.test(pathOf(req)),
      (upstream) => async (req) => {
        const res = await upstream(req)
        return res.status === 200 ? mapJson(res, (body) => ({ exceptions: body })) : res
      },
    ),
  },
]
