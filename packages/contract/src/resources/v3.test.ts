import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RESOURCES } from './index.js'
import { V3_RESOURCES } from './v3.js'
import {
  CreateResponse,
  CustomField,
  ReceiptImage,
  ReportItem,
  V3Collection,
  V3DateTime,
} from './v3-schemas.js'

const dir = new URL('../../../../fixtures/concur-examples/', import.meta.url)
const read = (f: string) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Record<string, unknown>

const byFile: Record<string, string> = {
  allocation: 'expense-allocations',
  attendee: 'expense-attendees',
  attendeetype: 'expense-attendee-types',
  entryattendeeassociation: 'entry-attendee-associations',
  expensegroupconfiguration: 'expense-group-configurations',
  itemization: 'expense-itemizations',
  report: 'expense-reports',
}

describe('v3.0 registry rows', () => {
  it('covers the twelve v3.0 resources with paths, scopes, XML names and v3 paging', () => {
    expect(V3_RESOURCES.map((r) => r.name).sort()).toEqual(
      [
        'entry-attendee-associations',
        'expense-allocations',
        'expense-attendee-types',
        'expense-attendees',
        'expense-entries',
        'expense-group-configurations',
        'expense-itemizations',
        'expense-reports',
        'list-items',
        'locations',
        'receipt-images',
        'user-information',
      ].sort(),
    )
    for (const r of V3_RESOURCES) {
      expect(r.path).toMatch(/^\/api\/v3\.0\//)
      expect(r.itemPath).toBe(`${r.path}/{id}`)
      expect(r.paging).toMatchObject({ kind: 'v3', maxLimit: 100 })
      expect(r.xml?.item).toBeTruthy()
      expect(RESOURCES).toContain(r)
      for (const f of r.filters) {
        if (f.field) expect(Object.keys((r.item as unknown as { shape: object }).shape)).toContain(f.field)
        if (f.type === 'enum') expect(f.values?.length).toBeGreaterThan(0)
      }
      expect(new Set(r.filters.map((f) => f.param)).size).toBe(r.filters.length)
    }
  })

  it('declares every documented expense report filter, including each date pair', () => {
    const params = V3_RESOURCES.find((r) => r.name === 'expense-reports')!.filters.map((f) => f.param)
    for (const d of [
      'entryTransactionDate',
      'createDate',
      'userDefinedDate',
      'submitDate',
      'processingPaymentDate',
      'paidDate',
      'modifiedDate',
    ]) {
      expect(params).toContain(`${d}Before`)
      expect(params).toContain(`${d}After`)
    }
    expect(params).toEqual(
      expect.arrayContaining([
        'approvalStatusCode',
        'paymentStatusCode',
        'hasVAT',
        'isTestUser',
        'expenseGroupConfigID',
      ]),
    )
  })
})

describe('v3.0 item schemas accept the documentation examples', () => {
  for (const file of readdirSync(dir).filter((f) => /^expense-v3-.*\.json$/.test(f))) {
    it(file, () => {
      const body = read(file)
      if (file.includes('create-response')) {
        expect(CreateResponse.parse(body)).toEqual(body)
        return
      }
      const key = file
        .replace(/^expense-v3-/, '')
        .replace(/-(get|list)\.json$/, '')
        .replace(/s$/, '')
      const row = V3_RESOURCES.find((r) => r.name === byFile[key])!
      if (Array.isArray(body.Items)) {
        if (file.includes('expensegroupconfigurations')) return // documented in abbreviated form (no ID/URI)
        expect(() => V3Collection(row.item).parse(body)).not.toThrow()
      } else expect(() => row.item.parse(body)).not.toThrow()
    })
  }

  it('is tolerant of new fields and strict about dates', () => {
    const report = read('expense-v3-report-get.json')
    expect(ReportItem.parse({ ...report, NewConcurField: 1 })).toHaveProperty('NewConcurField', 1)
    expect(() => ReportItem.parse({ ...report, CreateDate: '2016-04-04 23:33' })).toThrow()
    expect(V3DateTime.safeParse('2016-04-04T23:33:08.21').success).toBe(true)
    expect(CustomField.parse({ Type: 'Text', Value: 'x', Code: null, ListItemID: null })).toBeTruthy()
    expect(() => ReceiptImage.parse({ Id: 'x' })).toThrow()
  })
})
