import { Hono } from 'hono'
import { describeCompany } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import { issueRequestToken } from '../oauth/routes.js'
import { buildPostmanCollection, buildPostmanEnvironment } from './collection.js'

/**
 * `GET /postman.json` and `GET /postman-environment.json` (mounted under `/_mock`): the Postman
 * collection of the mock with this datacenter as `baseUrl`, and an environment holding the default
 * company's credentials and a fresh company request token (as `concurkit mock --json` does).
 *
 * @example
 * app.route('/_mock', postmanRoutes(ctx))
 */
export function postmanRoutes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()
  app.get('/postman.json', (c) => c.json(buildPostmanCollection({ baseUrl: state.baseUrl(ctx.datacenter) })))
  app.get('/postman-environment.json', (c) => {
    const companies = state.companies.slice(0, 1).map((co) => ({
      ...describeCompany(co, state.baseUrl(co.datacenter)),
      requestToken: issueRequestToken(state, co.id, co.apps[0]!.clientId).token,
    }))
    c.header('cache-control', 'no-store')
    return c.json(buildPostmanEnvironment({ companies }))
  })
  return app
}
