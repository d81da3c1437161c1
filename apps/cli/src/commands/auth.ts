import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Command } from 'commander'
import { parseBaseUrl, requireFields, resolveCredentials } from '../credentials.js'
import { CliError, EXIT, usageError } from '../errors.js'
import { type CliIo, debug, note, readStdin } from '../io.js'

interface LoginOptions {
  profile: string
  clientId?: string
  username?: string
  passwordStdin?: boolean
  companyId?: string
  requestTokenStdin?: boolean
  authorizationCode?: boolean
  redirectPort?: number
  baseUrl?: string
  timeout: number
}

/** `concurkit auth login|status|logout`. */
export function registerAuthCommand(program: Command, io: CliIo): void {
  const auth = program
    .command('auth')
    .description('Log in to Concur and manage stored token profiles.')
    .addHelpText(
      'after',
      `
Examples:
  $ CONCUR_CLIENT_SECRET=… concurkit auth login --client-id <id> --username jane@corp.com --password-stdin < pw.txt
  $ CONCUR_CLIENT_SECRET=… CONCUR_REQUEST_TOKEN=… concurkit auth login --client-id <id> --company-id <uuid>
  $ concurkit auth status --json
  $ concurkit auth logout`,
    )

  auth
    .command('login')
    .description('Obtain tokens (password, company request token or authorization code) and store them.')
    .option('--profile <name>', 'profile name', 'default')
    .option('--client-id <id>', 'OAuth client id (or CONCUR_CLIENT_ID)')
    .option('--username <login>', 'password grant: login id (or CONCUR_USERNAME)')
    .option('--password-stdin', 'password grant: read the password from standard input (or CONCUR_PASSWORD)')
    .option('--company-id <uuid>', 'company request token grant: the company UUID')
    .option(
      '--request-token-stdin',
      'company grant: read the request token from standard input (or CONCUR_REQUEST_TOKEN)',
    )
    .option('--authorization-code', 'authorization code grant through a local redirect listener on 127.0.0.1')
    .option('--redirect-port <port>', 'port of the local redirect listener (default: a free port)', Number)
    .option('--base-url <url>', "the app's datacenter or a Concur-compatible base (or CONCUR_BASE_URL)")
    .option('--timeout <seconds>', 'authorization code: how long to wait for the redirect', Number, 300)
    .addHelpText(
      'after',
      `
Secrets are read from standard input or the environment, never from the command line.
The client secret comes from CONCUR_CLIENT_SECRET and is not stored; later refreshes read it from there too.

Examples:
  $ CONCUR_CLIENT_SECRET=… concurkit auth login --client-id <id> --username jane@corp.com --password-stdin < pw.txt
  $ CONCUR_CLIENT_SECRET=… concurkit auth login --client-id <id> --company-id <uuid> --request-token-stdin < token.txt
  $ CONCUR_CLIENT_SECRET=… concurkit auth login --client-id <id> --authorization-code`,
    )
    .action(async (opts: LoginOptions) => {
      const grants = [opts.companyId ? 1 : 0, opts.authorizationCode ? 1 : 0].reduce((a, b) => a + b, 0)
      if (grants > 1) throw usageError('choose one of --company-id and --authorization-code')
      const creds = await resolveCredentials(io, {
        ...(opts.clientId ? { clientId: opts.clientId } : {}),
        ...(opts.username ? { username: opts.username } : {}),
        ...(opts.passwordStdin ? { passwordStdin: true } : {}),
      })
      requireFields(creds, ['clientId', 'clientSecret'], 'needed to log in')
      const baseRaw = opts.baseUrl ?? creds.baseUrl
      const baseUrl = baseRaw ? parseBaseUrl(baseRaw, '--base-url') : undefined
      const authLib = await import('@concurkit/auth')
      const { profileStore } = await import('../profiles.js')
      const common = {
        clientId: creds.clientId,
        clientSecret: creds.clientSecret,
        ...(baseUrl ? { baseUrl } : {}),
      }
      const manager = authLib.createTokenManager({
        ...common,
        store: profileStore(io),
        profile: opts.profile,
      })
      if (opts.companyId) {
        const token = opts.requestTokenStdin ? await readStdin(io) : io.env.CONCUR_REQUEST_TOKEN
        if (!token)
          throw usageError(
            'company grant: pass the request token with --request-token-stdin or CONCUR_REQUEST_TOKEN',
          )
        io.redactor.add(token)
        debug(io, `company request token grant for company ${opts.companyId}`)
        const tokens = await authLib.companyRequestTokenGrant({
          ...common,
          companyId: opts.companyId,
          requestToken: token,
        })
        await manager.save(tokens, { grant: 'company', companyId: opts.companyId })
      } else if (opts.authorizationCode) {
        const tokens = await authorizationCodeLogin(io, common, opts)
        await manager.save(tokens, { grant: 'authorization_code' })
      } else {
        requireFields(creds, ['username', 'password'], 'password grant')
        debug(io, `password grant for ${creds.username}`)
        const tokens = await authLib.passwordGrant({
          ...common,
          username: creds.username,
          password: creds.password,
        })
        await manager.save(tokens, { grant: 'password', username: creds.username })
      }
      const status = await manager.status()
      note(io, `logged in: profile "${opts.profile}", ${describeWho(status)}`)
    })

  auth
    .command('status')
    .description('Who the stored profile is, its company, datacenter and token expiries (no secrets).')
    .option('--profile <name>', 'profile name', 'default')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ concurkit auth status\n  $ concurkit auth status --profile company --json',
    )
    .action(async (opts: { profile: string; json?: boolean }) => {
      const { storedManager } = await import('../profiles.js')
      const stored = await storedManager(io, opts.profile, { needSecret: false })
      if (!stored) {
        if (opts.json) io.stdout.write(`${JSON.stringify({ profile: opts.profile, authenticated: false })}\n`)
        else io.stdout.write(`profile "${opts.profile}": not logged in\n`)
        io.exitCode = EXIT.AUTH
        return
      }
      const s = await stored.manager.status()
      const out = {
        profile: s.profile,
        authenticated: s.authenticated,
        clientId: stored.clientId,
        grant: s.grant,
        principal: s.principal,
        datacenter: s.datacenter,
        geolocation: s.geolocation,
        scope: s.scope,
        accessExpiresAt: iso(s.accessExpiresAt),
        accessValid: s.accessValid,
        refreshExpiresAt: iso(s.refreshExpiresAt),
        refreshExpiresSoon: s.refreshExpiresSoon,
      }
      if (opts.json) {
        io.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
        return
      }
      io.stdout.write(
        [
          `profile:   ${out.profile}`,
          `who:       ${describeWho(s)}`,
          `scopes:    ${out.scope ?? ''}`,
          `access:    ${out.accessValid ? 'valid' : 'expired'} until ${out.accessExpiresAt ?? '?'}`,
          `refresh:   until ${out.refreshExpiresAt ?? 'unknown'}${out.refreshExpiresSoon ? ' (expires soon: log in again)' : ''}`,
        ].join('\n') + '\n',
      )
    })

  auth
    .command('logout')
    .description("Revoke the profile's tokens at Concur and forget them.")
    .option('--profile <name>', 'profile name', 'default')
    .option('--local', 'only forget the tokens locally (no revocation call)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ concurkit auth logout\n  $ concurkit auth logout --profile company --local',
    )
    .action(async (opts: { profile: string; local?: boolean }) => {
      const { storedManager } = await import('../profiles.js')
      const stored = await storedManager(io, opts.profile, { needSecret: false })
      if (!stored) throw new CliError(`no profile "${opts.profile}" to log out`, EXIT.AUTH)
      if (opts.local) await stored.manager.clear()
      else await stored.manager.revoke()
      note(io, `logged out: profile "${opts.profile}"${opts.local ? ' (local only)' : ' (tokens revoked)'}`)
    })
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString()
}

function describeWho(s: {
  principal?:
    | {
        type: string
        username?: string | undefined
        companyId?: string | undefined
        subject?: string | undefined
      }
    | undefined
  datacenter?: string | undefined
  geolocation?: string | undefined
}): string {
  const p = s.principal
  const who = p?.username ?? p?.subject ?? 'unknown'
  const company = p?.companyId ? `, company ${p.companyId}` : ''
  return `${p?.type ?? 'user'} ${who}${company}, datacenter ${s.datacenter ?? s.geolocation ?? 'unknown'}`
}

async function authorizationCodeLogin(
  io: CliIo,
  common: { clientId: string; clientSecret: string; baseUrl?: string },
  opts: LoginOptions,
) {
  const authLib = await import('@concurkit/auth')
  let resolveCallback: (url: string) => void = () => {}
  const got = new Promise<string>((r) => {
    resolveCallback = r
  })
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== '/callback') {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('concurkit: you can close this window.\n')
    resolveCallback(url.toString())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.redirectPort ?? 0, '127.0.0.1', () => resolve())
  })
  try {
    const port = (server.address() as AddressInfo).port
    const redirectUri = `http://127.0.0.1:${port}/callback`
    const { url, state } = authLib.buildAuthorizeUrl({
      clientId: common.clientId,
      redirectUri,
      scope: 'openid EXPRPT',
      ...(common.baseUrl ? { baseUrl: common.baseUrl } : {}),
    })
    note(io, `open this URL in a browser to authorize: ${url}`)
    const timer = setTimeout(() => resolveCallback(''), opts.timeout * 1000)
    const callback = await got
    clearTimeout(timer)
    if (!callback) throw new CliError(`no redirect within ${opts.timeout} s`, EXIT.AUTH)
    const parsed = authLib.parseAuthorizationCallback(callback, { expectedState: state })
    return await authLib.authorizationCodeGrant({
      ...common,
      code: parsed.code,
      redirectUri,
      geolocation: parsed.geolocation,
    })
  } finally {
    server.close()
  }
}
