import { Hono } from 'hono'
import type { DcContext, MockEnv } from '../context.js'
import { datasetAdminRoutes } from './admin.js'
import { v3Routes } from './engine.js'
import { imageV1Routes } from './image-v1.js'
import { legacyRoutes } from './legacy/index.js'
import { manifestRoutes } from './manifest.js'
import { quickExpenseV4Routes } from './quick-expense-v4.js'
import { ROW_PROVIDERS } from './row-providers.js'
import { spendDocumentsV4Routes } from './spend-documents-v4.js'
import { userV1Routes } from './user-v1.js'
import { localitiesV5Routes } from './v4/localities-v5.js'

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
  app.route('/', localitiesV5Routes(ctx))
  // Families without a read collection to walk (no registry row): mounted directly.
  app.route('/', quickExpenseV4Routes(ctx))
  app.route('/', spendDocumentsV4Routes(ctx))
  return app
}
