import { V2_REIMBURSEMENT_METHODS, V2_REPORT_STATUSES } from '@concurkit/contract'
import type { Context } from 'hono'
import type { MockCompany } from '../../companies.js'
import type { DcContext, MockEnv } from '../../context.js'
import { datasetOf, userIndexOfLogin } from '../../dataset/dataset.js'
import { profileOf } from '../../dataset/expense.js'
import { parseQueryDate } from '../../dataset/legacy/common.js'
import { reportFullDetails } from '../../dataset/legacy/fulldetails.js'
import {
  reportSummaryAt,
  reportSummaryOf,
  type V2ReportQuery,
  v2ReportCores,
} from '../../dataset/legacy/reports.js'
import { STATUS_COMBOS } from '../../dataset/tables.js'
import { ConcurHttpError } from '../../http/errors.js'
import type { MockState } from '../../state.js'
import { extractJobReportQuery } from './extract.js'
import { boolParam, readQuery, requireAdmin, xmlDocument, xmlResponse } from './http.js'
import { createdMatches, createdReports, detailsOf, findReport, reportPatches } from './overlay.js'
import { listParams, type XmlHandler, type XmlRowHooks, xmlRowOf } from './rows-kit.js'

/** Most reports one v2.0 list response holds. */
export const V2_REPORT_CAP = 1000

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
  const patches = reportPatches(state, company)
  for (const core of v2ReportCores(ds, query)) {
    // A report changed through v3.0 is summarised from its record; the others from their core.
    const patched = patches?.get(core.index)
    yield patched ? reportSummaryAt(ds, core.index, baseUrl, patched) : reportSummaryOf(ds, core, baseUrl)
  }
  for (const ref of createdReports(state, company)) {
    if (createdMatches(ref, query)) yield reportSummaryAt(ds, ref.index, baseUrl, ref.record)
  }
}

/**
 * The hooks of the v2.0 report rows (C.16): `reports-detail`'s list (`ReportsList`, ≤ 1000 reports)
 * and `expense-reports-detail`'s report details (`ReportDetails`), also under the v1.1 names
 * (`fullDetails`). Element names and namespaces are the rows'.
 */
export function reportsV2Hooks(ctx: DcContext): {
  readonly 'reports-detail': XmlRowHooks
  readonly 'expense-reports-detail': XmlRowHooks
} {
  const summaries = xmlRowOf('reports-detail')
  const details = xmlRowOf('expense-reports-detail')
  const list: XmlHandler = (c) => {
    const q = readQuery(c, listParams(summaries.row))
    const p = c.get('principal')
    requireAdmin(p, 'the v2.0 report list')
    const query = v2QueryFrom(ctx.state, p.company, q)
    const baseUrl = ctx.state.baseUrl(ctx.datacenter)
    const items = []
    for (const summary of v2Summaries(ctx.state, p.company, query, baseUrl)) {
      items.push(summary)
      if (items.length >= V2_REPORT_CAP) break
    }
    const { xml } = summaries
    return xmlResponse(c, xmlDocument(xml.listRoot, { [xml.item]: items }, { namespace: xml.namespace }))
  }

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

  const fullDetails: XmlHandler = (c) => {
    const { p, ref } = readable(c, c.req.param('ReportKey') ?? '')
    const body = reportFullDetails(
      detailsOf(ctx.state, p.company, ref, true) as Record<string, unknown>,
      ref.index,
      ctx.state.baseUrl(ctx.datacenter),
    )
    // The v1.1 document declares its namespace with the `ns` prefix, not as the default.
    const e = details.mapping.endpoints!.fullDetails!
    return xmlResponse(c, xmlDocument(e.root!, { '@_xmlns:ns': e.namespace, ...body }, { xsi: true }))
  }

  const item: XmlHandler = (c) => {
    const { p, ref } = readable(c, c.req.param('ReportID') ?? '')
    const body = detailsOf(ctx.state, p.company, ref, p.isAdmin)
    const root = details.mapping.itemRoot!
    return xmlResponse(c, xmlDocument(root, body, { namespace: details.xml.namespace, xsi: true }))
  }

  return {
    'reports-detail': { list },
    'expense-reports-detail': { item, endpoints: { fullDetails } },
  }
}
