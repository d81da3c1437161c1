import { type DeprecationNotice, parseDeprecationHeaders } from '@concurkit/contract'
import type { RawResponse, Transport } from './http.js'

/** A deprecation signal a response carried, with the request that received it. */
export interface ReceivedDeprecation extends DeprecationNotice {
  /** The URL of the first request that received it (query left out). */
  readonly url: string
}

/** Called once per deprecated endpoint a client reaches (the first response that says so). */
export type DeprecationListener = (notice: ReceivedDeprecation) => void

/**
 * Wraps a transport so the `x-api-warn` / `sunset` headers of its responses reach the caller:
 * collected in `seen` (one entry per endpoint) and handed to `listener` the first time. Never
 * writes to the console: what to do with a warning is the caller's choice.
 */
export function observeDeprecations(
  transport: Transport,
  listener: DeprecationListener | undefined,
): { transport: Transport; seen: ReadonlyMap<string, ReceivedDeprecation> } {
  const seen = new Map<string, ReceivedDeprecation>()
  const observe = (res: RawResponse) => {
    const notice = parseDeprecationHeaders((name) => {
      const v = res.headers[name]
      return Array.isArray(v) ? v[0] : v
    })
    if (!notice) return
    const key = notice.endpoint ?? notice.warning
    if (seen.has(key)) return
    const received: ReceivedDeprecation = { ...notice, url: `${res.url.origin}${res.url.pathname}` }
    seen.set(key, received)
    listener?.(received)
  }
  const wrapped: Transport = {
    baseUrl: () => transport.baseUrl(),
    send: (request, parse) =>
      transport.send(request, (res) => {
        observe(res)
        return parse(res)
      }),
    get stats() {
      return transport.stats
    },
    close: () => transport.close(),
  }
  return { transport: wrapped, seen }
}
