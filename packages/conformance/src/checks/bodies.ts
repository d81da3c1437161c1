import { fail } from '../types.js'
import type { WireResponse } from '../wire.js'

/**
 * The `sub` of a JWT access token — the Identity UUID a user token speaks for — or `undefined` when
 * the token is not a JWT with one.
 */
export function tokenSubject(token: string): string | undefined {
  try {
    const { sub } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      sub?: unknown
    }
    return typeof sub === 'string' && sub !== '' ? sub : undefined
  } catch {
    return undefined
  }
}

/**
 * The JSON body of an answer read with a contract schema; the check fails naming `what` when the
 * body is not JSON or does not match.
 */
export function contractBody<T>(
  res: WireResponse,
  schema: { safeParse(x: unknown): { success: boolean; data?: T } },
  what: string,
): T {
  let raw: unknown
  try {
    raw = res.json()
  } catch {
    fail(`${what}: the body is not JSON (${res.status})`)
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) fail(`${what}: the body does not match the contract`)
  return parsed.data as T
}
