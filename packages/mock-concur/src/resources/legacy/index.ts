import { Hono } from 'hono'
import type { DcContext, MockEnv } from '../../context.js'
import { expenseV11Routes } from './expense-v11.js'
import { extractRoutes } from './extract.js'
import { reportsV2Routes } from './reports-v2.js'
import { tripRoutes } from './trips.js'
import { workflowRoutes } from './workflow.js'

/** Routes of the XML-only resources (v1.x, v2.0, extract, trips) for one datacenter's app. */
export function legacyRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  app.route('/', expenseV11Routes(ctx))
  app.route('/', tripRoutes(ctx))
  app.route('/', reportsV2Routes(ctx))
  app.route('/', extractRoutes(ctx))
  app.route('/', workflowRoutes(ctx))
  return app
}
