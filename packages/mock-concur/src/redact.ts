const SECRET_PARAMS =
  /^(client_secret|password|refresh_token|access_token|id_token|code|otp|token|requestToken|authtoken|signature|secret|api_?key|authorization|assertion)$/i

/**
 * Path plus query with secret-bearing parameters replaced by `[redacted]`.
 *
 * @example
 * redactPath('http://x/cb?code=abc&state=1') // '/cb?code=%5Bredacted%5D&state=1'
 */
export function redactPath(url: string): string {
  const u = new URL(url, 'http://x')
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_PARAMS.test(key)) u.searchParams.set(key, '[redacted]')
  }
  const q = u.searchParams.toString()
  return q ? `${u.pathname}?${q}` : u.pathname
}
