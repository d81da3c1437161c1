import { SCIM_LIST_RESPONSE, SCIM_PATCH_OP } from '@concurkit/contract'
import { en, Faker } from '@faker-js/faker'
import { describe, expect, it } from 'vitest'
import { companyAt } from '../companies.js'
import { userInformationExtras } from '../dataset/common.js'
import { datasetOf } from '../dataset/dataset.js'
import { createMersenneRandomizer } from '../dataset/randomizer.js'
import { createMockConcur } from '../mock.js'
import { seedFrom } from '../util/hash.js'
import {
  type IdentityCompanyParts,
  type IdentityUserParts,
  identityJsonContext,
  identityJsonContextOf,
  identityUserAt,
  identityUserJson,
  identityUserOf,
  identityUserParts,
} from './identity-users.js'
import { call, issueToken } from './v3-testing.js'

// The Identity list pages write seeded users straight to JSON text (`identityUserJson`): it must
// give JSON.stringify's bytes of the user object, for every user and for any value a part can hold.

const BASE = 'https://us.api.concursolutions.com'

describe('identityUserJson', () => {
  it('is JSON.stringify of identityUserAt, over thousands of users of several companies and seeds', () => {
    const cases = [
      [42, companyAt(42, 0, 1_000_000, ['us'])],
      [7, companyAt(7, 1, 2_000, ['eu2'])],
      [123_456, companyAt(123_456, 3, 300, ['us'])],
    ] as const
    let inactive = 0
    let phones = 0
    let middles = 0
    for (const [seed, company] of cases) {
      const ds = datasetOf(seed, company)
      const users = [...Array(Math.min(ds.users, 1_500)).keys(), ds.users - 1, Math.floor(ds.users / 2)]
      for (const version of ['v4', 'v4.1'] as const) {
        const ctx = identityJsonContext(ds, BASE, version)
        for (const u of users) {
          const parts = identityUserParts(ds, u)
          expect(identityUserJson(parts, ctx)).toBe(JSON.stringify(identityUserAt(ds, u, BASE, version)))
          if (version === 'v4') {
            inactive += u % 17 === 16 ? 1 : 0
            phones += parts.cellPhone ? 1 : 0
            middles += parts.middleName ? 1 : 0
          }
        }
      }
    }
    // The sample holds every shape: inactive users (terminationDate), with and without phone and middle name.
    expect(inactive).toBeGreaterThan(50)
    expect(phones).toBeGreaterThan(1_000)
    expect(middles).toBeGreaterThan(300)
  })

  it('escapes like JSON.stringify: quotes, backslashes, control characters, non-ASCII, lone surrogates, nulls', () => {
    const tricky = [
      'plain',
      'O\'Brien "the \\ quoted"',
      'tab\there\nnew\rline\u0000\u001f\u007f',
      'Zoë Ünïcödé 山田 太郎',
      'emoji 😀 pair',
      'lone \ud800 high',
      'lone \udfff low',
      'separators \u2028 \u2029',
      '</script><!-- &amp; -->',
      '',
    ]
    const company: IdentityCompanyParts = {
      companyId: 'c"1\\',
      organization: 'Acme "Ünïcode" & Sons\n\ud83d',
      manager: { value: 'm\u0001', displayName: 'Mänager "M"', employeeNumber: 'E\\000002' },
    }
    const edgeDates = [
      0,
      1,
      Date.UTC(2015, 0, 1),
      Date.UTC(2038, 5, 7, 23, 59, 59, 999),
      Date.UTC(2099, 0, 1),
      -1,
    ]
    let n = 0
    for (const [k, s] of tricky.entries()) {
      for (const u of [0, 1, 2, 5, 16, 33, 1_000_003]) {
        const parts: IdentityUserParts = {
          u,
          id: s,
          loginId: `${s}@x`,
          email: s,
          firstName: s,
          lastName: tricky[(k + 1) % tricky.length]!,
          middleName: k % 2 ? s : null,
          employeeId: s,
          entitlements: k % 3 === 0 ? [] : [s, 'Expense'],
          cellPhone: k % 2 ? null : s,
          costCenter: k % 4 === 0 ? null : s,
          created: edgeDates[k % edgeDates.length]!,
          lastModified: edgeDates[(k + 3) % edgeDates.length]! + 123,
          version: k,
          sapUuid: s,
        }
        for (const version of ['v4', 'v4.1'] as const)
          for (const base of [BASE, `${BASE}/"${s}"`]) {
            expect(identityUserJson(parts, identityJsonContextOf(company, base, version))).toBe(
              JSON.stringify(identityUserOf(parts, company, base, version)),
            )
            n++
          }
      }
    }
    expect(n).toBe(tricky.length * 7 * 2 * 2)
  })
})

describe('userInformationExtras', () => {
  it("makes Faker's own draws: middle name and international cell phone, over many seeds", () => {
    const faker = new Faker({ locale: en, randomizer: createMersenneRandomizer() })
    const company = companyAt(42, 0, 1_000_000, ['us'])
    const ds = datasetOf(42, company)
    let middles = 0
    let phones = 0
    for (let u = 0; u < 20_000; u++) {
      faker.seed(seedFrom(ds.seed, company.id, 'user-information', u))
      const middleName = faker.datatype.boolean(0.2) ? faker.person.middleName() : null
      const cellPhone = faker.datatype.boolean(0.6) ? faker.phone.number({ style: 'international' }) : null
      expect(userInformationExtras(ds, u)).toEqual({ middleName, cellPhone })
      middles += middleName ? 1 : 0
      phones += cellPhone ? 1 : 0
    }
    expect(middles).toBeGreaterThan(3_000)
    expect(phones).toBeGreaterThan(10_000)
  })
})

describe('Identity list pages (written as text)', () => {
  it('hold exactly the single-user answers, written and seeded users alike, v4 and v4.1', async () => {
    const mock = createMockConcur({ seed: 9, size: 700, companies: 1, datacenters: ['us'] })
    const token = await issueToken(mock, { user: 'company' })
    const c = mock.state.companies[0]!
    const V41 = '/profile/identity/v4.1'
    // One seeded user changed through Identity: the page renders it as an object, the rest as text.
    const changed = c.users[2]!.id
    const patched = await call(mock, `${V41}/Users/${changed}`, token, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        schemas: [SCIM_PATCH_OP],
        Operations: [{ op: 'replace', path: 'displayName', value: 'Zoë "Z" \\ <&>' }],
      }),
    })
    expect(patched.status).toBe(200)
    for (const [version, first] of [
      ['v4.1', `${V41}/Users?count=16`],
      ['v4', '/profile/identity/v4/Users?startIndex=2&count=16'],
    ] as const) {
      const res = await call(mock, first, token)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/json')
      const text = await res.text()
      const page = JSON.parse(text) as {
        Resources: { id: string }[]
        nextCursor?: string
        startIndex: number
      }
      expect(page.Resources).toHaveLength(16)
      expect(page.Resources.map((r) => r.id)).toContain(changed)
      const singles: string[] = []
      for (const r of page.Resources)
        singles.push(await (await call(mock, `/profile/identity/${version}/Users/${r.id}`, token)).text())
      const expected =
        `{"schemas":${JSON.stringify([SCIM_LIST_RESPONSE])},"totalResults":${c.userCount},"startIndex":${page.startIndex},` +
        `"itemsPerPage":16,"Resources":[${singles.join(',')}]` +
        `${page.nextCursor ? `,"nextCursor":${JSON.stringify(page.nextCursor)}` : ''}}`
      expect(text).toBe(expected)
      expect(text).toContain('Zo\u00eb \\"Z\\" \\\\ <&>')
    }
  })
})
