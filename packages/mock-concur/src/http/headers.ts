import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'

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
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  if (incoming?.headers) {
    const v = incoming.headers[name]
    return Array.isArray(v) ? v.join(', ') : v
  }
  return c.req.header(name)
}
