import { homedir } from 'node:os'
import { join } from 'node:path'
import {
  createTokenManager,
  fileStore,
  passwordGrant,
  type TokenManager,
  type TokenStore,
} from '@concurkit/auth'
import { parseBaseUrl, requireFields, resolveCredentials } from './credentials.js'
import { CliError, EXIT } from './errors.js'
import type { CliIo } from './io.js'

/** Where profiles live: `CONCURKIT_CONFIG_DIR`, else `$XDG_CONFIG_HOME/concurkit`, else `~/.config/concurkit`. */
export function configDir(io: CliIo): string {
  if (io.env.CONCURKIT_CONFIG_DIR) return io.env.CONCURKIT_CONFIG_DIR
  if (io.env.XDG_CONFIG_HOME) return join(io.env.XDG_CONFIG_HOME, 'concurkit')
  if (process.platform === 'win32' && io.env.APPDATA) return join(io.env.APPDATA, 'concurkit')
  return join(homedir(), '.config', 'concurkit')
}

/** The profile file (`profiles.json`, mode 0600, written atomically by `@concurkit/auth`'s file store). */
export function profileStore(io: CliIo): TokenStore {
  return fileStore(join(configDir(io), 'profiles.json'))
}

/** A token manager for a stored profile; the client secret comes from `CONCUR_CLIENT_SECRET` (never stored). */
export async function storedManager(
  io: CliIo,
  profile: string,
  options: { needSecret: boolean },
): Promise<{ manager: TokenManager; clientId: string } | undefined> {
  const store = profileStore(io)
  const stored = await store.get(profile)
  if (!stored) return undefined
  const secret = io.env.CONCUR_CLIENT_SECRET
  if (options.needSecret && !secret) {
    throw new CliError(
      `profile "${profile}" needs CONCUR_CLIENT_SECRET in the environment to refresh its tokens`,
      EXIT.USAGE,
    )
  }
  io.redactor.add(secret)
  const manager = createTokenManager({
    clientId: stored.clientId,
    clientSecret: secret ?? 'unused-without-refresh',
    store,
    profile,
  })
  return { manager, clientId: stored.clientId }
}

/**
 * The token source for `extract`: credentials in the environment (the CI case: a password grant,
 * nothing stored) or else the stored profile.
 */
export async function resolveTokenSource(
  io: CliIo,
  opts: { profile: string; baseUrl?: string },
): Promise<{ manager: TokenManager; geolocation?: string }> {
  const env = io.env
  if (env.CONCUR_CLIENT_ID && env.CONCUR_CLIENT_SECRET && env.CONCUR_USERNAME && env.CONCUR_PASSWORD) {
    const creds = await resolveCredentials(io, {})
    requireFields(
      creds,
      ['clientId', 'clientSecret', 'username', 'password'],
      'credentials from the environment',
    )
    const base = opts.baseUrl ?? creds.baseUrl
    const tokens = await passwordGrant({
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      username: creds.username,
      password: creds.password,
      ...(base ? { baseUrl: parseBaseUrl(base, 'CONCUR_BASE_URL') } : {}),
    })
    const { memoryStore } = await import('@concurkit/auth')
    const manager = createTokenManager({
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      store: memoryStore(),
      profile: 'env',
      ...(base ? { baseUrl: parseBaseUrl(base, 'CONCUR_BASE_URL') } : {}),
    })
    await manager.save(tokens, { grant: 'password', username: creds.username })
    return { manager, geolocation: tokens.geolocation }
  }
  const stored = await storedManager(io, opts.profile, { needSecret: true })
  if (!stored) {
    throw new CliError(
      `no profile "${opts.profile}": run \`concurkit auth login\` or set CONCUR_CLIENT_ID, CONCUR_CLIENT_SECRET, CONCUR_USERNAME, CONCUR_PASSWORD`,
      EXIT.AUTH,
    )
  }
  return { manager: stored.manager }
}
