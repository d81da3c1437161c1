import { readFile } from 'node:fs/promises'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { generate } from 'selfsigned'
import { CALLOUT_CONFIG_INVALID, CalloutKitError } from './errors.js'

/**
 * Cipher preference: TLS 1.3 suites, then the ECDHE suites Concur's callout security standard lists
 * (GCM and ChaCha20 first, CBC last).
 */
export const CONNECTOR_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384',
  'ECDHE-ECDSA-AES128-SHA256',
  'ECDHE-RSA-AES128-SHA256',
].join(':')

/** Certificate and key, as PEM text or from files. */
export type TlsSource =
  | { readonly cert: string | Buffer; readonly key: string | Buffer }
  | { readonly certFile: string; readonly keyFile: string }

/** Options of `serveConnector`. */
export interface ServeConnectorOptions {
  /** The connector (`createConnector(...)`) or any fetch handler. */
  app: { fetch: (request: Request) => Response | Promise<Response> }
  /** Port (0 = any free port). Default 8443. */
  port?: number
  /** Interface to listen on. Default `127.0.0.1`; use `0.0.0.0` to be reachable from outside. */
  hostname?: string
  /** Certificate and key (required unless `insecureHttp`). */
  tls?: TlsSource
  /** Serve plain HTTP (for a TLS-terminating proxy in front). Concur itself only calls HTTPS. */
  insecureHttp?: boolean
}

/** A running connector server. */
export interface RunningConnector {
  /** Base URL, e.g. `https://127.0.0.1:8443`. */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

/**
 * Serves a connector over HTTPS (TLS 1.2 minimum, ECDHE suites first, cert/key from PEM or files);
 * plain HTTP only with `insecureHttp: true`.
 *
 * @example
 * const server = await serveConnector({ app, port: 8443, tls: { certFile: 'cert.pem', keyFile: 'key.pem' } })
 * // later: await server.close()
 */
export async function serveConnector(options: ServeConnectorOptions): Promise<RunningConnector> {
  const hostname = options.hostname ?? '127.0.0.1'
  const port = options.port ?? 8443
  if (!options.tls && !options.insecureHttp) {
    throw new CalloutKitError(
      CALLOUT_CONFIG_INVALID,
      'tls (cert and key) is required; pass insecureHttp: true for plain HTTP',
    )
  }
  let tls: { cert: string | Buffer; key: string | Buffer } | undefined
  if (options.tls) {
    tls =
      'certFile' in options.tls
        ? { cert: await readFile(options.tls.certFile), key: await readFile(options.tls.keyFile) }
        : { cert: options.tls.cert, key: options.tls.key }
  }
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: options.app.fetch,
        port,
        hostname,
        ...(tls
          ? {
              createServer: createHttpsServer,
              serverOptions: {
                ...tls,
                minVersion: 'TLSv1.2' as const,
                ciphers: CONNECTOR_CIPHERS,
                honorCipherOrder: true,
              },
            }
          : {}),
      },
      (info: AddressInfo) => {
        server.off('error', reject)
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
        resolve({
          url: `${tls ? 'https' : 'http'}://${host}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              const s = server as unknown as { closeAllConnections?: () => void }
              server.close(() => done())
              s.closeAllConnections?.()
            }),
        })
      },
    )
    server.once('error', reject)
  })
}

/** Options of `createSelfSignedCertificate`. */
export interface SelfSignedOptions {
  /** Host names and IP addresses the certificate is valid for. Default `['localhost', '127.0.0.1', '::1']`. */
  hosts?: readonly string[]
  /** Validity in days. Default 30. */
  days?: number
}

/**
 * Makes a self-signed certificate (EC P-256, SHA-256) for development: serve with `{ cert, key }`
 * and trust `cert` as the CA on the calling side (the mock's `ca`, `callout test --ca`).
 *
 * @example
 * const { cert, key } = await createSelfSignedCertificate({ hosts: ['localhost', '127.0.0.1'] })
 */
export async function createSelfSignedCertificate(
  options: SelfSignedOptions = {},
): Promise<{ cert: string; key: string }> {
  const hosts = options.hosts ?? ['localhost', '127.0.0.1', '::1']
  const days = options.days ?? 30
  const notBeforeDate = new Date(Date.now() - 60_000)
  const notAfterDate = new Date(notBeforeDate.getTime() + days * 86_400_000)
  const isIp = (h: string) => /^[\d.]+$/.test(h) || h.includes(':')
  const pems = await generate([{ name: 'commonName', value: hosts[0] ?? 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: hosts.map((h) => (isIp(h) ? { type: 7, ip: h } : { type: 2, value: h })),
      },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}
