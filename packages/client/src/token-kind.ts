import { CLIENT_ERROR_CODES, ConcurClientError } from './errors.js'
import type { TokenSource } from './http.js'

/** The `concur.type` claim of a JWT access token, if it is one (no verification: a hint for errors). */
export function tokenKind(token: string): string | undefined {
  const payload = token.split('.')[1]
  if (!payload) return undefined
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
    return typeof claims['concur.type'] === 'string' ? claims['concur.type'] : undefined
  } catch {
    return undefined
  }
}

/** The `sub` claim of a user JWT access token (the user's id), if it is one (no verification). */
export function tokenUser(token: string): string | undefined {
  const payload = token.split('.')[1]
  if (!payload) return undefined
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
    return claims['concur.type'] === 'user' && typeof claims.sub === 'string' ? claims.sub : undefined
  } catch {
    return undefined
  }
}

/**
 * Refuses, before any request, a token that is not company-level for an API that accepts company
 * tokens only (Identity v4.1, User Provisioning v4); the error names the token's kind.
 *
 * @example
 * await requireCompanyToken(auth, 'Identity v4.1', signal)
 */
export async function requireCompanyToken(
  auth: TokenSource,
  api: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const kind = tokenKind(await auth.getAccessToken(signal ? { signal } : {}))
  if (kind !== undefined && kind !== 'company')
    throw new ConcurClientError(
      CLIENT_ERROR_CODES.INVALID_ARGUMENT,
      `${api} accepts company-level access tokens only; this is a ${kind} token (concur.type=${kind}). Get a company token with the password grant credtype=authtoken`,
    )
}
