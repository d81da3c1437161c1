import { Hono } from 'hono'
import type { DcContext, MockEnv } from '../context.js'
import { datasetAdminRoutes } from './admin.js'
import { v3Routes } from './engine.js'
import { imageV1Routes } from './image-v1.js'
import { legacyRoutes } from './legacy/index.js'
import { manifestRoutes } from './manifest.js'
import { ROW_PROVIDERS } from './row-providers.js'
import { userV1Routes } from './user-v1.js'

/** Routes of every report resource for one datacenter's app (plus the manifest and dataset admin API). */
export function resourceRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  app.route('/', v3Routes(ctx))
  app.route('/', userV1Routes(ctx))
  app.route('/', imageV1Routes(ctx))
  app.route('/', manifestRoutes(ctx))
  app.route('/', datasetAdminRoutes(ctx))
  app.route('/', legacyRoutes(ctx))
  for (const provider of ROW_PROVIDERS) app.route('/', provider.routes(ctx))
  return app
}
