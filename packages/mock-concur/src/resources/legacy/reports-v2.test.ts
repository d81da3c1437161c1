import { getResource, V2_REPORT_STATUSES } from '@concurkit/contract'
import { beforeAll, describe, expect, it } from 'vitest'
import { datasetOf } from '../../dataset/dataset.js'
import { reportAt } from '../../dataset/expense.js'
import { createMockConcur, type MockConcur } from '../../mock.js'
import { digestRecords, legacyManifestEntry } from './manifest.js'
import { exampleXml, get, parseRecords, shapeDifferences, tokenFor } from './testing.js'

const V20 = '/api/expense/expensereport/v2.0'

let mock: MockConcur
let admin: string
let user2: string

beforeAll(async () => {
  mock = createMockConcur({ seed: 11, size: 300 })
  admin = await tokenFor(mock, { user: 0 })
  user2 = await tokenFor(mock, { user: 2 })
})

async function list(query: string, token = admin) {
  const res = await get(mock, `${V20}/Reports/${query ? `?${query}` : ''}`, token)
  expect(res.status, await res.clone().text()).toBe(200)
  return parseRecords('reports-detail', await res.text())
}

describe('v2.0 Reports (Reports Detail)', () => {
  it('lists every ACTIVE report by default, as the manifest counts them', async () => {
    const c = mock.state.companies[0]!
    const items = await list('')
    const m = legacyManifestEntry(mock.state, c, 'reports-detail')
    expect(items.length).toBe(m.count)
    expect(digestRecords(items)).toEqual(m)
    for (const r of items) expect(getResource('reports-detail').item.safeParse(r).success).toBe(true)
    // every status group together covers the company exactly once (ACTIVE = all but PAYMENTCONFIRMED)
    const confirmed = await list('Status=PAYMENTCONFIRMED')
    expect(items.length + confirmed.length).toBe(c.size)
  })

  it('each filter returns only matching reports, and the manifest narrows the same way', async () => {
    const c = mock.state.companies[0]!
    const ds = datasetOf(mock.state.options.seed, c)
    const byId = (id: unknown) => {
      const r = Number.parseInt(String(id).slice(8), 16)
      return reportAt(ds, r)
    }
    const cases: [string, (r: ReturnType<typeof reportAt>) => boolean][] = [
      ['Status=UNSUBMITTED', (r) => ['A_NOTF', 'A_RESU'].includes(String(r.ApprovalStatusCode))],
      ['Status=pending', (r) => ['A_PEND', 'A_FILE', 'A_RHLD'].includes(String(r.ApprovalStatusCode))],
      ['Status=ACCOUNTINGREVIEW', (r) => r.ApprovalStatusCode === 'A_ACCO'],
      ['Status=PROCESSING', (r) => r.ApprovalStatusCode === 'A_APPR' && r.PaymentStatusCode !== 'P_PAID'],
      ['Status=INTEGRATED', (r) => r.PaymentStatusCode === 'P_PAID'],
      ['Status=PENDINGEXTERNALVALIDATION', (r) => r.ApprovalStatusCode === 'A_EXTV'],
      ['Status=PAYMENTCONFIRMED', (r) => r.PaymentStatusCode === 'P_PAYC'],
      [`loginid=${c.users[2]!.loginId}`, (r) => r.OwnerLoginID === c.users[2]!.loginId],
      ['ReportCurrency=EUR', (r) => r.CurrencyCode === 'EUR'],
      ['ReportCountry=us', (r) => r.Country === 'US'],
      ['ModifiedAfterDate=2025-01-01T00:00:00', (r) => String(r.LastModifiedDate) >= '2025-01-01T00:00:00'],
      ['ModifiedBeforeDate=2024-06-01T00:00:00', (r) => String(r.LastModifiedDate) < '2024-06-01T00:00:00'],
      ['HasAttendees=true', () => true],
      ['ReimbursementMethod=CNQRPAY', () => true],
    ]
    for (const [query, ok] of cases) {
      const items = await list(query)
      expect(items.length, query).toBeGreaterThan(0)
      for (const it of items) expect(ok(byId(it.ReportId)), `${query}: ${String(it.ReportId)}`).toBe(true)
      const filters = Object.fromEntries(new URLSearchParams(query))
      const canonical = Object.fromEntries(
        Object.entries(filters).map(([k, v]) => [
          getResource('reports-detail').filters.find((f) => f.param.toLowerCase() === k.toLowerCase())!.param,
          v,
        ]),
      )
      expect(items.length, query).toBe(legacyManifestEntry(mock.state, c, 'reports-detail', canonical).count)
    }
  })

  it('caps a response at 1000 reports; ModifiedAfter/Before windows partition a larger company', async () => {
    const big = createMockConcur({ seed: 3, size: 1400 })
    const token = await tokenFor(big, { user: 0 })
    const c = big.state.companies[0]!
    const all = legacyManifestEntry(big.state, c, 'reports-detail')
    expect(all.count).toBeGreaterThan(1000)
    const first = parseRecords('reports-detail', await (await get(big, `${V20}/Reports/`, token)).text())
    expect(first.length).toBe(1000)
    // bisect windows until each answer is below the cap
    const seen = new Map<string, Record<string, unknown>>()
    const windows: [number, number][] = [[Date.UTC(2023, 0, 1), Date.UTC(2027, 0, 1)]]
    let calls = 0
    while (windows.length > 0) {
      const [a, b] = windows.pop()!
      const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19)
      const res = await get(
        big,
        `${V20}/Reports/?ModifiedAfterDate=${iso(a)}&ModifiedBeforeDate=${iso(b)}`,
        token,
      )
      calls++
      const items = parseRecords('reports-detail', await res.text())
      if (items.length >= 1000) {
        const mid = a + Math.floor((b - a) / 2000) * 1000
        windows.push([a, mid], [mid, b])
        continue
      }
      for (const it of items) {
        expect(seen.has(String(it.ReportId))).toBe(false)
        seen.set(String(it.ReportId), it)
      }
    }
    expect(calls).toBeGreaterThan(2)
    const sorted = [...seen.values()].sort((x, y) => String(x.ReportId).localeCompare(String(y.ReportId)))
    expect(digestRecords(sorted)).toEqual(all)
  })

  it('has the element set and value types of Concur’s sample', async () => {
    const res = await get(mock, `${V20}/Reports/?Status=INTEGRATED`, admin)
    const xml = await res.text()
    expect(xml).toContain(
      '<ReportsList xmlns="http://www.concursolutions.com/api/expense/expensereport/2012/06">',
    )
    expect(shapeDifferences(xml, exampleXml('expense-v2-reports-list-response.xml'))).toEqual([])
  })

  it('is for administrators only, and refuses bad parameters with 400', async () => {
    const res = await get(mock, `${V20}/Reports/`, user2)
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('Web Services Admin')
    const company = await tokenFor(mock, { user: 'company' })
    expect((await get(mock, `${V20}/Reports/`, company)).status).toBe(200)
    for (const q of [
      'Status=DONE',
      'ModifiedAfterDate=yesterday',
      'ReimbursementMethod=CASH',
      'LoginID=nobody@example.com',
      'HasAttendees=maybe',
      'Colour=red',
      'JobKey=unknown',
      'ReportCurrency=EURO',
    ]) {
      const bad = await get(mock, `${V20}/Reports/?${q}`, admin)
      expect(bad.status, q).toBe(400)
      expect(await bad.text()).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<Error><Message>/)
    }
    expect(V2_REPORT_STATUSES).toHaveLength(8)
  })
})

describe('v2.0 report details (Expense Reports Detail)', () => {
  it('fans out from every report and matches the manifest (administrator view)', async () => {
    const small = createMockConcur({ seed: 5, size: 40 })
    const token = await tokenFor(small, { user: 0 })
    const c = small.state.companies[0]!
    const ds = datasetOf(small.state.options.seed, c)
    const records: Record<string, unknown>[] = []
    for (let r = 0; r < ds.reports; r++) {
      const id = reportAt(ds, r).ID
      const res = await get(small, `${V20}/report/${id}`, token)
      expect(res.status).toBe(200)
      const [rec] = parseRecords('expense-reports-detail', await res.text())
      const parsed = getResource('expense-reports-detail').item.safeParse(rec)
      expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 2))).toBe(true)
      records.push(rec!)
    }
    expect(digestRecords(records)).toEqual(legacyManifestEntry(small.state, c, 'expense-reports-detail'))
  })

  it('adds up: entries sum to the report total, allocations to 100% per parent', async () => {
    const c = mock.state.companies[0]!
    const ds = datasetOf(mock.state.options.seed, c)
    for (let r = 0; r < 30; r++) {
      const res = await get(mock, `${V20}/report/${reportAt(ds, r).ID}`, admin)
      const [d] = parseRecords('expense-reports-detail', await res.text()) as [
        { ReportTotal: string; ExpenseEntriesList: { ExpenseEntry: Record<string, unknown>[] } },
      ]
      const entries = d.ExpenseEntriesList.ExpenseEntry
      const sum = entries.reduce((s, e) => s + Number(e.TransactionAmount), 0)
      expect(sum).toBeCloseTo(Number(d.ReportTotal), 2)
      for (const e of entries) {
        const rows = (e.ItemizationsList as { Itemization: Record<string, unknown>[] }).Itemization
        expect(rows[0]!.ItemType).toBe('Regular')
        const children = rows.filter((x) => x.ItemType === 'Child')
        if (children.length > 0)
          expect(children.reduce((s, x) => s + Number(x.TransactionAmount), 0)).toBeCloseTo(
            Number(e.TransactionAmount),
            2,
          )
        for (const row of rows) {
          const allocs = (row.AllocationsList as { Allocation: { Percentage: string }[] }).Allocation
          if (allocs.length > 0)
            expect(allocs.reduce((s, a) => s + Number.parseFloat(a.Percentage), 0)).toBeCloseTo(100, 6)
        }
      }
    }
  })

  it('has the element set and value types of Concur’s sample for a user; administrators also get ReportKey and VAT', async () => {
    const c = mock.state.companies[0]!
    const ds = datasetOf(mock.state.options.seed, c)
    // a report of user 2 with an itemized entry and attendees, as in the sample
    let r = 2
    const sample = exampleXml('expense-v2-report-details-response.xml')
    let diffs: string[] = ['none found']
    for (; r < ds.reports; r += ds.users) {
      const res = await get(mock, `${V20}/report/${reportAt(ds, r).ID}`, user2)
      expect(res.status).toBe(200)
      const xml = await res.text()
      if (
        !xml.includes('<ItemType>Child</ItemType>') ||
        !xml.includes('<Attendee>') ||
        !xml.includes('<PaidDate i:nil="true"/>')
      )
        continue
      diffs = shapeDifferences(xml, sample)
      expect(xml).not.toContain('<ReportKey>')
      break
    }
    expect(diffs).toEqual([])
    const asAdmin = await (await get(mock, `${V20}/report/${reportAt(ds, r).ID}`, admin)).text()
    expect(asAdmin).toContain('<ReportKey>')
    expect(
      shapeDifferences(asAdmin, sample, {
        ignoreExtra: [
          'ReportDetails/ReportKey',
          'ReportDetails/ExpenseEntriesList/ExpenseEntry/ItemizationsList/Itemization/AllocationsList/Allocation/VATDataList/VATData',
        ],
      }),
    ).toEqual([])
  })

  it('lets owners read their own reports only; unknown ids are 404', async () => {
    const c = mock.state.companies[0]!
    const ds = datasetOf(mock.state.options.seed, c)
    const other = reportAt(ds, 3).ID // owned by user 3
    const res = await get(mock, `${V20}/report/${other}`, user2)
    expect(res.status).toBe(403)
    expect((await get(mock, `${V20}/report/${reportAt(ds, 2).ID}`, user2)).status).toBe(200)
    expect((await get(mock, `${V20}/report/NOTAREPORT`, admin)).status).toBe(404)
    expect(
      (await get(mock, `${V20}/report/${reportAt(ds, 0).ID.slice(0, 8)}FFFFFFFFFFFF`, admin)).status,
    ).toBe(404)
  })
})

describe('v1.1 reportfulldetails (event-notification target)', () => {
  it('serves the report with the v1.1 element names of Concur’s sample', async () => {
    const c = mock.state.companies[0]!
    const ds = datasetOf(mock.state.options.seed, c)
    let checked = false
    for (let r = 0; r < 60 && !checked; r++) {
      const res = await get(
        mock,
        `/api/expense/expensereport/v1.1/reportfulldetails/${reportAt(ds, r).ID}`,
        admin,
      )
      expect(res.status).toBe(200)
      const xml = await res.text()
      if (!xml.includes('<ItemizationEntryDetails>') || !xml.includes('<AttendeeDetails>')) continue
      // every element the mock writes is one of the sample's (the sample itself is not uniform, e.g.
      // ItemizationList vs ItemizationsList), and the header is the sample's header
      const diffs = shapeDifferences(xml, exampleXml('expense-v1.1-reportfulldetails-response.xml'))
      expect(diffs.filter((d) => d.startsWith('extra') || d.startsWith('type'))).toEqual([])
      expect(diffs.filter((d) => /^missing ReportDetails\/[^/]+$/.test(d))).toEqual([])
      expect(xml).toMatch(/<Entries Count="3">/)
      checked = true
    }
    expect(checked).toBe(true)
    expect((await get(mock, '/api/expense/expensereport/v1.1/reportfulldetails/nope', admin)).status).toBe(
      404,
    )
    expect(
      (await get(mock, `/api/expense/expensereport/v1.1/reportfulldetails/${reportAt(ds, 3).ID}`, user2))
        .status,
    ).toBe(403)
  })
})

describe('v2.0 reads of reports written through v3.0', () => {
  it('lists and details created and modified reports, and the manifest counts them', async () => {
    const w = createMockConcur({ seed: 13, size: 30 })
    const c = w.state.companies[0]!
    const token = await tokenFor(w, { user: 0 })
    const base = w.state.baseUrl(c.datacenter)
    const before = legacyManifestEntry(w.state, c, 'expense-reports-detail').count
    const created = await w.fetch(`${base}/api/v3.0/expense/reports`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ Name: 'Offsite in Lisbon', Purpose: 'Team offsite' }),
    })
    expect(created.status, await created.clone().text()).toBe(200)
    const { ID } = (await created.json()) as { ID: string }
    const details = await get(w, `${V20}/report/${ID}`, token)
    expect(details.status).toBe(200)
    const [d] = parseRecords('expense-reports-detail', await details.text())
    expect(d!.ReportID).toBe(ID)
    expect(d!.ReportName).toBe('Offsite in Lisbon')
    expect(getResource('expense-reports-detail').item.safeParse(d).success).toBe(true)
    const unsubmitted = parseRecords(
      'reports-detail',
      await (await get(w, `${V20}/Reports/?Status=UNSUBMITTED`, token)).text(),
    )
    expect(unsubmitted.map((r) => r.ReportId)).toContain(ID)
    expect(legacyManifestEntry(w.state, c, 'expense-reports-detail').count).toBe(before + 1)
    expect(legacyManifestEntry(w.state, c, 'reports-detail', { Status: 'UNSUBMITTED' }).count).toBe(
      unsubmitted.length,
    )

    const ds = datasetOf(w.state.options.seed, c)
    const seeded = reportAt(ds, 0).ID
    const put = await w.fetch(`${base}/api/v3.0/expense/reports/${seeded}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Name: 'Renamed report' }),
    })
    expect(put.status, await put.clone().text()).toBe(200)
    const renamed = await get(w, `${V20}/report/${seeded}`, token)
    expect(parseRecords('expense-reports-detail', await renamed.text())[0]!.ReportName).toBe('Renamed report')

    // v1.1 full details (what an event notification points at) show the same writes.
    const full = async (id: string) => {
      const res = await get(w, `/api/expense/expensereport/v1.1/reportfulldetails/${id}`, token)
      expect(res.status).toBe(200)
      return res.text()
    }
    const renamedFull = await full(seeded)
    expect(renamedFull).toContain('<ReportName>Renamed report</ReportName>')
    expect(renamedFull).toMatch(/<Entries Count="3">/)
    const createdFull = await full(ID)
    expect(createdFull).toContain('<ReportName>Offsite in Lisbon</ReportName>')
    expect(createdFull).toContain(`<ReportId>${ID}</ReportId>`)
    expect(createdFull).toMatch(/<Entries Count="0"/)
  })
})
