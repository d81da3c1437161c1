// The `tls` option, result and error of `listen()`, apart from the certificate code (which needs
// Node and is loaded only when a mock listens with TLS), so the `.` entry can name them.

/** TLS options of `listen({ tls })`. */
export interface MockTlsOptions {
  /**
   * Directory the CA certificate is written to (`ca.pem`; created with mode 0700 if missing, kept
   * on `close()`). Default: a new directory under the OS temp dir, removed on `close()`.
   */
  dir?: string
  /**
   * Your own CA (PEM certificate and private key, RSA or ECDSA P-256/P-384), e.g. mkcert's root CA:
   * it signs the mock's server certificate instead of a CA generated at start, so clients that
   * already trust it need nothing else. The key stays in memory.
   */
  ca?: { cert: string | Uint8Array; key: string | Uint8Array }
  /** More names or IP addresses for the server certificate (beyond `localhost`, `127.0.0.1`, `::1`). */
  hosts?: readonly string[]
}

/** Where a TLS mock's CA certificate is: what a client must trust. */
export interface MockTlsInfo {
  /** Path of the CA certificate (PEM): `NODE_EXTRA_CA_CERTS`, `curl --cacert`, `REQUESTS_CA_BUNDLE`, newman `--ssl-extra-ca-certs`. */
  readonly ca: string
  /** The CA certificate itself (PEM). */
  readonly caPem: string
  /** The names and addresses the server certificate is valid for. */
  readonly hosts: readonly string[]
}

/** What the HTTPS servers are started with, plus the cleanup of a generated directory. */
export interface MockTlsMaterial extends MockTlsInfo {
  /** The server certificate (PEM). */
  readonly cert: string
  /** The server's private key (PEM). Held in memory only: never written, never logged. */
  readonly key: string
  /** Removes the directory when the mock created it. */
  dispose(): Promise<void>
}

/** A bad `tls` option (unreadable CA, key that does not match, not a CA ...). */
export class MockTlsError extends Error {
  readonly code = 'CONCUR_MOCK_TLS'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MockTlsError'
  }
}
