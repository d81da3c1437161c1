/**
 * Removes secrets from text before the CLI prints it: every value registered with `add()`
 * (passwords, client secrets, tokens the CLI handled) plus anything shaped like a secret
 * (JWTs, `Bearer …`, `password=…`, `client_secret=…`, `refresh_token=…`).
 *
 * @example
 * const r = createRedactor(); r.add('hunter2hunter2'); r.redact('pw hunter2hunter2') // 'pw [redacted]'
 */
export interface Redactor {
  add(secret: string | undefined): void
  redact(text: string): string
}

const PATTERNS: readonly RegExp[] = [
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  /\b(Bearer|OAuth|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(password|client_secret|refresh_token|access_token|id_token|requestToken|token|otp|code)=([^&\s"']+)/gi,
  /"(password|clientSecret|client_secret|refresh_token|refreshToken|access_token|accessToken|id_token|token)"\s*:\s*"[^"]*"/g,
]

export function createRedactor(): Redactor {
  const secrets = new Set<string>()
  return {
    add(secret) {
      if (secret && secret.length >= 4) secrets.add(secret)
    },
    redact(text) {
      let out = text
      for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('[redacted]')
      out = out.replace(PATTERNS[0]!, '[redacted]')
      out = out.replace(PATTERNS[1]!, (_m, scheme: string) => `${scheme} [redacted]`)
      out = out.replace(PATTERNS[2]!, (_m, key: string) => `${key}=[redacted]`)
      out = out.replace(PATTERNS[3]!, (_m, key: string) => `"${key}":"[redacted]"`)
      return out
    },
  }
}
