import { usageError } from './errors.js'
import { type CliIo, readStdin } from './io.js'

/** Where the CLI finds credentials: flags first, then the fixed environment variables. */
export interface CredentialFlags {
  clientId?: string
  username?: string
  passwordStdin?: boolean
}

/** Client id/secret and user credentials, resolved from flags, stdin and environment. */
export interface ResolvedCredentials {
  clientId?: string
  clientSecret?: string
  username?: string
  password?: string
  baseUrl?: string
}

/**
 * Resolves credentials: `--client-id`/`--username` or `CONCUR_CLIENT_ID`/`CONCUR_USERNAME`;
 * secrets only from stdin (`--password-stdin`) or `CONCUR_CLIENT_SECRET`/`CONCUR_PASSWORD`,
 * never from argv. Every secret is registered with the redactor.
 *
 * @example
 * const creds = await resolveCredentials(io, { passwordStdin: true })
 */
export async function resolveCredentials(io: CliIo, flags: CredentialFlags): Promise<ResolvedCredentials> {
  const env = io.env
  const out: ResolvedCredentials = {}
  const clientId = flags.clientId ?? env.CONCUR_CLIENT_ID
  if (clientId) out.clientId = clientId
  if (env.CONCUR_CLIENT_SECRET) out.clientSecret = env.CONCUR_CLIENT_SECRET
  const username = flags.username ?? env.CONCUR_USERNAME
  if (username) out.username = username
  if (flags.passwordStdin) {
    if (io.stdin.isTTY)
      throw usageError('--password-stdin expects the password on standard input (pipe it in)')
    const pw = await readStdin(io)
    if (!pw) throw usageError('--password-stdin: standard input was empty')
    out.password = pw
  } else if (env.CONCUR_PASSWORD) {
    out.password = env.CONCUR_PASSWORD
  }
  if (env.CONCUR_BASE_URL) out.baseUrl = env.CONCUR_BASE_URL
  io.redactor.add(out.clientSecret)
  io.redactor.add(out.password)
  return out
}

/** Fails with a usage error naming what is missing. */
export function requireFields<K extends keyof ResolvedCredentials>(
  creds: ResolvedCredentials,
  keys: readonly K[],
  hint: string,
): asserts creds is ResolvedCredentials & Required<Pick<ResolvedCredentials, K>> {
  const names: Record<keyof ResolvedCredentials, string> = {
    clientId: '--client-id or CONCUR_CLIENT_ID',
    clientSecret: 'CONCUR_CLIENT_SECRET',
    username: '--username or CONCUR_USERNAME',
    password: '--password-stdin or CONCUR_PASSWORD',
    baseUrl: '--base-url or CONCUR_BASE_URL',
  }
  const missing = keys.filter((k) => !creds[k])
  if (missing.length > 0) throw usageError(`missing ${missing.map((k) => names[k]).join(', ')} (${hint})`)
}

/** Validates a base URL option (http(s) only), without a trailing slash. */
export function parseBaseUrl(value: string, flag: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw usageError(`${flag}: "${value}" is not a URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw usageError(`${flag}: only http(s) URLs`)
  return url.toString().replace(/\/+$/, '')
}
