const SECRET_PARAMS =
  /^(client_secret|password|refresh_token|access_token|code|otp|token|requestToken|signature)$/i

/** Path plus query with secret-bearing parameters replaced by `[redacted]`. */
export function redactPath(url: string): string {
  const u = new URL(url, 'http://x')
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_PARAMS.test(key)) u.searchParams.set(key, '[redacted]')
  }
  const q = u.searchParams.toString()
  return q ? `${u.pathname}?${q}` : u.pathname
}
