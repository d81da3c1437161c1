import { en, Faker } from '@faker-js/faker'
import { describe, expect, it } from 'vitest'
import { companyAt, personNames, userAt } from '../companies.js'
import { datasetOf, userNameOf, userOf } from './dataset.js'
import { major, reportCore } from './expense.js'
import { formatV3Date } from './time.js'

/** The definition `formatV3Date` must keep: ISO-8601 of the instant, fraction trimmed. */
function viaIso(ms: number): string {
  const iso = new Date(ms).toISOString()
  const frac = iso.slice(20, 23).replace(/0+$/, '')
  return frac ? `${iso.slice(0, 19)}.${frac}` : iso.slice(0, 19)
}

describe('formatV3Date', () => {
  it('formats exactly as toISOString with the fraction trimmed, across the years and edges', () => {
    let x = 12345
    const next = () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0
      return x / 2 ** 32
    }
    const samples = [0, 1, 10, 100, 999, 1000, 86_399_999, 86_400_000, -1, -86_400_001]
    samples.push(Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(999, 11, 31, 23))
    samples.push(Date.UTC(10000, 0, 1), Date.UTC(2024, 1, 29, 12, 0, 0, 210), 1.5, 1_700_000_000_000.25)
    for (let i = 0; i < 5_000; i++) samples.push(Math.floor((next() - 0.3) * 4e12))
    for (const ms of samples) expect(formatV3Date(ms)).toBe(viaIso(ms))
    expect(formatV3Date(Date.UTC(2016, 3, 4, 23, 33, 8, 210))).toBe('2016-04-04T23:33:08.21')
  })
})

describe('userNameOf', () => {
  it("gives userAt's login and names, for listed and generated users, cached or not", () => {
    const company = companyAt(42, 0, 1_000_000, ['us'])
    const ds = datasetOf(42, company)
    for (const u of [0, 1, 2, 3, 25, 26, 4095, 4096, 49_999, 12_345, 26]) {
      const full = userAt(42, company, u)
      const name = userNameOf(ds, u)
      expect({ loginId: name.loginId, firstName: name.firstName, lastName: name.lastName }).toEqual({
        loginId: full.loginId,
        firstName: full.firstName,
        lastName: full.lastName,
      })
      expect(full.email).toBe(full.loginId)
      expect(userOf(ds, u).loginId).toBe(full.loginId)
    }
  })

  it('keeps the names of different companies and seeds apart', () => {
    const a = companyAt(42, 0, 1_000_000, ['us'])
    const b = companyAt(42, 1, 1_000_000, ['us'])
    const c = companyAt(7, 0, 1_000_000, ['us'])
    for (const u of [30, 31, 40_000]) {
      for (const [seed, company] of [
        [42, a],
        [42, b],
        [7, c],
        [42, a],
      ] as const) {
        expect(userNameOf(datasetOf(seed, company), u).loginId).toBe(userAt(seed, company, u).loginId)
      }
    }
  })
})

describe('personNames', () => {
  it("draws exactly a default en Faker's firstName and lastName for the same seed", () => {
    const faker = new Faker({ locale: en })
    let hyphenated = 0
    for (let k = 0; k < 5_000; k++) {
      const seed = Math.imul(k, 2654435761) >>> 0
      faker.seed(seed)
      const firstName = faker.person.firstName()
      const lastName = faker.person.lastName()
      if (lastName.includes('-')) hyphenated++
      expect(personNames(seed)).toEqual({ firstName, lastName })
    }
    // Both last-name patterns were exercised.
    expect(hyphenated).toBeGreaterThan(0)
  })
})

describe('major', () => {
  it('is Number((minor / 10^d).toFixed(d)) for every amount the dataset makes', () => {
    const viaString = (minor: number, d: number) => Number((minor / 10 ** d).toFixed(d))
    for (const d of [0, 2, 3]) {
      for (let m = 0; m < 300_000; m++)
        if (major(m, d) !== viaString(m, d)) expect(major(m, d)).toBe(viaString(m, d))
      for (let m = 300_000; m < 2e9; m += 9_973)
        if (major(m, d) !== viaString(m, d)) expect(major(m, d)).toBe(viaString(m, d))
    }
    expect(major(1999, 2)).toBe(19.99)
    expect(major(1999, 0)).toBe(1999)
  })
})

describe('reportCore', () => {
  it('answers the same core whether asked once or again, across datasets', () => {
    const a = datasetOf(42, companyAt(42, 0, 10_000, ['us']))
    const b = datasetOf(42, companyAt(42, 1, 10_000, ['us']))
    const fresh = (ds: typeof a, r: number) => JSON.parse(JSON.stringify(reportCore(ds, r)))
    const first = [0, 1, 7].map((r) => [fresh(a, r), fresh(b, r)])
    for (const [k, r] of [0, 1, 7].entries()) {
      expect(fresh(a, r)).toEqual(first[k]![0])
      expect(fresh(a, r)).toEqual(first[k]![0])
      expect(fresh(b, r)).toEqual(first[k]![1])
      expect(fresh(b, r)).not.toEqual(first[k]![0])
    }
  })
})
