import { type ExtractDefinition, type ExtractJob, ExtractJobRequest } from '@concurkit/contract'
import { XMLParser } from 'fast-xml-parser'
import type { Context } from 'hono'
import type { MockCompany } from '../../companies.js'
import type { DcContext, MockEnv } from '../../context.js'
import { datasetOf } from '../../dataset/dataset.js'
import { reportAt, reportCore } from '../../dataset/expense.js'
import { decimal8, isoSeconds } from '../../dataset/legacy/common.js'
import {
  definitionId,
  definitionIndexOf,
  EXTRACT_DEFINITIONS,
  type ExtractJobRecord,
  ExtractJobStore,
  jobId,
  jobState,
  SEEDED_JOBS_PER_DEFINITION,
  seededJobStart,
} from '../../dataset/legacy/extract.js'
import { type V2ReportQuery, v2Reports } from '../../dataset/legacy/reports.js'
import { ConcurHttpError } from '../../http/errors.js'
import type { MockState } from '../../state.js'
import { readQuery, requireAdmin, xmlDocument, xmlResponse } from './http.js'
import { fillPath, type XmlHandler, type XmlRoutesOptions, type XmlRowHooks, xmlRowOf } from './rows-kit.js'

const definitions = () => xmlRowOf('extract-definitions')
const jobs = () => xmlRowOf('extract-jobs')
/** Jobs `GET …/job` lists (Concur: the last 100). */
export const EXTRACT_JOB_LIST_LIMIT = 100

const store = (state: MockState) => state.store('legacy-extract-jobs', () => new ExtractJobStore())

/** Definition *k* of a company as Concur lists it. */
export function definitionRecord(state: MockState, company: MockCompany, k: number): ExtractDefinition {
  const ids = { DefinitionID: definitionId(state.options.seed, company, k) }
  const base = state.baseUrl(company.datacenter)
  const url = `${base}${fillPath(definitions().row.itemPath!, ids)}`
  return {
    id: url,
    'job-link': `${base}${fillPath(jobs().row.path, ids)}`,
    name: EXTRACT_DEFINITIONS[k]!.name,
  }
}

/** The jobs of a definition, newest first: created ones (overlay) then the seeded history. */
export function jobsOf(state: MockState, company: MockCompany, k: number): ExtractJobRecord[] {
  const seed = state.options.seed
  const seeded = Array.from({ length: SEEDED_JOBS_PER_DEFINITION }, (_, n) => ({
    definition: k,
    n,
    id: jobId(seed, company, k, n),
    startMs: seededJobStart(k, n),
  }))
  return [...seeded, ...store(state).created(company.id, k)].reverse()
}

/** A job as Concur shows it at the mock clock's current instant. */
export function jobRecord(state: MockState, company: MockCompany, job: ExtractJobRecord): ExtractJob {
  const ids = { DefinitionID: definitionId(state.options.seed, company, job.definition), JobID: job.id }
  const base = state.baseUrl(company.datacenter)
  const { row, mapping } = jobs()
  const url = `${base}${fillPath(row.itemPath!, ids)}`
  const now = job.n < SEEDED_JOBS_PER_DEFINITION ? Number.POSITIVE_INFINITY : state.clock.now()
  const s = jobState(job, now)
  return {
    id: url,
    'status-link': `${base}${fillPath(mapping.endpoints!.status!.path, ids)}`,
    'start-time': isoSeconds(job.startMs),
    ...(s.stopMs === undefined ? {} : { 'stop-time': isoSeconds(s.stopMs) }),
    status: s.status,
    ...(s.status === 'Completed'
      ? { 'file-link': `${base}${fillPath(mapping.endpoints!.file!.path, ids)}` }
      : {}),
  }
}

function findJob(state: MockState, company: MockCompany, k: number, id: string): ExtractJobRecord {
  const job = jobsOf(state, company, k).find((j) => j.id === id)
  if (!job) throw new ConcurHttpError(404, `Job ${id} was not found`)
  return job
}

/** The reports an extract job extracted: INTEGRATED before its start, in the definition's countries. */
export function jobReportQuery(job: ExtractJobRecord): V2ReportQuery {
  const countries = EXTRACT_DEFINITIONS[job.definition]!.countries
  return {
    status: '*',
    extractedBeforeMs: job.startMs,
    ...(countries ? { extractCountries: countries } : {}),
  }
}

/** The v2.0 `JobKey` filter: the reports of a job of this company (400 when the key is unknown). */
export function extractJobReportQuery(
  state: MockState,
  company: MockCompany,
  key: string,
): Partial<V2ReportQuery> {
  for (let k = 0; k < EXTRACT_DEFINITIONS.length; k++) {
    const job = jobsOf(state, company, k).find((j) => j.id === key)
    if (job) {
      const q = jobReportQuery(job)
      return {
        extractedBeforeMs: q.extractedBeforeMs ?? 0,
        ...(q.extractCountries ? { extractCountries: q.extractCountries } : {}),
      }
    }
  }
  throw new ConcurHttpError(400, `Invalid value for JobKey: ${key}`)
}

const CSV_HEADER = [
  'ReportID',
  'ReportName',
  'EmployeeLoginID',
  'EmployeeName',
  'Country',
  'CurrencyCode',
  'ReportTotal',
  'ApprovalStatusCode',
  'PaymentStatusCode',
  'SubmitDate',
  'ProcessingPaymentDate',
  'PolicyID',
]

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * The job's file: one CSV row per extracted report (RFC 4180, CRLF), streamed in report order so a
 * company of any size costs constant memory.
 */
export function extractCsvStream(
  state: MockState,
  company: MockCompany,
  job: ExtractJobRecord,
): ReadableStream<Uint8Array> {
  const ds = datasetOf(state.options.seed, company)
  const reports = v2Reports(ds, jobReportQuery(job))
  const enc = new TextEncoder()
  let headerSent = false
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let chunk = ''
      if (!headerSent) {
        chunk += `${CSV_HEADER.join(',')}\r\n`
        headerSent = true
      }
      for (let n = 0; n < 500; n++) {
        const next = reports.next()
        if (next.done) {
          if (chunk) controller.enqueue(enc.encode(chunk))
          controller.close()
          return
        }
        const r = next.value
        const rep = reportAt(ds, r)
        const core = reportCore(ds, r)
        chunk += `${[
          rep.ID,
          rep.Name,
          rep.OwnerLoginID,
          rep.OwnerName,
          rep.Country,
          rep.CurrencyCode,
          decimal8(Number(rep.Total ?? 0)).slice(0, -6),
          rep.ApprovalStatusCode,
          rep.PaymentStatusCode,
          core.submit === null ? '' : isoSeconds(core.submit),
          core.processing === null ? '' : isoSeconds(core.processing),
          rep.PolicyID,
        ]
          .map(csvCell)
          .join(',')}\r\n`
      }
      controller.enqueue(enc.encode(chunk))
    },
  })
}

const bodyParser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreDeclaration: true })

/** Extract answers 401/403 for any path under its base, known or not; administrators only. */
export const EXTRACT_ROUTE_OPTIONS: XmlRoutesOptions = {
  guardPrefix: true,
  check: (p) => requireAdmin(p, 'the extract API'),
}

/**
 * The hooks of the Extract v1.0 rows (C.17): definitions (list, one), jobs (list, created on POST,
 * running on the mock clock: Queued → In Process → Completed, one job, its status and its CSV
 * file). Element names and namespaces are the rows'.
 */
export function extractHooks(ctx: DcContext): {
  readonly 'extract-definitions': XmlRowHooks
  readonly 'extract-jobs': XmlRowHooks
} {
  const { state } = ctx
  const seed = () => state.options.seed
  const defs = definitions()
  const jobRow = jobs()
  const document = (root: string, body: Record<string, unknown>, xsi?: true) =>
    xmlDocument(root, body, { namespace: defs.xml.namespace, ...(xsi ? { xsi } : {}) })

  const definitionOf = (company: MockCompany, id: string) => {
    const k = definitionIndexOf(seed(), company, id)
    if (k === undefined) throw new ConcurHttpError(404, `Definition ${id} was not found`)
    return k
  }

  const listDefinitions: XmlHandler = (c) => {
    readQuery(c, [])
    const company = c.get('principal').company
    const definition = EXTRACT_DEFINITIONS.map((_, k) => definitionRecord(state, company, k))
    return xmlResponse(c, document(defs.xml.listRoot, { [defs.xml.item]: definition }))
  }

  const oneDefinition: XmlHandler = (c) => {
    readQuery(c, [])
    const company = c.get('principal').company
    const k = definitionOf(company, c.req.param('DefinitionID') ?? '')
    const d = definitionRecord(state, company, k)
    // Concur's sample of one definition orders id, name, job-link.
    const body = { id: d.id, name: d.name, 'job-link': d['job-link'] }
    return xmlResponse(c, document(defs.mapping.itemRoot!, body, true))
  }

  const listJobs: XmlHandler = (c) => {
    readQuery(c, [])
    const company = c.get('principal').company
    const k = definitionOf(company, c.req.param('DefinitionID') ?? '')
    const job = jobsOf(state, company, k)
      .slice(0, EXTRACT_JOB_LIST_LIMIT)
      .map((j) => jobRecord(state, company, j))
    return xmlResponse(c, document(jobRow.xml.listRoot, { [jobRow.xml.item]: job }))
  }

  const createJob: XmlHandler = async (c) => {
    readQuery(c, [])
    const company = c.get('principal').company
    const defId = c.req.param('DefinitionID') ?? ''
    const k = definitionOf(company, defId)
    const text = await c.req.text()
    let parsed: unknown
    try {
      parsed = bodyParser.parse(text, true)
    } catch {
      throw new ConcurHttpError(400, 'The request body is not well-formed XML')
    }
    const body = ExtractJobRequest.safeParse(parsed)
    if (!body.success)
      throw new ConcurHttpError(
        400,
        'The request body must be <definition><id>definition URL</id></definition>',
      )
    const given = body.data.definition.id.trim()
    if (given.replace(/\/+$/, '').split('/').at(-1) !== defId)
      throw new ConcurHttpError(400, 'The definition id in the body does not match the URL')
    const existing = jobsOf(state, company, k)
    if (
      existing.some(
        (j) => j.n >= SEEDED_JOBS_PER_DEFINITION && jobState(j, state.clock.now()).status !== 'Completed',
      )
    )
      throw new ConcurHttpError(409, 'A job for this definition is already queued or running')
    const n = Math.max(...existing.map((j) => j.n)) + 1
    const job: ExtractJobRecord = {
      definition: k,
      n,
      id: jobId(seed(), company, k, n),
      startMs: state.clock.now(),
    }
    store(state).add(company.id, job)
    const rec = jobRecord(state, company, job)
    return xmlResponse(c, document(jobRow.mapping.itemRoot!, rec), 201, { location: rec.id })
  }

  const jobOf = (c: Context<MockEnv>) => {
    readQuery(c, [])
    const company = c.get('principal').company
    const k = definitionOf(company, c.req.param('DefinitionID') ?? '')
    const job = findJob(state, company, k, c.req.param('JobID') ?? '')
    return { company, k, job }
  }

  const oneJob =
    (root: string): XmlHandler =>
    (c) => {
      const { company, job } = jobOf(c)
      return xmlResponse(c, document(root, jobRecord(state, company, job), true))
    }

  const file: XmlHandler = (c) => {
    const { company, k, job } = jobOf(c)
    if (jobRecord(state, company, job).status !== 'Completed')
      throw new ConcurHttpError(404, 'The job has no file until it has completed')
    const name = `${EXTRACT_DEFINITIONS[k]!.name.replace(/\W+/g, '_')}_${job.n}.csv`
    return c.body(extractCsvStream(state, company, job), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
    })
  }

  return {
    'extract-definitions': { list: listDefinitions, item: oneDefinition },
    'extract-jobs': {
      list: listJobs,
      create: createJob,
      item: oneJob(jobRow.mapping.itemRoot!),
      endpoints: { status: oneJob(jobRow.mapping.endpoints!.status!.root!), file },
    },
  }
}
