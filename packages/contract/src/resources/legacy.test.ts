import { readFileSync } from 'node:fs'
import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { getResource, RESOURCE_NAMES } from './index.js'
import { FormData, FormType } from './legacy/expense.js'
import { Itinerary } from './legacy/travel.js'
import { normalizeXmlNode, recordsAt, xmlParserOptions } from './legacy/xml.js'
import { LEGACY_RESOURCES, LEGACY_XML_MAPPINGS } from './legacy.js'

const example = (name: string) =>
  readFileSync(new URL(`../../../../fixtures/concur-examples/${name}`, import.meta.url), 'utf8')

function records(file: string, resource: keyof typeof LEGACY_XML_MAPPINGS, path?: readonly string[]) {
  const mapping = LEGACY_XML_MAPPINGS[resource]
  if (!mapping) throw new Error(`no mapping for ${resource}`)
  const doc = new XMLParser(xmlParserOptions(mapping)).parse(example(file))
  return recordsAt(doc, path ?? mapping.listPath).map((r) => normalizeXmlNode(r, mapping))
}

describe('legacy registry rows', () => {
  it('registers the eight XML-only resources with an XML naming and a mapping', () => {
    expect(LEGACY_RESOURCES.map((r) => r.name).sort()).toEqual([
      'company-card-transactions',
      'expense-delegators',
      'expense-form',
      'expense-reports-detail',
      'extract-definitions',
      'extract-jobs',
      'reports-detail',
      'travel-itineraries',
    ])
    for (const r of LEGACY_RESOURCES) {
      expect(RESOURCE_NAMES).toContain(r.name)
      expect(r.format).toBe('xml')
      expect(r.xml?.namespace).toMatch(/^https?:\/\//)
      const mapping = LEGACY_XML_MAPPINGS[r.name]
      expect(mapping, r.name).toBeDefined()
      expect(mapping?.key[0]).toBe(r.idField)
      if (r.keyFields) expect(r.keyFields).toEqual(mapping?.key)
    }
    expect(getResource('reports-detail').paging).toEqual({ kind: 'none', cap: 1000 })
  })

  it('describes a complete walk for the Expense Form report (forms → form ids → fields)', () => {
    const walk = LEGACY_XML_MAPPINGS['expense-form']?.walk ?? []
    expect(walk.map((s) => s.listPath.at(-1))).toEqual(['FormType', 'FormData', 'FormField'])
    expect(walk.at(-1)?.path).toBe(getResource('expense-form').path)
    // every placeholder is carried by an earlier step
    const carried = new Set<string>()
    for (const step of walk) {
      for (const m of step.path.matchAll(/\{(\w+)\}/g)) expect(carried).toContain(m[1])
      for (const k of Object.keys(step.carry ?? {})) carried.add(k)
    }
  })
})

describe('item schemas accept Concur’s documented samples', () => {
  const cases: [string, Parameters<typeof records>[1], z.ZodType, (readonly string[])?][] = [
    [
      'expense-v1.1-cardcharges-response.xml',
      'company-card-transactions',
      getResource('company-card-transactions').item,
    ],
    ['expense-v1.1-delegators-response.xml', 'expense-delegators', getResource('expense-delegators').item],
    ['expense-v2-reports-list-response.xml', 'reports-detail', getResource('reports-detail').item],
    [
      'expense-v2-report-details-response.xml',
      'expense-reports-detail',
      getResource('expense-reports-detail').item,
    ],
    ['extract-v1-definitions-list.xml', 'extract-definitions', getResource('extract-definitions').item],
    [
      'extract-v1-definition-get.xml',
      'extract-definitions',
      getResource('extract-definitions').item,
      ['definition'],
    ],
    ['extract-v1-jobs-list.xml', 'extract-jobs', getResource('extract-jobs').item],
    ['extract-v1-job-get.xml', 'extract-jobs', getResource('extract-jobs').item, ['job']],
    ['extract-v1-job-status.xml', 'extract-jobs', getResource('extract-jobs').item, ['job']],
    ['extract-v1-job-post-response.xml', 'extract-jobs', getResource('extract-jobs').item, ['job']],
    ['travel-v1.1-trips-list-response.xml', 'travel-itineraries', getResource('travel-itineraries').item],
    [
      'travel-v1.1-trips-list-paged-response.xml',
      'travel-itineraries',
      getResource('travel-itineraries').item,
      LEGACY_XML_MAPPINGS['travel-itineraries']?.pagedListPath,
    ],
    ['travel-v1.1-trip-details-response.xml', 'travel-itineraries', Itinerary, ['Itinerary']],
    ['expense-v1.1-report-forms-response.xml', 'expense-form', FormType, ['FormTypesList', 'FormType']],
    [
      'expense-v1.1-report-forms-RPTINFO-response.xml',
      'expense-form',
      FormData,
      ['FormDataList', 'FormData'],
    ],
  ]
  it.each(cases)('%s', (file, resource, schema, path) => {
    const items = records(file, resource, path)
    expect(items.length).toBeGreaterThan(0)
    for (const item of items) {
      const r = schema.safeParse(item)
      expect(r.success, r.success ? '' : JSON.stringify(r.error.issues.slice(0, 3))).toBe(true)
    }
  })

  it('flattens form fields into Expense Form records', () => {
    const fields = records('expense-v1.1-report-form-fields-response.xml', 'expense-form')
    const item = getResource('expense-form').item
    for (const f of fields) {
      const rec = {
        ...(f as object),
        FormTypeName: 'Expense Report Header',
        FormCode: 'RPTINFO',
        FormName: 'Default',
        FormId: 'n$p1',
      }
      expect(item.safeParse(rec).success).toBe(true)
    }
    expect(item.safeParse(fields[0]).success).toBe(false)
  })

  it('reads i:nil as null and empty list containers as empty arrays', () => {
    const [details] = records('expense-v2-report-details-response.xml', 'expense-reports-detail') as [
      Record<string, unknown>,
    ]
    expect(details.PaidDate).toBeNull()
    expect(details.OrgUnit2).toBe('')
    const entries = (
      details.ExpenseEntriesList as { ExpenseEntry: { ItemizationsList: { Itemization: unknown[] } }[] }
    ).ExpenseEntry
    expect(entries).toHaveLength(1)
    const [first, second] = entries[0]!.ItemizationsList.Itemization as [
      { AllocationsList: { Allocation: unknown[] } },
      { AllocationsList: { Allocation: { VATDataList: { VATData: unknown[] } }[] } },
    ]
    expect(first.AllocationsList.Allocation).toEqual([])
    expect(second.AllocationsList.Allocation[0]!.VATDataList.VATData).toEqual([])
  })

  it('rejects records that break the wire types', () => {
    const item = getResource('company-card-transactions').item
    const [good] = records('expense-v1.1-cardcharges-response.xml', 'company-card-transactions') as [object]
    expect(item.safeParse({ ...good, TransactionAmount: '12,00' }).success).toBe(false)
    expect(item.safeParse({ ...good, CardNumber: '4111111111111111' }).success).toBe(false)
    const del = getResource('expense-delegators').item
    expect(del.safeParse({ CanApprove: 'true' }).success).toBe(false)
  })
})
