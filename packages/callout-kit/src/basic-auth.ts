import { sha256 } from '@noble/hashes/sha2.js'
import { fromBase64, fromUtf8, timingSafeEqual, toBase64, utf8 } from './bytes.js'

/** The user name and password registered for the connector in Concur. */
export interface ConnectorCredentials {
  readonly user: string
  readonly password: string
}

const digest = (s: string) => sha256(utf8(s))

/**
 * Checks an `Authorization: Basic …` header against the connector's credentials in constant time:
 * both user and password are hashed to equal-length digests and compared with `timingSafeEqual`,
 * and both comparisons always run.
 *
 * @example
 * checkBasicAuth('Basic Y29uY3VyOmNvbmN1cg==', { user: 'concur', password: 'concur' }) // true
 */
export function checkBasicAuth(
  header: string | undefined | null,
  credentials: ConnectorCredentials,
): boolean {
  const match = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header ?? '')
  const decoded = match?.[1] ? fromUtf8(fromBase64(match[1])) : ''
  const colon = decoded.indexOf(':')
  const user = colon >= 0 ? decoded.slice(0, colon) : ''
  const password = colon >= 0 ? decoded.slice(colon + 1) : ''
  const userOk = timingSafeEqual(digest(user), digest(credentials.user))
  const passwordOk = timingSafeEqual(digest(password), digest(credentials.password))
  return Boolean(match) && colon >= 0 && userOk && passwordOk
}

/**
 * The `Authorization` header Concur sends.
 *
 * @example
 * basicAuthHeader({ user: 'concur', password: 'concur' }) // 'Basic Y29uY3VyOmNvbmN1cg=='
 */
export function basicAuthHeader(credentials: ConnectorCredentials): string {
  return `Basic ${toBase64(utf8(`${credentials.user}:${credentials.password}`))}`
}
