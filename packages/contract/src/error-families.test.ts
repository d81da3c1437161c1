import { describe, expect, it } from 'vitest'
import { ERROR_FAMILIES, ERROR_FAMILY_PREFIXES, errorFamilyOf } from './error-families.js'
import { RESOURCES } from './resources/index.js'

const FACTS = {
  status: 404,
  message: 'The resource was not found',
  id: 'A1B2C3',
  nowMs: Date.UTC(2026, 0, 2, 3, 4, 5),
  path: '/some/path',
}

describe('error families', () => {
  it('every family renders a body its own schema accepts, for every status the mock answers', () => {
    for (const [name, family] of Object.entries(ERROR_FAMILIES)) {
      for (const status of [400, 401, 403, 404, 409, 429, 500, 503]) {
        const answer = family.render({ ...FACTS, status })
        if ('xml' in answer) {
          expect(name).toMatch(/web-services/)
          expect(answer.xml).toContain('<Error><Message>The resource was not found</Message>')
          continue
        }
        const schema = 'schema' in family ? family.schema : undefined
        expect(schema, name).toBeDefined()
        const parsed = schema!.safeParse(answer.json)
        expect(parsed.success, `${name} ${status}: ${JSON.stringify(answer.json)}`).toBe(true)
      }
    }
  })

  it("the body a row's path answers errors with is the row's declared error body", () => {
    for (const row of RESOURCES) {
      const family = errorFamilyOf(row.path)
      const problems: string[] = []
      if (!row.errorBody) {
        // A row without its own error body has the web-services body (v3.0 JSON or the XML of v1.x/v2.0).
        if (!family.startsWith('web-services')) problems.push(`no errorBody but family ${family}`)
      } else {
        for (const status of [400, 401, 403, 404, 409, 429, 500]) {
          const answer = ERROR_FAMILIES[family].render({ ...FACTS, status, path: row.path })
          if ('xml' in answer || !row.errorBody.safeParse(answer.json).success)
            problems.push(`${status}: ${family} body does not parse with the row's errorBody`)
        }
      }
      expect({ row: row.name, problems }).toEqual({ row: row.name, problems: [] })
    }
  })

  it('paths outside every prefix answer the XML body; the v3.0 family answers XML only when asked', () => {
    expect(errorFamilyOf('/api/expense/expensereport/v2.0/Reports')).toBe('web-services-xml')
    expect(errorFamilyOf('/list/v4')).toBe('list-v4')
    expect(errorFamilyOf('/profile/spend/v4.1/Users')).toBe('scim-spend')
    expect('xml' in ERROR_FAMILIES['web-services'].render({ ...FACTS, wantsXml: true })).toBe(true)
    expect(ERROR_FAMILIES['web-services'].render(FACTS)).toEqual({
      json: { Error: { Message: FACTS.message, 'Server-Time': '2026-01-02T03:04:05', Id: 'A1B2C3' } },
    })
    // Prefixes are unique, so the order only matters where one contains another.
    expect(new Set(ERROR_FAMILY_PREFIXES.map(([p]) => p)).size).toBe(ERROR_FAMILY_PREFIXES.length)
  })
})
