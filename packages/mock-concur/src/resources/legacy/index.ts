import { Hono } from 'hono'
import type { DcContext, MockEnv } from '../../context.js'

/** Routes of the XML-only resources (v1.x, v2.0, extract, trips) for one datacenter's app. */
export function legacyRoutes(_ctx: DcContext): Hono<MockEnv> {
  return new Hono<MockEnv>()
}
