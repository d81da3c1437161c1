import { createTokenManager, fileStore, passwordGrant, type TokenStore } from '@concurkit/auth'
import { createConcurClient, type ExtractResult, extract, type ListFilter } from '@concurkit/client'
import type { ResourceName } from '@concurkit/contract'

/** Where the service signs in. In production these come from the environment or a secrets manager. */
export interface ExportServiceConfig {
  clientId: string
  clientSecret: string
  /** The app's datacenter URL (`https://us.api.concursolutions.com`), or the mock's. */
  baseUrl: string
  /** Token file (mode 0600). The first run signs in with `login`; later runs refresh. */
  tokenFile: string
  /** Used once, when the token file has no tokens yet. */
  login?: { username: string; password: string }
  /** Another store (e.g. a secrets manager) instead of the token file. */
  store?: TokenStore
}

/**
 * A small export service: signs in once, keeps its tokens in a private file, and writes a report
 * resource to CSV (streamed, resumable, renamed into place only when complete).
 */
export function createExportService(config: ExportServiceConfig) {
  const oauth = { clientId: config.clientId, clientSecret: config.clientSecret, baseUrl: config.baseUrl }
  const tokens = createTokenManager({
    ...oauth,
    store: config.store ?? fileStore(config.tokenFile),
    profile: 'export-service',
  })
  const client = createConcurClient({ auth: tokens, retry: { minTimeout: 50, maxRetries: 3 } })

  return {
    /** Signs in with the configured login when the store holds no tokens yet. */
    async signIn(): Promise<void> {
      if ((await tokens.status()).authenticated) return
      if (!config.login) throw new Error('no stored tokens and no login configured')
      const set = await passwordGrant({ ...oauth, ...config.login })
      await tokens.save(set, { grant: 'password', username: config.login.username })
    },
    /** Writes one resource to `out` as CSV; returns the record count and the file's SHA-256. */
    async exportCsv(resource: ResourceName, out: string, filter?: ListFilter): Promise<ExtractResult> {
      await this.signIn()
      const [result] = await extract({
        client,
        resources: resource,
        format: 'csv',
        out,
        ...(filter ? { filter } : {}),
      })
      if (!result) throw new Error(`nothing extracted for ${resource}`)
      return result
    },
    close: () => client.close(),
  }
}
