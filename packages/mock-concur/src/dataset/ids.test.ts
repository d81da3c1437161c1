import { describe, expect, expectTypeOf, it } from 'vitest'
import { V3_ROWS } from '../resources/v3/index.js'
import { companyTag, decodeId, encodeId, ID_PREFIX, type IdKind } from './ids.js'

describe('record ids', () => {
  it('take each v3.0 row prefix from its registry row, the seeded tables from ids.ts', () => {
    // The prefixes every seeded id was built with: changing one changes every checksum.
    expect(ID_PREFIX).toEqual({
      'expense-reports': '',
      'expense-entries': 'gWe',
      'expense-itemizations': 'gWi',
      'expense-allocations': 'gWa',
      'expense-attendees': 'gWt',
      'expense-attendee-types': 'gWy',
      'entry-attendee-associations': 'gWs',
      'expense-group-configurations': 'gWg',
      'receipt-images': 'gWr',
      'user-information': 'gWu',
      'list-items': 'gWk',
      lists: 'gWl',
      locations: 'gWc',
      'payment-types': 'gWp',
      policies: 'gWo',
      batches: 'gWb',
      forms: 'gWf',
    })
    // every row the v3.0 engine serves has one
    for (const row of V3_ROWS) expect(ID_PREFIX, row.key).toHaveProperty(row.key)
  })

  it('keeps the prefixes distinct, so an id decodes for one kind only', () => {
    const prefixes = Object.values(ID_PREFIX)
    expect(new Set(prefixes).size).toBe(prefixes.length)
    const tag = companyTag(42, 'c1')
    const id = encodeId('expense-entries', tag, 7)
    expect(decodeId('expense-entries', tag, id)).toBe(7)
    for (const kind of Object.keys(ID_PREFIX) as IdKind[])
      if (kind !== 'expense-entries') expect(decodeId(kind, tag, id), kind).toBeUndefined()
  })

  it('types the kinds from the rows: a name with no id scheme does not compile', () => {
    expectTypeOf<'expense-reports'>().toExtend<IdKind>()
    expectTypeOf<'lists'>().toExtend<IdKind>()
    expectTypeOf<'forms'>().toExtend<IdKind>()
    expectTypeOf<'travel-itineraries'>().not.toExtend<IdKind>()
    expectTypeOf<'identity-users'>().not.toExtend<IdKind>()
  })
})
