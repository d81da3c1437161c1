import { EXTRACT_DEFINITIONS } from '../../dataset/legacy/extract.js'
import type { RowProvider } from '../row-provider.js'
import {
  definitionRecord,
  EXTRACT_JOB_LIST_LIMIT,
  EXTRACT_ROUTE_OPTIONS,
  extractHooks,
  jobRecord,
  jobsOf,
} from './extract.js'
import { xmlRowRoutes } from './rows-kit.js'

/** The Extract v1.0 rows (hooks in `extract.ts`, mounted at the rows' paths): definitions and their jobs. */
export const extractRows: RowProvider = {
  names: ['extract-definitions', 'extract-jobs'],
  routes: (ctx) => xmlRowRoutes(ctx, extractHooks(ctx), EXTRACT_ROUTE_OPTIONS),
  *records({ state, company, name }) {
    if (name === 'extract-definitions') {
      for (let k = 0; k < EXTRACT_DEFINITIONS.length; k++) yield definitionRecord(state, company, k)
      return
    }
    for (let k = 0; k < EXTRACT_DEFINITIONS.length; k++) {
      for (const j of jobsOf(state, company, k).slice(0, EXTRACT_JOB_LIST_LIMIT))
        yield jobRecord(state, company, j)
    }
  },
}
