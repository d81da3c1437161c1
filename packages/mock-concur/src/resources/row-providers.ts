import type { ResourceName } from '@concurkit/contract'
import { identityProvider } from './identity-provider.js'
import { invoiceProvider } from './invoice-provider.js'
import { listV4Provider } from './list-v4.js'
import type { RowProvider } from './row-provider.js'

/**
 * The providers of the registry rows served outside the v3.0 engine and the legacy XML modules
 * (the current-generation APIs): one line per family. Each mounts its routes and counts its rows
 * in the manifest; a test fails when a row has no provider or a provider names no row.
 */
export const ROW_PROVIDERS: readonly RowProvider[] = [identityProvider, listV4Provider, invoiceProvider]

const byName = new Map<string, RowProvider>(ROW_PROVIDERS.flatMap((p) => p.names.map((n) => [n, p])))

/** The provider serving a row, if a family provider serves it. */
export function rowProviderOf(name: ResourceName): RowProvider | undefined {
  return byName.get(name)
}
