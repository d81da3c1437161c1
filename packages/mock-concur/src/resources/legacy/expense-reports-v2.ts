import { datasetOf } from '../../dataset/dataset.js'
import { reportDetailsAt } from '../../dataset/legacy/reports.js'
import type { RowProvider } from '../row-provider.js'
import { createdReports, detailsOf, patchedReport } from './overlay.js'
import { reportsV2Hooks, v2QueryFrom, v2Summaries } from './reports-v2.js'
import { asParsed, ownerFilter, xmlRowRoutes } from './rows-kit.js'

/**
 * The v2.0 report rows (hooks in `reports-v2.ts`, mounted at the rows' paths): `reports-detail`, the list
 * with its own semantics (Status defaults to ACTIVE) without its 1000-report cap, and
 * `expense-reports-detail`, one record per report (fan-out from expense-reports with user=ALL) as
 * an administrator reads it.
 */
export const expenseReportsV2: RowProvider = {
  names: ['reports-detail', 'expense-reports-detail'],
  routes: (ctx) => xmlRowRoutes(ctx, reportsV2Hooks(ctx)),
  *records({ state, company, name, filters }) {
    if (name === 'reports-detail') {
      const q = v2QueryFrom(state, company, new Map(Object.entries(filters)))
      yield* v2Summaries(state, company, q, state.baseUrl(company.datacenter))
      return
    }
    const ds = datasetOf(state.options.seed, company)
    const owner = ownerFilter(state, company, filters, 'user')
    for (let r = owner ?? 0; r < ds.reports; r += owner === undefined ? 1 : ds.users) {
      const record = patchedReport(state, company, r)
      yield asParsed(reportDetailsAt(ds, r, { admin: true }, record))
    }
    for (const ref of createdReports(state, company)) {
      if (owner === undefined || ref.owner === owner) yield asParsed(detailsOf(state, company, ref, true))
    }
  },
}
