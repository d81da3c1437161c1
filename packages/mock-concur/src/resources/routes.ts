import { Hono } from 'hono'
import type { DcContext, MockEnv } from '../context.js'
import { legacyRoutes } from './legacy/index.js'

/** Routes of every report resource for one datacenter's app. */
export function resourceRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  app.route('/', legacyRoutes(ctx))
  return app
}
