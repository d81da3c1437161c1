import { Hono } from 'hono'
import type { DcContext, MockEnv } from '../context.js'
import { buildOpenApiDocument } from './document.js'

/**
 * `GET /openapi.json` (mounted under `/_mock`): the OpenAPI 3.1 document of the Concur paths, with
 * this mock's datacenter URLs as `servers`.
 *
 * @example
 * app.route('/_mock', openApiRoutes(ctx))
 */
export function openApiRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  app.get('/openapi.json', (c) => c.json(buildOpenApiDocument({ servers: mockServers(ctx) })))
  return app
}

/** The mock's datacenters as OpenAPI `servers`, the serving datacenter first. */
export function mockServers(ctx: DcContext): { url: string; description: string }[] {
  const dcs = [ctx.datacenter, ...ctx.state.options.datacenters.filter((d) => d !== ctx.datacenter)]
  return dcs.map((dc) => ({ url: ctx.state.baseUrl(dc), description: `mock datacenter ${dc}` }))
}
