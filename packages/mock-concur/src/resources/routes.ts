import { Hono } from 'hono'
import type { DcContext, MockEnv } from '../context.js'
import { datasetAdminRoutes } from './admin.js'
import { v3Routes } from './engine.js'
import { identityRoutes } from './identity.js'
import { imageV1Routes } from './image-v1.js'
import { invoiceRoutes } from './invoice.js'
import { invoiceImageRoutes } from './invoice-image.js'
import { invoiceManifestRoutes } from './invoice-manifest.js'
import { legacyRoutes } from './legacy/index.js'
import { listV4Routes } from './list-v4.js'
import { manifestRoutes } from './manifest.js'
import { userV1Routes } from './user-v1.js'

/** Routes of every report resource for one datacenter's app (plus the manifest and dataset admin API). */
export function resourceRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  app.route('/', v3Routes(ctx))
  app.route('/', userV1Routes(ctx))
  app.route('/', identityRoutes(ctx))
  app.route('/', imageV1Routes(ctx))
  app.route('/', manifestRoutes(ctx))
  app.route('/', datasetAdminRoutes(ctx))
  app.route('/', legacyRoutes(ctx))
  app.route('/', listV4Routes(ctx))
  app.route('/', invoiceRoutes(ctx))
  app.route('/', invoiceImageRoutes(ctx))
  app.route('/', invoiceManifestRoutes(ctx))
  return app
}
