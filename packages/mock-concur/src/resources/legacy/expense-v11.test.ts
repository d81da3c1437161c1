import { getResource } from '@concurkit/contract'
import { beforeAll, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../../mock.js'
import { digestRecords, legacyManifestEntry } from './manifest.js'
import { exampleXml, get, parseRecords, shapeDifferences, tokenFor } from './testing.js'

const V11 = '/api/expense/expensereport/v1.1'

let mock: MockConcur
let admin: string
let user2: string
let companyToken: string

beforeAll(async () => {
  mock = createMockConcur({ seed: 7, size: 200 })
  admin = await tokenFor(mock, { user: 0 })
  user2 = await tokenFor(mock, { user: 2 })
  companyToken = await tokenFor(mock, { user: 'company' })
})

describe('v1.1 CardCharges', () => {
  it('walks every user of the company and matches the manifest count and checksum', async () => {
    const c = mock.state.companies[0]!
    const all: Record<string, unknown>[] = []
    for (let u = 0; u < c.userCount; u++) {
      const res = await get(mock, `${V11}/CardCharges`, await tokenFor(mock, { user: u }))
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/application\/xml/)
      const records = parseRecords('company-card-transactions', await res.text())
      for (const r of records)
        expect(getResource('company-card-transactions').item.safeParse(r).success).toBe(true)
      const mine = legacyManifestEntry(mock.state, c, 'company-card-transactions', {
        user: mock.state.user(c, u)!.loginId,
      })
      expect(digestRecords(records)).toEqual(mine)
      all.push(...records)
    }
    const manifest = legacyManifestEntry(mock.state, c, 'company-card-transactions')
    expect(all.length).toBe(manifest.count)
    expect(all.length).toBeGreaterThan(10)
    expect(digestRecords(all)).toEqual(manifest)
    // the key fields identify each record
    const keys = new Set(
      all.map((r) =>
        getResource('company-card-transactions')
          .keyFields!.map((k) => r[k])
          .join('|'),
      ),
    )
    expect(keys.size).toBe(all.length)
  })

  it('has the element set and value types of Concur’s sample', async () => {
    const c = mock.state.companies[0]!
    let u = 0
    while (
      legacyManifestEntry(mock.state, c, 'company-card-transactions', {
        user: mock.state.user(c, u)!.loginId,
      }).count === 0
    )
      u++
    const res = await get(mock, `${V11}/CardCharges`, await tokenFor(mock, { user: u }))
    const xml = await res.text()
    expect(xml).toContain(
      '<CardCharges xmlns="https://www.concursolutions.com/api/expense/expensereport/2011/03">',
    )
    expect(shapeDifferences(xml, exampleXml('expense-v1.1-cardcharges-response.xml'))).toEqual([])
  })

  it('answers 400 to parameters (none are documented) and 403 to company tokens and missing scopes', async () => {
    const bad = await get(mock, `${V11}/CardCharges?user=ALL`, admin)
    expect(bad.status).toBe(400)
    expect(await bad.text()).toMatch(/<Error><Message>Invalid parameter: user<\/Message><Server-Time>/)
    const company = await get(mock, `${V11}/CardCharges`, companyToken)
    expect(company.status).toBe(403)
    expect(await company.text()).toContain('<Message>Forbidden Request')
    const noScope = await get(
      mock,
      `${V11}/CardCharges`,
      await tokenFor(mock, { user: 2, scopes: ['EXPRPT'] }),
    )
    expect(noScope.status).toBe(403)
    const anon = await mock.app.request(`${V11}/CardCharges`)
    expect(anon.status).toBe(401)
  })
})

describe('v1.1 Delegators', () => {
  it('walks every user and matches the manifest; delegators are other users of the company', async () => {
    const c = mock.state.companies[0]!
    const all: Record<string, unknown>[] = []
    for (let u = 0; u < c.userCount; u++) {
      const res = await get(mock, `${V11}/Delegators`, await tokenFor(mock, { user: u }))
      expect(res.status).toBe(200)
      const records = parseRecords('expense-delegators', await res.text())
      const me = mock.state.user(c, u)!.loginId
      expect(records.map((r) => r.DelegatorXUserID)).not.toContain(me)
      expect(new Set(records.map((r) => r.DelegatorXUserID)).size).toBe(records.length)
      for (const r of records) expect(getResource('expense-delegators').item.safeParse(r).success).toBe(true)
      all.push(...records)
    }
    const manifest = legacyManifestEntry(mock.state, c, 'expense-delegators')
    expect(all.length).toBeGreaterThan(0)
    expect(digestRecords(all)).toEqual(manifest)
  })

  it('has the element set and value types of Concur’s sample', async () => {
    const c = mock.state.companies[0]!
    let u = 0
    while (
      legacyManifestEntry(mock.state, c, 'expense-delegators', { user: mock.state.user(c, u)!.loginId })
        .count === 0
    )
      u++
    const res = await get(mock, `${V11}/Delegators`, await tokenFor(mock, { user: u }))
    expect(shapeDifferences(await res.text(), exampleXml('expense-v1.1-delegators-response.xml'))).toEqual([])
  })

  it('refuses company tokens and parameters', async () => {
    expect((await get(mock, `${V11}/Delegators`, companyToken)).status).toBe(403)
    expect((await get(mock, `${V11}/Delegators?LoginID=x`, user2)).status).toBe(400)
  })
})

describe('v1.1 report forms (Expense Form)', () => {
  async function walk(token: string) {
    const records: Record<string, unknown>[] = []
    const types = parseRecords('expense-form', await (await get(mock, `${V11}/report/Forms`, token)).text(), [
      'FormTypesList',
      'FormType',
    ])
    for (const t of types) {
      const res = await get(mock, `${V11}/report/Forms/${t.FormCode}`, token)
      expect(res.status).toBe(200)
      const forms = parseRecords('expense-form', await res.text(), ['FormDataList', 'FormData'])
      for (const f of forms) {
        const fr = await get(mock, `${V11}/report/Form/${encodeURIComponent(String(f.FormId))}/Fields`, token)
        expect(fr.status).toBe(200)
        for (const field of parseRecords('expense-form', await fr.text())) {
          records.push({
            ...field,
            FormTypeName: t.Name,
            FormCode: t.FormCode,
            FormName: f.Name,
            FormId: f.FormId,
          })
        }
      }
    }
    return records
  }

  it('walks forms → form ids → fields and matches the manifest, for users and admins alike', async () => {
    const c = mock.state.companies[0]!
    const records = await walk(user2)
    const manifest = legacyManifestEntry(mock.state, c, 'expense-form')
    expect(records.length).toBe(manifest.count)
    expect(digestRecords(records)).toEqual(manifest)
    for (const r of records) expect(getResource('expense-form').item.safeParse(r).success).toBe(true)
    const keys = new Set(
      records.map((r) =>
        getResource('expense-form')
          .keyFields!.map((k) => r[k])
          .join('|'),
      ),
    )
    expect(keys.size).toBe(records.length)
    expect(digestRecords(await walk(admin))).toEqual(manifest)
  })

  it('matches Concur’s samples for the three calls', async () => {
    const forms = await get(mock, `${V11}/report/Forms`, user2)
    expect(
      shapeDifferences(await forms.text(), exampleXml('expense-v1.1-report-forms-response.xml')),
    ).toEqual([])
    const rpt = await get(mock, `${V11}/report/Forms/RPTINFO`, user2)
    const rptXml = await rpt.text()
    expect(shapeDifferences(rptXml, exampleXml('expense-v1.1-report-forms-RPTINFO-response.xml'))).toEqual([])
    const id = String(parseRecords('expense-form', rptXml, ['FormDataList', 'FormData'])[0]!.FormId)
    expect(id).toContain('$')
    const fields = await get(mock, `${V11}/report/Form/${id}/Fields`, user2)
    const xml = await fields.text()
    expect(shapeDifferences(xml, exampleXml('expense-v1.1-report-form-fields-response.xml'))).toEqual([])
    // the swagger's spelling serves the same body
    const swagger = await get(mock, `${V11}/report/Forms/${id}/Fields`, user2)
    expect(await swagger.text()).toBe(xml)
  })

  it('answers 404 to unknown form codes and form ids', async () => {
    expect((await get(mock, `${V11}/report/Forms/NOPE`, user2)).status).toBe(404)
    const res = await get(mock, `${V11}/report/Form/n$pnothing/Fields`, user2)
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('<Error><Message>Form n$pnothing was not found</Message>')
  })
})
