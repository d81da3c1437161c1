import { execFile, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The built CLI (the root test command builds before vitest runs). */
export const CLI = fileURLToPath(new URL('../apps/cli/dist/bin.js', import.meta.url))

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Runs `node apps/cli/dist/bin.js ...args` as a child process. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env }
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k]
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env: env as NodeJS.ProcessEnv, timeout: options.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code =
          err && typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : err
              ? -1
              : 0
        if (err && code === -1 && !(err as { killed?: boolean }).killed && stderr === '') reject(err)
        else resolve({ code, stdout, stderr })
      },
    )
    child.stdin?.end(options.input ?? '')
  })
}

/**
 * The environment credentials of a mock company's first app and first user (the Web Services
 * Administrator), as a user exports them for the CLI.
 */
export function credentialsEnv(company: {
  readonly apps: readonly { readonly clientId: string; readonly clientSecret: string }[]
  readonly users: readonly { readonly loginId: string; readonly password: string }[]
}): Record<'CONCUR_CLIENT_ID' | 'CONCUR_CLIENT_SECRET' | 'CONCUR_USERNAME' | 'CONCUR_PASSWORD', string> {
  return {
    CONCUR_CLIENT_ID: company.apps[0]!.clientId,
    CONCUR_CLIENT_SECRET: company.apps[0]!.clientSecret,
    CONCUR_USERNAME: company.users[0]!.loginId,
    CONCUR_PASSWORD: company.users[0]!.password,
  }
}

/**
 * A password grant of a company's first user (the Web Services Administrator) through `doFetch`
 * (`fetch` for a listening mock, `mock.fetch` in-process): the access token and the geolocation.
 */
export async function adminGrant(
  doFetch: typeof fetch,
  base: string,
  app: { readonly clientId: string; readonly clientSecret: string },
  user: { readonly loginId: string; readonly password: string },
): Promise<{ access_token: string; geolocation: string }> {
  const res = await doFetch(`${base}/oauth2/v0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      username: user.loginId,
      password: user.password,
    }),
  })
  if (res.status !== 200) throw new Error(`password grant answered ${res.status}`)
  return (await res.json()) as { access_token: string; geolocation: string }
}

export { spawn }
