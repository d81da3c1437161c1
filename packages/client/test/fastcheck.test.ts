import { getResource, RESOURCES } from '@concurkit/contract'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { compileFastCheck } from '../src/fastcheck.ts'
import { ConcurClientError } from '../src/index.ts'
import { validateItem } from '../src/parse.ts'
import { type MockFixture, startMock } from './helpers/mock.ts'

/** zod's output as bytes (what an extract writes). */
const zodBytes = (schema: z.ZodType, v: unknown) => JSON.stringify(schema.parse(v))

describe('fast record check', () => {
  const S = z.looseObject({
    ID: z.string(),
    Amount: z.number().nullable(),
    When: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable(),
    Kind: z.enum(['A', 'B']).nullish(),
    Tags: z.array(z.looseObject({ Code: z.string().nullish() })).nullable(),
  })
  const check = compileFastCheck(S)
  const good = {
    ID: '1',
    Amount: 2.5,
    When: '2024-01-02',
    Kind: 'A',
    Tags: [{ Code: 'x', More: 1 }],
    Extra: { a: 1 },
  }

  it('passes a valid record in declaration order, unchanged by zod', () => {
    expect(check(good)).toBe(true)
    expect(JSON.stringify(good)).toBe(zodBytes(S, good))
    const { Kind: _k, ...noOptional } = good
    expect(check(noOptional)).toBe(true)
    expect(JSON.stringify(noOptional)).toBe(zodBytes(S, noOptional))
  })

  it('defers to zod whenever zod would fail or return something else', () => {
    const cases: unknown[] = [
      null,
      [],
      'x',
      { ...good, ID: 1 },
      { ...good, Amount: '2' },
      { ...good, When: '2024-1-2' },
      { ...good, Kind: 'C' },
      { ...good, Tags: [{ Code: 3 }] },
      { ...good, Tags: {} },
      { Amount: 1, When: null, Tags: null }, // required ID missing
      { Amount: 2.5, ID: '1', When: null, Tags: null }, // zod puts ID first
      { Extra: 1, ID: '1', Amount: null, When: null, Tags: null }, // zod puts unknown keys last
    ]
    for (const v of cases) expect(check(v), JSON.stringify(v)).toBe(false)
    // Whatever it says, a passed value is byte-identical to zod's output.
    for (const v of cases) {
      const r = S.safeParse(v)
      if (r.success) expect(JSON.stringify(validateItem(S, v, 'x'))).toBe(JSON.stringify(r.data))
      else expect(() => validateItem(S, v, 'item 0')).toThrow(ConcurClientError)
    }
  })

  it('lets zod fill defaults, strip unknown keys and apply transforms', () => {
    const D = z.object({ A: z.string().default('d'), B: z.string().trim() })
    const d = compileFastCheck(D)
    expect(d({ B: 'x' })).toBe(false)
    expect(d({ A: 'a', B: ' x ' })).toBe(false)
    expect(d({ A: 'a', B: 'x', C: 1 })).toBe(false)
    expect(d({ A: 'a', B: 'x' })).toBe(true)
    expect(validateItem(D, { B: ' x ', C: 1 }, 'x')).toEqual({ A: 'd', B: 'x' })
  })

  it('tests regular expressions and safe integers itself, as zod does, and defers every other check', () => {
    const C = z.looseObject({
      At: z.string().regex(/^\d{4}$/g),
      N: z.number().int().nullable(),
      Short: z.string().min(3).optional(),
      Mail: z.email().optional(),
    })
    const c = compileFastCheck(C)
    // A global pattern starts from the beginning every time (zod resets lastIndex).
    for (let i = 0; i < 3; i++) expect(c({ At: '2024', N: 3 })).toBe(true)
    const rejected = [
      { At: '24', N: 3 },
      { At: '2024', N: 1.5 },
      { At: '2024', N: 2 ** 60 },
      { At: '2024', N: Number.NaN },
      { At: '2024', N: 3, Short: 'ab' },
      { At: '2024', N: 3, Mail: 'not an address' },
    ]
    for (const v of rejected) {
      expect(c(v), JSON.stringify(v)).toBe(false)
      expect(C.safeParse(v).success, JSON.stringify(v)).toBe(false)
    }
    expect(c({ At: '2024', N: null, Short: 'abc', Mail: 'a@example.com' })).toBe(true)
  })

  it('passes a record in declaration order with keys left out and unknown keys last', () => {
    const O = z.looseObject({ A: z.string(), B: z.string().optional(), C: z.number(), D: z.null() })
    const o = compileFastCheck(O)
    expect(o({ A: 'a', C: 1, D: null, X: 1 })).toBe(true)
    expect(o({ A: 'a', B: 'b', C: 1, D: null })).toBe(true)
    expect(o({ A: 'a', C: 1, B: 'b', D: null })).toBe(false)
    expect(o({ A: 'a', C: 1, X: 1, D: null })).toBe(false)
    expect(o({ A: 'a', B: 'b', C: 1 })).toBe(false)
  })

  it('keeps the typed error of a malformed record', () => {
    const def = getResource('expense-entries')
    try {
      validateItem(def.item, { ReportID: 7 }, 'expense-entries page 0 item 0')
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(ConcurClientError)
      expect((err as ConcurClientError).code).toBe('CONCUR_INVALID_RESPONSE')
      expect((err as Error).message).toMatch(
        /expense-entries page 0 item 0: record does not match the schema/,
      )
    }
  })
})

describe('fast record check on the mock', () => {
  let fx: MockFixture
  beforeAll(async () => {
    fx = await startMock({ seed: 16, size: 20 })
  })
  afterAll(async () => {
    await fx?.close()
  })

  it('passes every record of the v3.0 JSON lists, each byte-identical to zod output', async () => {
    const token = await (await fx.login()).getAccessToken()
    const rows = RESOURCES.filter((d) => d.api === 'v3.0' && d.paging.kind === 'v3' && !d.path.includes('{'))
    expect(rows.length).toBeGreaterThan(3)
    let checked = 0
    for (const def of rows) {
      const res = await fetch(`${fx.baseUrl}${def.path}?limit=100${def.userParam ? '&user=ALL' : ''}`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      })
      if (res.status !== 200) continue
      const items = ((await res.json()) as { Items: unknown[] }).Items
      const check = compileFastCheck(def.item)
      for (const item of items) {
        expect(check(item), `${def.name}: ${JSON.stringify(item).slice(0, 200)}`).toBe(true)
        expect(JSON.stringify(item)).toBe(zodBytes(def.item, item))
        checked += 1
      }
    }
    expect(checked).toBeGreaterThan(50)
  })
})
