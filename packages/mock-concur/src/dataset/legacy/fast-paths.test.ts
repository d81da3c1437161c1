import type { ItineraryInfo } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { companyAt, userAt } from '../../companies.js'
import { hashHex } from '../../util/hash.js'
import { datasetOf, userIndexOfLogin, userOf } from '../dataset.js'
import { reportCore } from '../expense.js'
import { isoSeconds } from './common.js'
import {
  reportSummaryAt,
  reportSummaryOf,
  type V2ReportQuery,
  v2ReportCores,
  v2ReportMatches,
} from './reports.js'
import { itineraryInfo, tripCore, tripCount, tripId, tripName, tripsKey } from './trips.js'

/*
 * The XML families' fast paths against the definitions they replace: each must give the same
 * values (so the same bytes) for every record, or the dataset would change without a version.
 */

const BASE = 'http://127.0.0.1:4010'

describe('isoSeconds', () => {
  it('is toISOString().slice(0, 19) across the years, day edges, negatives and fractions', () => {
    let x = 99
    const next = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0
      return x / 2 ** 32
    }
    const samples = [0, 1, 999, 1000, 59_999, 60_000, 86_399_999, 86_400_000, -1, -999, -1000, -86_400_001]
    samples.push(
      Date.UTC(1000, 0, 1),
      Date.UTC(999, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59),
    )
    samples.push(
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2025, 0, 1),
      1.5,
      -0.5,
      1_700_000_000_000.75,
    )
    for (let i = 0; i < 20_000; i++) samples.push(Math.floor((next() - 0.3) * 4e12))
    for (const ms of samples) expect(isoSeconds(ms), String(ms)).toBe(new Date(ms).toISOString().slice(0, 19))
  })
})

/** The trip id as first written: 26 characters from the hash's bytes, read by slice and parseInt. */
function tripIdDefinition(seed: number, companyId: string, index: number): string {
  const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
  const hex = hashHex(seed, companyId, 'trip', index)
  let head = ''
  for (let i = 0; i < 26; i++) head += B62[Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 62]
  return head + index.toString(36).padStart(7, '0')
}

describe('trips', () => {
  it('tripId gives the same ids as its definition', () => {
    for (const [seed, id] of [
      [42, 'b6807275-9d95-478f-b831-92eb58dc6e55'],
      [7, 'c0'],
    ] as const) {
      for (let i = 0; i < 3_000; i++) expect(tripId(seed, id, i)).toBe(tripIdDefinition(seed, id, i))
      for (const i of [78_364_164_095, 2 ** 40 + 3])
        expect(tripId(seed, id, i)).toBe(tripIdDefinition(seed, id, i))
    }
  })

  it('itineraryInfo holds the same elements, in the same order, as its definition (login from userAt)', () => {
    // 1,000,000 reports: 50,000 users, so most travellers are generated users, not listed ones.
    for (const [seed, size] of [
      [42, 1_000_000],
      [5, 300],
    ] as const) {
      const company = companyAt(seed, 0, size, ['us'])
      const key = tripsKey(seed, company)
      const indexes = [0, 1, 2, 24, 25, 26, tripCount(company) - 1]
      for (let i = 0; i < 400; i++) indexes.push((i * 7919) % tripCount(company))
      for (const i of indexes) {
        const core = tripCore(key, company, i)
        for (const withStatus of [false, true]) {
          for (const withLogin of [false, true]) {
            const definition: ItineraryInfo = {
              TripId: tripIdDefinition(seed, company.id, i),
              TripName: tripName(core),
              ...(withStatus ? { TripStatus: core.canceled ? 'Canceled' : 'Active' } : {}),
              StartDateLocal: new Date(core.startMs).toISOString().slice(0, 19),
              EndDateLocal: new Date(core.endMs).toISOString().slice(0, 19),
              ...(withLogin ? { UserLoginId: userAt(seed, company, core.owner).loginId } : {}),
              DateModifiedUtc: new Date(core.modifiedMs).toISOString().slice(0, 19),
              id: `${BASE}/api/travel/trip/v1.1/${tripIdDefinition(seed, company.id, i)}`,
            }
            const info = itineraryInfo(seed, company, core, { baseUrl: BASE, withStatus, withLogin })
            expect(info).toStrictEqual(definition)
            expect(Object.keys(info)).toEqual(Object.keys(definition))
          }
        }
      }
    }
  })
})

describe('v2.0 report summaries', () => {
  it('reportSummaryOf equals the summary of the whole v3.0 record for every report of a company', () => {
    for (const [seed, size] of [
      [42, 3_000],
      [11, 1_000_000],
    ] as const) {
      const ds = datasetOf(seed, companyAt(seed, 0, size, ['us']))
      const reports = size <= 3_000 ? Array.from({ length: size }, (_, r) => r) : []
      for (let k = 0; reports.length < 4_000; k++) reports.push((k * 104_729) % size)
      let sentBack = 0
      for (const r of reports) {
        const core = reportCore(ds, r)
        if (core.profile.everSentBack) sentBack++
        const fast = reportSummaryOf(ds, core, BASE)
        const definition = reportSummaryAt(ds, r, BASE)
        expect(fast).toStrictEqual(definition)
        expect(Object.keys(fast)).toEqual(Object.keys(definition))
      }
      // Both ways of drawing the name (with and without a last comment) were compared.
      expect(sentBack).toBeGreaterThan(50)
      expect(sentBack).toBeLessThan(reports.length - 50)
    }
  })

  it('v2ReportCores yields the matches of a scan of every report, in order, with their cores', () => {
    const ds = datasetOf(3, companyAt(3, 0, 4_000, ['us']))
    const queries: V2ReportQuery[] = [
      { status: 'ACTIVE' },
      { status: '*' },
      { status: 'ACTIVE', owner: 7 },
      { status: 'PAYMENTCONFIRMED', owner: 0 },
      { status: 'UNSUBMITTED', owner: ds.users - 1 },
      {
        status: 'ACTIVE',
        owner: 3,
        modifiedAfterMs: Date.UTC(2024, 6, 1),
        modifiedBeforeMs: Date.UTC(2025, 2, 1),
      },
      { status: 'PROCESSING', modifiedAfterMs: Date.UTC(2025, 0, 1) },
      { status: 'ACTIVE', currency: 'usd', hasAttendees: true },
    ]
    for (const q of queries) {
      const expected = Array.from({ length: ds.reports }, (_, r) => r).filter((r) =>
        v2ReportMatches(ds, r, q),
      )
      const cores = [...v2ReportCores(ds, q)]
      expect(cores.map((c) => c.index)).toEqual(expected)
      for (const c of cores.slice(0, 20)) expect(c).toEqual(reportCore(ds, c.index))
    }
  })
})

describe('userIndexOfLogin', () => {
  it("finds a user by login (any casing) from the kept names, as from the user's whole record", () => {
    const company = companyAt(42, 0, 1_000_000, ['us'])
    const ds = datasetOf(42, company)
    for (const u of [0, 1, 24, 25, 26, 4_097, 49_999]) {
      const login = userOf(ds, u).loginId
      expect(userIndexOfLogin(ds, login)).toBe(u)
      expect(userIndexOfLogin(ds, login.toUpperCase())).toBe(u)
      // Another user's number on this user's name, a number past the last user: no user.
      expect(userIndexOfLogin(ds, login.replace(/\d+@/, `${u + 1}@`))).toBeUndefined()
    }
    expect(userIndexOfLogin(ds, 'nobody@example.com')).toBeUndefined()
    expect(userIndexOfLogin(ds, userOf(ds, 3).loginId.replace(/\d+@/, '50000@'))).toBeUndefined()
  })
})
