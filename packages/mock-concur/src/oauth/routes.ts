import { Hono } from 'hono'
import type { DcContext, MockEnv } from '../context.js'

/** Routes of this feature for one datacenter's app. */
export function oauthRoutes(_ctx: DcContext): Hono<MockEnv> {
  return new Hono<MockEnv>()
}
