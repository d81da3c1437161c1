import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { rootCertificates } from 'node:tls'
import type { EventKeyMaterial } from './keys.js'
import type { EventsStore } from './store.js'

/** The outcome of one delivery attempt: the receiver's status (0 = no answer) and why. */
export interface AttemptResult {
  readonly status: number
  readonly error?: string
}

/**
 * POSTs one delivery on Node (mutual TLS with the mock's client certificate, the public roots plus
 * the CAs trusted through the admin API, the ack timeout). Loaded by the delivery loop with a dynamic
 * import, so the `.` entry imports no Node built-in.
 */
export function post(
  store: Pick<EventsStore, 'trusted' | 'ackTimeoutMs'>,
  material: EventKeyMaterial,
  endpoint: string,
  body: string,
  headers: Record<string, string>,
): Promise<AttemptResult> {
  return new Promise((resolve) => {
    let url: URL
    try {
      url = new URL(endpoint)
    } catch {
      resolve({ status: 0, error: 'invalid endpoint URL' })
      return
    }
    const https = url.protocol === 'https:'
    const options = {
      method: 'POST',
      agent: false as const,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      ...(https
        ? {
            cert: material.clientCertPem,
            key: material.clientKeyPem,
            ca: [...rootCertificates, ...store.trusted],
            servername: url.hostname,
          }
        : {}),
    }
    let settled = false
    const done = (r: AttemptResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(r)
    }
    const req = (https ? httpsRequest : httpRequest)(url, options, (res) => {
      res.resume()
      res.on('end', () => done({ status: res.statusCode ?? 0 }))
      res.on('error', (err) => done({ status: res.statusCode ?? 0, error: err.message }))
    })
    const timer = setTimeout(() => {
      done({ status: 0, error: `no answer within the ack timeout (${store.ackTimeoutMs} ms)` })
      req.destroy()
    }, store.ackTimeoutMs)
    req.on('error', (err) => done({ status: 0, error: (err as NodeJS.ErrnoException).code ?? err.message }))
    req.end(body)
  })
}
