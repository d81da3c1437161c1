import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Context } from 'hono'
import { getPath } from 'hono/utils/url'

/** What @hono/node-server passes as `c.env` for a request that came over a socket. */
export interface NodeBindings {
  incoming?: IncomingMessage
  outgoing?: ServerResponse
}

/**
 * The Node request and response behind a Hono context; both absent for in-process requests
 * (`mock.fetch`, `app.request`).
 */
export function nodeBindings(c: Context): NodeBindings {
  return (c.env ?? {}) as NodeBindings
}

/**
 * A request header by its lower-case name. Over a socket it is read from Node's parsed
 * `IncomingMessage` headers, which spares building the web `Headers` object on every request (a hot
 * path: the correlation id, the bearer token and `Accept` are read on each one); in-process requests
 * (`mock.fetch`, `app.request`) read the web `Request`.
 *
 * @example
 * const token = bearerToken(requestHeader(c, 'authorization'))
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const { incoming } = nodeBindings(c)
  if (incoming?.headers) {
    const v = incoming.headers[name]
    return Array.isArray(v) ? v.join(', ') : v
  }
  return c.req.header(name)
}

/**
 * The request's path as sent (percent-decoded like Hono's), before the router's trailing-slash rule
 * strips a final `/`: what error bodies, the v4 `path` and fault rules see.
 *
 * @example
 * requestPath(c) // '/api/expense/extract/v1.0/' where c.req.path is '/api/expense/extract/v1.0'
 */
export function requestPath(c: Context): string {
  return getPath(c.req.raw)
}
