import {
  EXPENSE_V20_DETAILS_NAMESPACE,
  EXPENSE_V20_LIST_NAMESPACE,
  V2_REIMBURSEMENT_METHODS,
  V2_REPORT_STATUSES,
} from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import type { MockCompany } from '../../companies.js'
import type { DcContext, MockEnv } from '../../context.js'
import { datasetOf, userIndexOfLogin } from '../../dataset/dataset.js'
import { profileOf } from '../../dataset/expense.js'
import { parseQueryDate } from '../../dataset/legacy/common.js'
import { reportFullDetails } from '../../dataset/legacy/fulldetails.js'
import { reportSummaryAt, type V2ReportQuery, v2Reports } from '../../dataset/legacy/reports.js'
import { STATUS_COMBOS } from '../../dataset/tables.js'
import { ConcurHttpError } from '../../http/errors.js'
import { requireToken } from '../../oauth/guard.js'
import type { MockState } from '../../state.js'
import { extractJobReportQuery } from './extract.js'
import { boolParam, readQuery, requireAdmin, xmlDocument, xmlResponse } from './http.js'
import { createdMatches, createdReports, detailsOf, findReport, patchedReport } from './overlay.js'

const V20 = '/api/expense/expensereport/v2.0'

/** Most reports one v2.0 list response holds. */
export const V2_REPORT_CAP = 1000

const LIST_PARAMS = [
  'Status',
  'LoginID',
  'ModifiedAfterDate',
  'ModifiedBeforeDate',
  'BatchID',
  'ReportCurrency',
  'PaymentTypeID',
  'ReimbursementMethod',
  'ReportCountry',
  'HasAttendees',
  'JobKey',
] as const

/**
 * Parses a v2.0 report list query (names case-insensitive, values validated). Used by the route and,
 * with the same names, by the manifest.
 */
export function v2QueryFrom(state: MockState, company: MockCompany, q: Map<string, string>): V2ReportQuery {
  const ds = datasetOf(state.options.seed, company)
  const status = (q.get('Status') ?? 'ACTIVE').toUpperCase()
  if (!(V2_REPORT_STATUSES as readonly string[]).includes(status))
    throw new ConcurHttpError(400, `Invalid value for Status: ${q.get('Status')}`)
  const date = (name: string) => {
    const v = q.get(name)
    if (v === undefined) return undefined
    const ms = parseQueryDate(v)
    if (ms === undefined)
      throw new ConcurHttpError(400, `Invalid value for ${name}: expected YYYY-MM-DDThh:mm:ss`)
    return ms
  }
  const login = q.get('LoginID')
  let owner: number | undefined
  if (login !== undefined) {
    owner = userIndexOfLogin(ds, login)
    if (owner === undefined) throw new ConcurHttpError(400, `Invalid value for LoginID: no user ${login}`)
  }
  const reimbursement = q.get('ReimbursementMethod')?.toUpperCase()
  if (reimbursement !== undefined && !(V2_REIMBURSEMENT_METHODS as readonly string[]).includes(reimbursement))
    throw new ConcurHttpError(400, `Invalid value for ReimbursementMethod: ${q.get('ReimbursementMethod')}`)
  const hasAttendees = boolParam('HasAttendees', q.get('HasAttendees'))
  const jobKey = q.get('JobKey')
  const modifiedAfterMs = date('ModifiedAfterDate')
  const modifiedBeforeMs = date('ModifiedBeforeDate')
  const code = (name: string, pattern: RegExp) => {
    const v = q.get(name)
    if (v !== undefined && !pattern.test(v)) throw new ConcurHttpError(400, `Invalid value for ${name}: ${v}`)
    return v
  }
  const currency = code('ReportCurrency', /^[A-Za-z]{3}$/)
  const country = code('ReportCountry', /^[A-Za-z]{2}$/)
  return {
    status,
    ...(owner === undefined ? {} : { owner }),
    ...(modifiedAfterMs === undefined ? {} : { modifiedAfterMs }),
    ...(modifiedBeforeMs === undefined ? {} : { modifiedBeforeMs }),
    ...(q.get('BatchID') === undefined ? {} : { batchId: q.get('BatchID') }),
    ...(currency === undefined ? {} : { currency }),
    ...(q.get('PaymentTypeID') === undefined ? {} : { paymentTypeId: q.get('PaymentTypeID') }),
    ...(reimbursement === undefined
      ? {}
      : { reimbursement: reimbursement === 'ADPPAY' ? 'ADPPAYR' : reimbursement }),
    ...(country === undefined ? {} : { country }),
    ...(hasAttendees ? { hasAttendees } : {}),
    ...(jobKey === undefined ? {} : extractJobReportQuery(state, company, jobKey)),
  }
}

/**
 * The v2.0 summaries of a query in `ReportID` order: seeded reports (as modified through v3.0), then
 * reports created through v3.0.
 */
export function* v2Summaries(
  state: MockState,
  company: MockCompany,
  query: V2ReportQuery,
  baseUrl: string,
): Generator<ReturnType<typeof reportSummaryAt>> {
  const ds = datasetOf(state.options.seed, company)
  for (const r of v2Reports(ds, query))
    yield reportSummaryAt(ds, r, baseUrl, patchedReport(state, company, r))
  for (const ref of createdReports(state, company)) {
    if (createdMatches(ref, query)) yield reportSummaryAt(ds, ref.index, baseUrl, ref.record)
  }
}

/** v2.0 report list (C.16, `ReportsList`, ≤ 1000 reports) and report details (`ReportDetails`). */
export function reportsV2Routes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const list = (c: Context<MockEnv>) => {
    const q = readQuery(c, LIST_PARAMS)
    const p = c.get('principal')
    requireAdmin(p, 'the v2.0 report list')
    const query = v2QueryFrom(ctx.state, p.company, q)
    const baseUrl = ctx.state.baseUrl(ctx.datacenter)
    const items = []
    for (const summary of v2Summaries(ctx.state, p.company, query, baseUrl)) {
      items.push(summary)
      if (items.length >= V2_REPORT_CAP) break
    }
    return xmlResponse(
      c,
      xmlDocument('ReportsList', { ReportSummary: items }, { namespace: EXPENSE_V20_LIST_NAMESPACE }),
    )
  }
  app.get(`${V20}/Reports`, requireToken(ctx, 'EXPRPT'), (c) => list(c))

  /** The report a path names, if the caller may read it (owner, approver or administrator). */
  const readable = (c: Context<MockEnv>, id: string) => {
    readQuery(c, [])
    const p = c.get('principal')
    const ds = datasetOf(ctx.state.options.seed, p.company)
    const ref = findReport(ctx.state, p.company, id)
    if (!ref) throw new ConcurHttpError(404, `Report ${id} was not found`)
    if (!p.isAdmin) {
      const approver = ref.created
        ? undefined
        : STATUS_COMBOS[profileOf(ds, ref.index).status]!.submitted
          ? profileOf(ds, ref.index).approver
          : undefined
      if (p.user?.index !== ref.owner && p.user?.index !== approver)
        throw new ConcurHttpError(403, 'Forbidden Request: the report belongs to another user')
    }
    return { p, ds, ref }
  }

  app.get(
    '/api/expense/expensereport/v1.1/reportfulldetails/:reportKey',
    requireToken(ctx, 'EXPRPT'),
    (c) => {
      const { p, ref } = readable(c, c.req.param('reportKey'))
      const body = reportFullDetails(
        detailsOf(ctx.state, p.company, ref, true) as Record<string, unknown>,
        ref.index,
        ctx.state.baseUrl(ctx.datacenter),
      )
      return xmlResponse(
        c,
        xmlDocument(
          'ReportDetails',
          { '@_xmlns:ns': 'http://www.concursolutions.com/api/expense/expensereport/2011/03', ...body },
          { xsi: true },
        ),
      )
    },
  )

  app.get(`${V20}/report/:reportId`, requireToken(ctx, 'EXPRPT'), (c) => {
    const { p, ref } = readable(c, c.req.param('reportId'))
    const body = detailsOf(ctx.state, p.company, ref, p.isAdmin)
    return xmlResponse(
      c,
      xmlDocument('ReportDetails', body, { namespace: EXPENSE_V20_DETAILS_NAMESPACE, xsi: true }),
    )
  })
  return app
}
