import { Hono } from 'hono'
import { z } from 'zod'
import type { DcContext, MockEnv } from '../context.js'
import { FaultInput } from '../faults.js'
import { buildOpenApiDocument } from '../openapi/document.js'
import { mockServers, openApiRoutes } from '../openapi/routes.js'
import { postmanRoutes } from '../postman/routes.js'
import { FaultsPage, JournalPage, OverviewPage } from './pages.js'
import { ReferencePage } from './reference.js'

const NUMERIC_FAULT_FIELDS = ['status', 'retryAfter', 'delayMs', 'every', 'times', 'probability'] as const
const TEXT_FAULT_FIELDS = ['method', 'path', 'datacenter'] as const
const ClockForm = z.object({ advanceSeconds: z.coerce.number().finite().min(0) })

/**
 * Turns the console's fault form into the body of `POST /_mock/faults`: empty fields are left out,
 * numeric fields become numbers, the `reset` checkbox becomes `true`.
 *
 * @example
 * faultFromForm({ path: '/api/**', status: '503', method: '' }) // { path: '/api/**', status: 503 }
 */
export function faultFromForm(form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of TEXT_FAULT_FIELDS) {
    const v = form[key]
    if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim()
  }
  for (const key of NUMERIC_FAULT_FIELDS) {
    const v = form[key]
    if (typeof v === 'string' && v.trim() !== '') out[key] = Number(v)
  }
  if (form.reset === 'true' || form.reset === 'on') out.reset = true
  return out
}

/**
 * The mock's console (mounted at `/`): `GET /_mock/` (overview), `/_mock/console/journal`,
 * `/_mock/console/faults`, `/_mock/console/api` (OpenAPI reference), the form endpoints behind them,
 * `GET /_mock/openapi.json`, `GET /_mock/postman.json` and `GET /_mock/postman-environment.json`.
 * Pages are rendered on the server with Hono's JSX; forms post back and redirect (no front-end build).
 *
 * @example
 * app.route('/', consoleRoutes(ctx)) // then open http://127.0.0.1:4010/_mock/
 */
export function consoleRoutes(ctx: DcContext): Hono<MockEnv> {
  const { state, datacenter } = ctx
  const app = new Hono<MockEnv>()
  app.route('/_mock', openApiRoutes(ctx))
  app.route('/_mock', postmanRoutes(ctx))

  const overview = (error?: string) => <OverviewPage ctx={ctx} error={error} />
  // The router matches `/_mock` and `/_mock/` alike (the app's trailing-slash rule); the page's
  // relative links need the slash, so the bare path redirects.
  app.get('/_mock', (c) =>
    new URL(c.req.url).pathname === '/_mock' ? c.redirect('/_mock/', 302) : c.html(overview()),
  )
  app.get('/_mock/console', (c) => c.redirect('/_mock/', 302))

  app.get('/_mock/console/journal', (c) => c.html(<JournalPage ctx={ctx} />))
  app.post('/_mock/console/journal/clear', (c) => {
    state.journal.clear()
    return c.redirect('/_mock/console/journal', 303)
  })

  app.get('/_mock/console/faults', (c) => c.html(<FaultsPage ctx={ctx} />))
  app.post('/_mock/console/faults', async (c) => {
    const form = await c.req.parseBody()
    const parsed = FaultInput.safeParse(faultFromForm(form))
    if (!parsed.success)
      return c.html(<FaultsPage ctx={ctx} error={z.prettifyError(parsed.error).replace(/\n/g, '; ')} />, 400)
    state.faults.add(parsed.data)
    return c.redirect('/_mock/console/faults', 303)
  })
  app.post('/_mock/console/faults/:id/delete', (c) => {
    if (!state.faults.remove(c.req.param('id')))
      return c.html(<FaultsPage ctx={ctx} error="No fault rule with this id (already removed?)." />, 404)
    return c.redirect('/_mock/console/faults', 303)
  })

  app.post('/_mock/console/clock', async (c) => {
    const parsed = ClockForm.safeParse(await c.req.parseBody())
    if (!parsed.success || parsed.data.advanceSeconds > 100 * 365 * 86400)
      return c.html(
        overview('The clock moves forward only: give a number of seconds from 0 to 100 years.'),
        400,
      )
    state.clock.advance(parsed.data.advanceSeconds)
    return c.redirect('/_mock/', 303)
  })

  app.get('/_mock/console/api', (c) =>
    c.html(
      <ReferencePage doc={buildOpenApiDocument({ servers: mockServers(ctx) })} datacenter={datacenter} />,
    ),
  )
  return app
}
