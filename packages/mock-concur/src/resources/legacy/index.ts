import type { ResourceName } from '@concurkit/contract'
import { Hono } from 'hono'
import type { DcContext, MockEnv } from '../../context.js'
import type { RowProvider } from '../row-provider.js'
import { companyCardTransactions } from './company-card-transactions.js'
import { expenseDelegators } from './expense-delegators.js'
import { expenseForm } from './expense-form.js'
import { expenseReportsV2 } from './expense-reports-v2.js'
import { extractRows } from './extract-rows.js'
import { travelItineraries } from './travel-itineraries.js'
import { workflowRoutes } from './workflow.js'

/**
 * The providers of the XML-only rows (v1.x, v2.0, extract, trips): one line per row file. Each
 * mounts its routes (in this order) and gives the manifest its records; a registry row without a
 * provider fails `row-providers.test.ts`.
 */
export const LEGACY_ROW_PROVIDERS: readonly RowProvider[] = [
  companyCardTransactions,
  expenseDelegators,
  expenseForm,
  travelItineraries,
  expenseReportsV2,
  extractRows,
]

const byName = new Map<string, RowProvider>(LEGACY_ROW_PROVIDERS.flatMap((p) => p.names.map((n) => [n, p])))

/** The provider of an XML-only row, if it is one. */
export function legacyRowProviderOf(name: ResourceName): RowProvider | undefined {
  return byName.get(name)
}

/** Routes of the XML-only resources (v1.x, v2.0, extract, trips) for one datacenter's app. */
export function legacyRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  for (const provider of LEGACY_ROW_PROVIDERS) app.route('/', provider.routes(ctx))
  // The v1.1 workflow action writes reports (no read collection of its own).
  app.route('/', workflowRoutes(ctx))
  return app
}
