import { AllocationItem, EntryItem, ItemizationItem, RESOURCES, ReportItem } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { companyAt } from '../companies.js'
import { itemKeys } from '../resources/engine.js'
import { rowProviderOf } from '../resources/row-providers.js'
import { userIdOf, userOf } from './dataset.js'
import {
  ALLOCATIONS_PER_REPORT,
  allocationAt,
  allocationExists,
  associationAt,
  associationExists,
  attendeeAt,
  datasetOf,
  decodeId,
  entryAt,
  itemizationAt,
  itemizationExists,
  parseV3Date,
  reportAt,
} from './index.js'
import { providerOf } from './providers.js'

const company = companyAt(42, 0, 300, ['us'])
const ds = datasetOf(42, company)
const URI = { URI: 'http://x/y' }

describe('dataset', () => {
  it("userIdOf is userOf's id: kept users, seeded users and indexes past the seeded ones", () => {
    const big = datasetOf(7, companyAt(7, 1, 20_000, ['us']))
    for (const d of [ds, big])
      for (const u of [
        0,
        1,
        d.company.users.length - 1,
        d.company.users.length,
        17,
        d.users - 1,
        d.users,
        d.users + 3,
      ])
        expect(userIdOf(d, u), `user ${u}`).toBe(userOf(d, u).id)
  })
  it('is a pure function of (seed, company, resource, i)', () => {
    const a = reportAt(ds, 17)
    entryAt(ds, 4)
    expect(reportAt(ds, 17)).toEqual(a)
    const other = datasetOf(43, companyAt(43, 0, 300, ['us']))
    expect(reportAt(other, 17).ID).not.toBe(a.ID)
  })

  it('produces records valid against the contract schemas', () => {
    for (let r = 0; r < 40; r++) {
      expect(() => ReportItem.parse({ ...reportAt(ds, r), ...URI })).not.toThrow()
      for (let s = 0; s < 3; s++) EntryItem.parse({ ...entryAt(ds, r * 3 + s), ...URI })
      for (let t = 0; t < 2; t++)
        if (itemizationExists(ds, r * 2 + t))
          ItemizationItem.parse({ ...itemizationAt(ds, r * 2 + t), ...URI })
      for (let t = 0; t < ALLOCATIONS_PER_REPORT; t++)
        if (allocationExists(ds, r * 8 + t)) AllocationItem.parse({ ...allocationAt(ds, r * 8 + t), ...URI })
    }
  })

  it('adds up: entries to the report, itemizations to their entry, allocations to 100%', () => {
    for (let r = 0; r < 200; r++) {
      const report = reportAt(ds, r)
      const entries = [0, 1, 2].map((s) => entryAt(ds, r * 3 + s))
      const cents = (n: number | null) => Math.round((n ?? 0) * 100)
      expect(entries.reduce((a, e) => a + cents(e.TransactionAmount), 0)).toBe(cents(report.Total))
      for (const e of entries) expect(e.ReportID).toBe(report.ID)
      if (itemizationExists(ds, r * 2)) {
        const items = [itemizationAt(ds, r * 2), itemizationAt(ds, r * 2 + 1)]
        expect(items.reduce((a, i) => a + cents(i.TransactionAmount), 0)).toBe(
          cents(entries[0]!.TransactionAmount),
        )
        expect(items[0]!.EntryID).toBe(entries[0]!.ID)
      }
      const byParent = new Map<string, number>()
      for (let t = 0; t < ALLOCATIONS_PER_REPORT; t++) {
        if (!allocationExists(ds, r * 8 + t)) continue
        const a = allocationAt(ds, r * 8 + t)
        byParent.set(a.EntryID!, (byParent.get(a.EntryID!) ?? 0) + Number(a.Percentage))
      }
      for (const pct of byParent.values()) expect(pct).toBe(100)
      if (associationExists(ds, r * 2)) {
        const links = [associationAt(ds, r * 2), associationAt(ds, r * 2 + 1)]
        expect(links.reduce((a, l) => a + cents(l.Amount), 0)).toBe(cents(entries[1]!.TransactionAmount))
        expect(links[0]!.EntryID).toBe(entries[1]!.ID)
        const attendee = decodeId('expense-attendees', ds.tag, links[0]!.AttendeeID!)
        expect(attendee).toBeLessThan(ds.attendees)
        expect(attendeeAt(ds, attendee!).ID).toBe(links[0]!.AttendeeID)
      }
    }
  })

  it('creates reports in index order and keeps dates consistent with the status', () => {
    let prev = 0
    for (let r = 0; r < 300; r++) {
      const rep = reportAt(ds, r)
      const created = parseV3Date(rep.CreateDate!)!
      expect(created).toBeGreaterThanOrEqual(prev)
      prev = created
      if (rep.ApprovalStatusCode === 'A_NOTF') expect(rep.SubmitDate).toBeNull()
      if (rep.PaidDate) expect(parseV3Date(rep.PaidDate)!).toBeGreaterThan(parseV3Date(rep.SubmitDate!)!)
    }
  })

  it('parses only real dates', () => {
    expect(parseV3Date('2024-02-29')).toBe(Date.UTC(2024, 1, 29))
    expect(parseV3Date('2024-02-30')).toBeUndefined()
    expect(parseV3Date('2024-01-01T10:00:00.5')).toBe(Date.UTC(2024, 0, 1, 10, 0, 0, 500))
    expect(parseV3Date('yesterday')).toBeUndefined()
  })
})

describe('providers', () => {
  it('generate records with exactly the item fields of the registry row, in its order (created records match)', () => {
    for (const row of RESOURCES.filter((r) => r.api === 'v3.0' && !rowProviderOf(r.name))) {
      const p = providerOf(row.name)!
      let i = 0
      while (!p.exists(ds, i)) i++
      expect(Object.keys(p.generate(ds, i)), row.name).toEqual(itemKeys(row.item).filter((k) => k !== 'URI'))
    }
  })
})
