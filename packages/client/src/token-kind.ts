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
