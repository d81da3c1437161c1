import type { ResourceName } from '@concurkit/contract'
import { expenseConfigV4Provider } from './expense-config-v4.js'
import { expenseV4Provider } from './expense-v4.js'
import { identityProvider } from './identity-provider.js'
import { invoiceProvider } from './invoice-provider.js'
import { listV4Provider } from './list-v4.js'
import { receiptsProvider } from './receipts-v4.js'
import { requestV4Provider } from './request-v4.js'
import type { RowProvider } from './row-provider.js'
import { upsProvider } from './ups-provider.js'
import { cardsV4Provider } from './v4/cards-v4.js'
import { itineraryV4Provider } from './v4/itinerary-v4.js'

/**
 * The providers of the registry rows served outside the v3.0 engine and the legacy XML modules
 * (the current-generation APIs): one line per family. Each mounts its routes and counts its rows
 * in the manifest; a test fails when a row has no provider or a provider names no row.
 */
export const ROW_PROVIDERS: readonly RowProvider[] = [
  identityProvider,
  listV4Provider,
  expenseV4Provider,
  expenseConfigV4Provider,
  itineraryV4Provider,
  requestV4Provider,
  receiptsProvider,
  cardsV4Provider,
  upsProvider,
  invoiceProvider,
]

const byName = new Map<string, RowProvider>(ROW_PROVIDERS.flatMap((p) => p.names.map((n) => [n, p])))

/** The provider serving a row, if a family provider serves it. */
export function rowProviderOf(name: ResourceName): RowProvider | undefined {
  return byName.get(name)
}
