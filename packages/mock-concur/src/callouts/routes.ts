import { Hono } from 'hono'
import type { DcContext, MockEnv } from '../context.js'

/** Routes of this feature for one datacenter's app. */
export function calloutRoutes(_ctx: DcContext): Hono<MockEnv> {
  return new Hono<MockEnv>()
}
