import { type DatacenterName, deprecationHeaders, lifecycleOf } from '@concurkit/contract'
import { Hono } from 'hono'
import { adminRoutes } from './admin/routes.js'
import { calloutRoutes, notificationRoutes } from './callouts/routes.js'
import { consoleRoutes } from './console/routes.js'
import type { DcContext, MockEnv } from './context.js'
import { eventAdminRoutes, eventRoutes } from './events/routes.js'
import { faultMiddleware, faultNote, MockConnectionReset } from './faults.js'
import { ConcurHttpError, renderError } from './http/errors.js'
import { requestHeader } from './http/headers.js'
import { requestTurns } from './http/turns.js'
import { secretEquals } from './oauth/grants.js'
import { oauthRoutes } from './oauth/routes.js'
import { redactPath } from './redact.js'
import { resourceRoutes } from './resources/routes.js'
import type { MockState } from './state.js'
import { randomUUID } from './util/web-crypto.js'

/** Builds the Hono app of one datacenter: Concur's paths plus the admin API under `/_mock`. */
export function createDatacenterApp(state: MockState, datacenter: DatacenterName): Hono<MockEnv> {
  const ctx: DcContext = { state, datacenter }
  // One trailing-slash rule for every family: a path answers the same with or without one trailing
  // slash (Concur's own documents spell paths both ways, e.g. `report/Forms/` and `extract/v1.0/`).
  // Routes are registered without it; the router strips it from the request path.
  const app = new Hono<MockEnv>({ strict: false })

  app.use('*', async (c, next) => {
    const started = performance.now()
    const correlationId = requestHeader(c, 'concur-correlationid') ?? randomUUID()
    c.set('correlationId', correlationId)
    let status = 0
    // Before next(): a header set once the response exists makes Hono rebuild it from its body
    // stream, which takes @hono/node-server off its fast path for every response.
    c.header('concur-correlationid', correlationId)
    try {
      await next()
      status = c.res.status
      if (!c.res.headers.has('concur-correlationid')) c.header('concur-correlationid', correlationId)
    } finally {
      if (!c.req.path.startsWith('/_mock')) {
        const note = faultNote(c.req.raw)
        // A reset connection has no status: the journal records 0.
        const reset = note?.includes('reset') ?? false
        state.journal.add({
          time: new Date(state.clock.now()).toISOString(),
          datacenter,
          method: c.req.method,
          path: redactPath(c.req.url),
          status: reset ? 0 : status,
          latencyMs: Math.round((performance.now() - started) * 100) / 100,
          correlationId,
          ...(note ? { note } : {}),
        })
      }
    }
  })

  // Every Concur request takes one turn, in arrival order (http/turns.ts): request work runs in
  // bounded slices of the event loop, so I/O (new requests, a grant's signatures back from the thread
  // pool) is picked up between page renders. The admin API, the harness's control, answers at once.
  app.use('*', async (c, next) => {
    if (!c.req.path.startsWith('/_mock')) await requestTurns.take()
    await next()
  })

  app.use('/_mock/*', async (c, next) => {
    const key = state.options.adminKey
    if (key) {
      const given =
        requestHeader(c, 'x-mock-admin-key') ??
        /^Bearer\s+(.+)$/i.exec(requestHeader(c, 'authorization') ?? '')?.[1]
      if (!secretEquals(given ?? '', key)) throw new ConcurHttpError(401, 'admin key required')
    }
    await next()
  })

  app.use('*', faultMiddleware(ctx))

  // Concur's deprecation signals (x-api-warn, sunset) on every endpoint it retired, set before the
  // route runs so error answers carry them too; strict modes refuse what a new app could not call.
  app.use('/api/*', async (c, next) => {
    const hit = lifecycleOf(c.req.method, c.req.path)
    if (hit) {
      const headers: Record<string, string> = { ...deprecationHeaders(hit.endpoint, hit.lifecycle) }
      for (const [k, v] of Object.entries(headers)) c.header(k, v)
      const mode = state.options.lifecycle
      if (hit.lifecycle.status === 'decommissioned' && mode !== 'serve')
        throw new ConcurHttpError(
          410,
          `${hit.endpoint} was decommissioned on ${hit.lifecycle.decommissioned}`,
          {
            headers,
          },
        )
      if (hit.lifecycle.status === 'deprecated' && mode === 'new-app')
        throw new ConcurHttpError(403, `New apps are denied access to deprecated APIs: ${hit.endpoint}`, {
          headers,
        })
    }
    await next()
  })

  app.route('/', consoleRoutes(ctx))
  app.route('/', oauthRoutes(ctx))
  app.route('/', eventRoutes(ctx))
  app.route('/', resourceRoutes(ctx))
  app.route('/_mock', adminRoutes(ctx))
  app.route('/_mock', calloutRoutes(ctx))
  app.route('/_mock', eventAdminRoutes(ctx))
  app.route('/', notificationRoutes(ctx))

  app.notFound((c) =>
    renderError(c, 404, 'Not Found', {
      nowMs: state.clock.now(),
      correlationId: c.get('correlationId') ?? randomUUID(),
    }),
  )
  app.onError((err, c) => {
    // A connection-reset fault must reach the caller as a failed request, not as a response.
    if (err instanceof MockConnectionReset) throw err
    const correlationId = c.get('correlationId') ?? randomUUID()
    const nowMs = state.clock.now()
    if (err instanceof ConcurHttpError) {
      // Before the body: @hono/node-server serves the headers captured when the response is built.
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v)
      const res = renderError(c, err.status, err.concurMessage, {
        ...(err.oauthCode === undefined ? {} : { oauthCode: err.oauthCode }),
        ...(err.geolocation === undefined ? {} : { geolocation: err.geolocation }),
        nowMs,
        correlationId,
      })
      for (const [k, v] of Object.entries(err.headers ?? {})) res.headers.set(k, v)
      return res
    }
    if (err instanceof Error && 'status' in err && typeof err.status === 'number' && err.status < 500) {
      return renderError(c, err.status as 400, err.message || 'Bad Request', { nowMs, correlationId })
    }
    // Never a stack trace on the wire.
    return renderError(c, 500, 'Internal Server Error', { nowMs, correlationId })
  })
  return app
}
