import { getResource } from '@concurkit/contract'
import { beforeEach, describe, expect, it } from 'vitest'
import { datasetOf } from '../../dataset/dataset.js'
import { reportAt } from '../../dataset/expense.js'
import { decodeId } from '../../dataset/ids.js'
import { createMockConcur, type MockConcur } from '../../mock.js'
import { digestRecords, legacyManifestEntry } from './manifest.js'
import { exampleXml, get, parseRecords, shapeDifferences, tokenFor } from './testing.js'

const EXTRACT = '/api/expense/extract/v1.0'

let mock: MockConcur
let admin: string

beforeEach(async () => {
  mock = createMockConcur({ seed: 9, size: 200, now: () => Date.UTC(2026, 5, 1, 12) })
  admin = await tokenFor(mock, { user: 0 })
})

const base = () => mock.state.baseUrl(mock.state.companies[0]!.datacenter)

async function definitions(token = admin) {
  const res = await get(mock, `${EXTRACT}/`, token)
  expect(res.status).toBe(200)
  return {
    xml: await res.text(),
    get records() {
      return parseRecords('extract-definitions', this.xml)
    },
  }
}

async function post(defId: string, body?: string, token = admin) {
  const c = mock.state.companies[0]!
  return mock
    .fetch(`${base()}${EXTRACT}/${defId}/job`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
      body:
        body ??
        `<definition xmlns="http://www.concursolutions.com/api/expense/extract/2010/02"><id>${base()}${EXTRACT}/${defId}</id></definition>`,
    })
    .finally(() => c)
}

const lastSegment = (url: unknown) => String(url).split('/').at(-1)!

describe('extract definitions', () => {
  it('lists the company’s definitions like Concur’s samples and as the manifest counts them', async () => {
    const d = await definitions()
    const records = d.records
    expect(records.length).toBe(4)
    for (const r of records) {
      expect(getResource('extract-definitions').item.safeParse(r).success).toBe(true)
      expect(lastSegment(r.id)).toContain('$')
      expect(r['job-link']).toBe(`${r.id}/job`)
    }
    expect(digestRecords(records)).toEqual(
      legacyManifestEntry(mock.state, mock.state.companies[0]!, 'extract-definitions'),
    )
    expect(shapeDifferences(d.xml, exampleXml('extract-v1-definitions-list.xml'))).toEqual([])
    const one = await get(mock, `${EXTRACT}/${lastSegment(records[0]!.id)}`, admin)
    expect(shapeDifferences(await one.text(), exampleXml('extract-v1-definition-get.xml'))).toEqual([])
  })

  it('is for administrators only (user tokens 403, company tokens allowed); bad ids 404', async () => {
    const user = await tokenFor(mock, { user: 2 })
    const res = await get(mock, `${EXTRACT}/`, user)
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('<Message>Forbidden Request: the extract API requires')
    expect((await get(mock, `${EXTRACT}/`, await tokenFor(mock, { user: 'company' }))).status).toBe(200)
    expect(
      (await get(mock, `${EXTRACT}/`, await tokenFor(mock, { user: 0, scopes: ['EXPRPT'] }))).status,
    ).toBe(403)
    expect((await get(mock, `${EXTRACT}/nYoPK$pZmcowMRUqcl5bnDAwwsMydyt$xd`, admin)).status).toBe(404)
    expect((await get(mock, `${EXTRACT}/nYoPK$pZmcowMRUqcl5bnDAwwsMydyt$xd/job`, admin)).status).toBe(404)
  })
})

describe('extract jobs', () => {
  it('runs a job through Queued → In Process → Completed on the mock clock and serves its CSV', async () => {
    const def = lastSegment((await definitions()).records[0]!.id)
    const created = await post(def)
    expect(created.status).toBe(201)
    const xml = await created.text()
    const [job] = parseRecords('extract-jobs', xml, ['job'])
    expect(job!.status).toBe('Queued')
    expect(created.headers.get('location')).toBe(job!.id)
    expect(job!['file-link']).toBeUndefined()
    expect(shapeDifferences(xml, exampleXml('extract-v1-job-post-response.xml'))).toEqual([])

    // one job per definition at a time
    const again = await post(def)
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('already queued or running')

    const path = new URL(String(job!.id)).pathname
    const status = async () =>
      parseRecords('extract-jobs', await (await get(mock, `${path}/status`, admin)).text(), ['job'])[0]!
    mock.state.clock.advance(15)
    expect((await status()).status).toBe('In Process')
    expect((await get(mock, `${path}/file`, admin)).status).toBe(404)
    mock.state.clock.advance(60)
    const done = await status()
    expect(done.status).toBe('Completed')
    expect(done['file-link']).toBe(`${job!.id}/file`)
    const statusXml = await (await get(mock, `${path}/status`, admin)).text()
    expect(shapeDifferences(statusXml, exampleXml('extract-v1-job-status.xml'))).toEqual([])
    expect(
      shapeDifferences(await (await get(mock, path, admin)).text(), exampleXml('extract-v1-job-get.xml')),
    ).toEqual([])

    const file = await get(mock, `${path}/file`, admin)
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/)
    const lines = (await file.text()).trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      'ReportID,ReportName,EmployeeLoginID,EmployeeName,Country,CurrencyCode,ReportTotal,ApprovalStatusCode,PaymentStatusCode,SubmitDate,ProcessingPaymentDate,PolicyID',
    )
    expect(lines.length).toBeGreaterThan(10)
    // the rows are the company's paid reports, and the v2.0 JobKey filter names the same reports
    const c = mock.state.companies[0]!
    const ds = datasetOf(mock.state.options.seed, c)
    const ids = lines.slice(1).map((l) => l.split(',')[0]!)
    for (const id of ids) {
      const r = decodeId('expense-reports', ds.tag, id)
      expect(r).toBeDefined()
      expect(['P_PAID', 'P_PAYC']).toContain(reportAt(ds, r!).PaymentStatusCode)
    }
    const jobKey = lastSegment(job!.id)
    const byKey = await get(
      mock,
      `/api/expense/expensereport/v2.0/Reports/?JobKey=${encodeURIComponent(jobKey)}`,
      admin,
    )
    const keyed = parseRecords('reports-detail', await byKey.text()).map((r) => r.ReportId)
    const paidConfirmed = await get(
      mock,
      `/api/expense/expensereport/v2.0/Reports/?Status=PAYMENTCONFIRMED&JobKey=${encodeURIComponent(jobKey)}`,
      admin,
    )
    keyed.push(...parseRecords('reports-detail', await paidConfirmed.text()).map((r) => r.ReportId))
    expect(new Set(keyed)).toEqual(new Set(ids))

    // finished: a new job may start
    expect((await post(def)).status).toBe(201)
  })

  it('lists the last jobs of every definition like Concur’s sample; the walk matches the manifest', async () => {
    const defs = (await definitions()).records
    expect((await post(lastSegment(defs[1]!.id))).status).toBe(201)
    const records: Record<string, unknown>[] = []
    let sampleChecked = false
    for (const d of defs) {
      const res = await get(mock, new URL(String(d['job-link'])).pathname, admin)
      expect(res.status).toBe(200)
      const xml = await res.text()
      const jobs = parseRecords('extract-jobs', xml)
      expect(jobs.length).toBeGreaterThanOrEqual(2)
      for (const j of jobs) expect(getResource('extract-jobs').item.safeParse(j).success).toBe(true)
      if (jobs.some((j) => j.status === 'Queued')) {
        expect(shapeDifferences(xml, exampleXml('extract-v1-jobs-list.xml'))).toEqual([])
        sampleChecked = true
      }
      records.push(...jobs)
    }
    expect(sampleChecked).toBe(true)
    expect(digestRecords(records)).toEqual(
      legacyManifestEntry(mock.state, mock.state.companies[0]!, 'extract-jobs'),
    )
  })

  it('accepts Concur’s sample request body (with this company’s definition URL)', async () => {
    const d = (await definitions()).records[2]!
    const sample = exampleXml('extract-v1-job-post-request.xml').replace(
      /<id>[^<]*<\/id>/,
      `<id>${String(d.id)}</id>`,
    )
    const res = await post(lastSegment(d.id), sample)
    expect(res.status).toBe(201)
    expect(res.headers.get('location')).toContain(`${String(d.id)}/job/`)
  })

  it('refuses bad bodies (400), unknown jobs (404) and non-administrators (403)', async () => {
    const def = lastSegment((await definitions()).records[0]!.id)
    expect((await post(def, '<definition><id>')).status).toBe(400)
    expect((await post(def, '<job><id>x</id></job>')).status).toBe(400)
    expect((await post(def, `<definition><id>${base()}${EXTRACT}/other$pid</id></definition>`)).status).toBe(
      400,
    )
    expect((await post(def, undefined, await tokenFor(mock, { user: 3 }))).status).toBe(403)
    const missing = await get(mock, `${EXTRACT}/${def}/job/uIo87jk3SHudi$sdlYle8$peot$pD21jyd`, admin)
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain(
      '<Message>Job uIo87jk3SHudi$sdlYle8$peot$pD21jyd was not found</Message>',
    )
  })

  it('forgets created jobs on reset', async () => {
    const def = lastSegment((await definitions()).records[0]!.id)
    expect((await post(def)).status).toBe(201)
    const before = legacyManifestEntry(mock.state, mock.state.companies[0]!, 'extract-jobs').count
    mock.state.reset()
    expect(legacyManifestEntry(mock.state, mock.state.companies[0]!, 'extract-jobs').count).toBe(before - 1)
  })
})
