import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import {
  ADVICE,
  CONCUR_INVALID_REQUEST,
  CONCUR_STORE_ERROR,
  CONCUR_STORE_INSECURE,
  ConcurAuthError,
} from './errors.js'
import { Secret } from './secret.js'
import type { TokenSet } from './token-endpoint.js'

/** How a profile's tokens were first obtained (decides how the manager renews them). */
export type GrantKind =
  | 'password'
  | 'company'
  | 'client_credentials'
  | 'authorization_code'
  | 'otp'
  | 'refresh_token'

/** Who a profile's tokens belong to. Facts only, no secrets. */
export interface Principal {
  /** `user`, `company` (company request token) or `app` (client credentials). */
  readonly type: 'user' | 'company' | 'app'
  /** User or company UUID (id_token `sub`), when known. */
  readonly subject?: string | undefined
  /** Login id the user signed in with, when known. */
  readonly username?: string | undefined
  /** Company UUID, when known. */
  readonly companyId?: string | undefined
}

/** One stored profile: the token set plus what is needed to renew it. */
export interface StoredProfile {
  readonly clientId: string
  readonly grant: GrantKind
  readonly principal: Principal
  readonly tokens: TokenSet
  /** Epoch ms of the last write. */
  readonly updatedAt: number
}

/**
 * Where token profiles live. Three async methods keyed by profile name (e.g. `company`, `user:jane`),
 * so a secrets manager, keychain or database can be plugged in. Use {@link encodeProfile} and
 * {@link decodeProfile} to turn a profile into a JSON-safe object and back.
 *
 * `set` must not resolve before the profile is durably stored: the token manager relies on it to
 * never lose a rotated refresh token.
 *
 * @example
 * const vaultStore: TokenStore = {
 *   async get(key) { const s = await vault.read(`concur/${key}`); return s ? decodeProfile(JSON.parse(s)) : undefined },
 *   async set(key, p) { await vault.write(`concur/${key}`, JSON.stringify(encodeProfile(p))) },
 *   async delete(key) { await vault.remove(`concur/${key}`) },
 * }
 */
export interface TokenStore {
  get(profile: string): Promise<StoredProfile | undefined>
  set(profile: string, value: StoredProfile): Promise<void>
  delete(profile: string): Promise<void>
}

/** The JSON form of a profile (credentials in clear: only ever written to a store). */
export interface EncodedProfile {
  clientId: string
  grant: GrantKind
  principal: Principal
  accessToken: string
  refreshToken?: string
  idToken?: string
  tokenType: string
  scope: string
  geolocation: string
  obtainedAt: number
  expiresAt: number
  refreshExpiresAt?: number
  updatedAt: number
}

/**
 * Turns a profile into a JSON-safe object, revealing its secrets (for custom stores).
 *
 * @example
 * await kv.put(key, JSON.stringify(encodeProfile(profile)))
 */
export function encodeProfile(p: StoredProfile): EncodedProfile {
  const t = p.tokens
  return {
    clientId: p.clientId,
    grant: p.grant,
    principal: { ...p.principal },
    accessToken: t.accessToken.reveal(),
    ...(t.refreshToken ? { refreshToken: t.refreshToken.reveal() } : {}),
    ...(t.idToken ? { idToken: t.idToken.reveal() } : {}),
    tokenType: t.tokenType,
    scope: t.scope,
    geolocation: t.geolocation,
    obtainedAt: t.obtainedAt,
    expiresAt: t.expiresAt,
    ...(t.refreshExpiresAt === undefined ? {} : { refreshExpiresAt: t.refreshExpiresAt }),
    updatedAt: p.updatedAt,
  }
}

const GRANTS = new Set<string>([
  'password',
  'company',
  'client_credentials',
  'authorization_code',
  'otp',
  'refresh_token',
])

/**
 * Validates and turns the JSON form back into a profile (secrets wrapped again). Throws
 * `CONCUR_STORE_ERROR` on a malformed entry.
 *
 * @example
 * const profile = decodeProfile(JSON.parse(await kv.get(key)))
 */
export function decodeProfile(raw: unknown): StoredProfile {
  const bad = (what: string) =>
    new ConcurAuthError(
      CONCUR_STORE_ERROR,
      `A stored profile is malformed (${what}). ${ADVICE[CONCUR_STORE_ERROR]}`,
    )
  if (typeof raw !== 'object' || raw === null) throw bad('not an object')
  const r = raw as Record<string, unknown>
  const str = (k: string, optional = false): string | undefined => {
    const v = r[k]
    if (v === undefined && optional) return undefined
    if (typeof v !== 'string' || v === '') throw bad(k)
    return v
  }
  const num = (k: string, optional = false): number | undefined => {
    const v = r[k]
    if (v === undefined && optional) return undefined
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(k)
    return v
  }
  const grant = str('grant') as GrantKind
  if (!GRANTS.has(grant)) throw bad('grant')
  const p = r.principal as Record<string, unknown> | undefined
  if (typeof p !== 'object' || p === null || !['user', 'company', 'app'].includes(p.type as string))
    throw bad('principal')
  const opt = (v: unknown) => (typeof v === 'string' ? v : undefined)
  const refreshToken = str('refreshToken', true)
  const idToken = str('idToken', true)
  const tokens: TokenSet = Object.freeze({
    accessToken: new Secret(str('accessToken')!),
    refreshToken: refreshToken ? new Secret(refreshToken) : undefined,
    idToken: idToken ? new Secret(idToken) : undefined,
    tokenType: str('tokenType')!,
    scope: typeof r.scope === 'string' ? r.scope : '',
    geolocation: str('geolocation')!,
    obtainedAt: num('obtainedAt')!,
    expiresAt: num('expiresAt')!,
    refreshExpiresAt: num('refreshExpiresAt', true),
  })
  return Object.freeze({
    clientId: str('clientId')!,
    grant,
    principal: Object.freeze({
      type: p.type as Principal['type'],
      subject: opt(p.subject),
      username: opt(p.username),
      companyId: opt(p.companyId),
    }),
    tokens,
    updatedAt: num('updatedAt')!,
  })
}

function checkKey(profile: string): void {
  if (typeof profile !== 'string' || profile === '' || profile.length > 200) {
    throw new ConcurAuthError(
      CONCUR_INVALID_REQUEST,
      'A profile name must be a non-empty string (max 200 chars).',
    )
  }
}

/**
 * A token store in memory (tests, short-lived processes).
 *
 * @example
 * const manager = createTokenManager({ clientId, clientSecret, store: memoryStore(), profile: 'company' })
 */
export function memoryStore(): TokenStore {
  const profiles = new Map<string, StoredProfile>()
  return {
    async get(profile) {
      checkKey(profile)
      return profiles.get(profile)
    },
    async set(profile, value) {
      checkKey(profile)
      profiles.set(profile, value)
    },
    async delete(profile) {
      checkKey(profile)
      profiles.delete(profile)
    },
  }
}

/** Options of {@link fileStore}. */
export interface FileStoreOptions {
  /**
   * Refuse to read a file that group or others may read (`CONCUR_STORE_INSECURE`). Default `true`
   * (ignored on Windows, which has no POSIX modes).
   */
  requirePrivate?: boolean
}

interface FileShape {
  version: 1
  profiles: Record<string, unknown>
}

/**
 * A JSON token file holding several profiles side by side (e.g. `company` and `user:jane`).
 * Writes are atomic: a temp file in the same directory, created with mode 0600, fsynced, then renamed
 * over the old one (and the directory fsynced). A file readable by group/others is refused with
 * `CONCUR_STORE_INSECURE` (fix: `chmod 600 <file>`). Writes within one process are serialised;
 * concurrent writers in different processes: last writer wins.
 *
 * @example
 * const store = fileStore(join(homedir(), '.config', 'concurkit', 'tokens.json'))
 */
export function fileStore(path: string, options: FileStoreOptions = {}): TokenStore {
  if (typeof path !== 'string' || path === '') {
    throw new ConcurAuthError(CONCUR_INVALID_REQUEST, 'fileStore needs a file path.')
  }
  const requirePrivate = (options.requirePrivate ?? true) && process.platform !== 'win32'
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn)
    queue = run.catch(() => undefined)
    return run
  }

  async function readAll(): Promise<FileShape> {
    let text: string
    try {
      if (requirePrivate) {
        const s = await stat(path)
        if ((s.mode & 0o077) !== 0) {
          throw new ConcurAuthError(
            CONCUR_STORE_INSECURE,
            `The token file ${path} is readable by group/others (mode ${(s.mode & 0o777).toString(8)}); refusing to use it. Run: chmod 600 ${JSON.stringify(path)}`,
          )
        }
      }
      text = await readFile(path, 'utf8')
    } catch (err) {
      if (err instanceof ConcurAuthError) throw err
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, profiles: {} }
      throw new ConcurAuthError(
        CONCUR_STORE_ERROR,
        `Cannot read the token file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}). ${ADVICE[CONCUR_STORE_ERROR]}`,
        { cause: err },
      )
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new ConcurAuthError(
        CONCUR_STORE_ERROR,
        `The token file ${path} is not valid JSON. Delete it and sign in again.`,
      )
    }
    const shape = json as Partial<FileShape>
    if (
      typeof shape !== 'object' ||
      shape === null ||
      shape.version !== 1 ||
      typeof shape.profiles !== 'object'
    ) {
      throw new ConcurAuthError(
        CONCUR_STORE_ERROR,
        `The token file ${path} is not a concurkit token file (expected {"version":1,"profiles":{…}}).`,
      )
    }
    return { version: 1, profiles: { ...(shape.profiles as Record<string, unknown>) } }
  }

  async function writeAll(data: FileShape): Promise<void> {
    const dir = dirname(path)
    const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 })
      const fh = await open(tmp, 'wx', 0o600)
      try {
        await fh.chmod(0o600)
        await fh.writeFile(`${JSON.stringify(data, null, 2)}\n`, 'utf8')
        await fh.sync()
      } finally {
        await fh.close()
      }
      await rename(tmp, path)
    } catch (err) {
      await unlink(tmp).catch(() => undefined)
      throw new ConcurAuthError(
        CONCUR_STORE_ERROR,
        `Cannot write the token file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}). ${ADVICE[CONCUR_STORE_ERROR]}`,
        { cause: err },
      )
    }
    // Make the rename durable; not every platform can open a directory.
    try {
      const d = await open(dir, 'r')
      try {
        await d.sync()
      } finally {
        await d.close()
      }
    } catch {
      // best effort
    }
  }

  return {
    get(profile) {
      checkKey(profile)
      return serial(async () => {
        const raw = (await readAll()).profiles[profile]
        return raw === undefined ? undefined : decodeProfile(raw)
      })
    },
    set(profile, value) {
      checkKey(profile)
      return serial(async () => {
        const data = await readAll()
        data.profiles[profile] = encodeProfile(value)
        await writeAll(data)
      })
    },
    delete(profile) {
      checkKey(profile)
      return serial(async () => {
        const data = await readAll()
        if (!(profile in data.profiles)) return
        delete data.profiles[profile]
        await writeAll(data)
      })
    },
  }
}
