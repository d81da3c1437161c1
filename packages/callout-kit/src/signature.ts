import {
  LAUNCH_URL_SIGNED_FIELDS,
  type LaunchExternalUrlV1Query,
  type LaunchExternalUrlV4Query,
} from '@concurkit/contract'
import { hmac } from '@noble/hashes/hmac.js'
import { sha1 } from '@noble/hashes/legacy.js'
import { sha256 } from '@noble/hashes/sha2.js'
import type { ConnectorCredentials } from './basic-auth.js'
import { fromBase64, randomHex, timingSafeEqual, toBase64, utf8 } from './bytes.js'

/** Launch External URL versions: v1 signs with HMAC-SHA1, v4 with HMAC-SHA256. */
export type LaunchUrlVersion = 'v1' | 'v4'

/** The query fields of a launch, without `signature`. */
export type LaunchFields<V extends LaunchUrlVersion> = V extends 'v1'
  ? Omit<LaunchExternalUrlV1Query, 'signature'>
  : Omit<LaunchExternalUrlV4Query, 'signature'>

/**
 * Computes the Base64 `signature` of a launch: HMAC (SHA-1 for v1, SHA-256 for v4) over the
 * signed fields + connector user + password + nonce, keyed with lowercase(user) + password.
 *
 * @example
 * signLaunchExternalUrl('v1', { xcompanydomain: 'example.com', xuserid: 'cm', itemurl: 'https://…', nonce: 'n1' }, creds)
 * @see reference section D.6
 */
export function signLaunchExternalUrl<V extends LaunchUrlVersion>(
  version: V,
  fields: LaunchFields<V>,
  credentials: ConnectorCredentials,
): string {
  const source = fields as unknown as Record<string, string | undefined>
  const signed = LAUNCH_URL_SIGNED_FIELDS[version].map((name) => source[name] ?? '').join('')
  const base = `${signed}${credentials.user}${credentials.password}${source.nonce ?? ''}`
  const key = `${credentials.user.toLowerCase()}${credentials.password}`
  return toBase64(hmac(version === 'v1' ? sha1 : sha256, utf8(key), utf8(base)))
}

/**
 * Verifies the `signature` of a launch in constant time (Base64-decoded MAC against the expected MAC).
 *
 * @example
 * verifyLaunchExternalUrl('v4', query, creds) // true or false
 */
export function verifyLaunchExternalUrl(
  version: LaunchUrlVersion,
  query: Record<string, string | undefined>,
  credentials: ConnectorCredentials,
): boolean {
  const given = fromBase64(query.signature ?? '')
  const expected = fromBase64(
    signLaunchExternalUrl(version, query as unknown as LaunchFields<typeof version>, credentials),
  )
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * Builds the signed URL Concur opens in the user's browser (adds a random `nonce` unless given).
 *
 * @example
 * buildLaunchExternalUrl('https://connector.example.com/concur/form/v1.0/get', 'v1', { xcompanydomain: 'example.com', xuserid: 'cm', itemurl: 'https://…' }, creds)
 */
export function buildLaunchExternalUrl<V extends LaunchUrlVersion>(
  url: string,
  version: V,
  fields: Omit<LaunchFields<V>, 'nonce'> & { nonce?: string },
  credentials: ConnectorCredentials,
): string {
  const withNonce = { ...fields, nonce: fields.nonce ?? randomHex(16) } as LaunchFields<V>
  const target = new URL(url)
  for (const [k, v] of Object.entries(withNonce)) if (v !== undefined) target.searchParams.set(k, String(v))
  target.searchParams.set('signature', signLaunchExternalUrl(version, withNonce, credentials))
  return target.toString()
}
