import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  IdentityEnterprise,
  IdentityError,
  IdentityListResponseV41,
  IdentityName,
  IdentitySearchRequest,
  IdentityUser,
  SCIM_ENTERPRISE_SCHEMA,
} from './identity.js'

const DIR = new URL('../../../../fixtures/concur-examples-v4/', import.meta.url)
const files = readdirSync(DIR).filter((f) => /^identity-v4.*\.json$/.test(f) && !f.includes('swagger'))
const read = (f: string) => JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as Record<string, unknown>

type Swagger = {
  components: { schemas: Record<string, { properties: Record<string, { properties?: object }> }> }
}
const swagger = (v: '4.0' | '4.1') => read(`identity-v${v}-Identity.swagger2.json`) as unknown as Swagger

describe('Identity v4/v4.1 schemas against the documented examples', () => {
  it('copies the examples the test reads', () => {
    expect(files.length).toBeGreaterThanOrEqual(30)
  })

  it.each(files.filter((f) => /user-(get|post|put|patch)-response/.test(f)))('User %s', (f) => {
    const user = IdentityUser.parse(read(f))
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it.each(files.filter((f) => /search.*-response\.json$/.test(f)))('ListResponse %s', (f) => {
    const list = IdentityListResponseV41.parse(read(f))
    expect(list.Resources.length).toBeGreaterThan(0)
  })

  it.each(files.filter((f) => /search.*-request\.json$/.test(f)))('SearchRequest %s', (f) => {
    expect(IdentitySearchRequest.parse(read(f)).schemas).toEqual([
      'urn:ietf:params:scim:api:messages:concur:2.0:SearchRequest',
    ])
  })

  it('rejects what the search reference rules out', () => {
    const schemas = ['urn:ietf:params:scim:api:messages:concur:2.0:SearchRequest']
    expect(IdentitySearchRequest.safeParse({ filter: 'active eq true' }).success).toBe(false)
    expect(IdentitySearchRequest.safeParse({ schemas, count: 0 }).success).toBe(false)
    expect(IdentitySearchRequest.safeParse({ schemas, count: 1001 }).success).toBe(false)
    expect(IdentitySearchRequest.safeParse({ schemas, startIndex: 1 }).success).toBe(false)
  })

  it.each(['4.0', '4.1'] as const)('names exactly the attributes of the v%s spec', (v) => {
    const s = swagger(v).components.schemas
    const user = s.User!.properties
    expect(Object.keys(IdentityUser.shape).sort()).toEqual(Object.keys(user).sort())
    expect(Object.keys(IdentityName.shape).sort()).toEqual(Object.keys(user.name!.properties!).sort())
    expect(Object.keys(IdentityEnterprise.shape).sort()).toEqual(
      Object.keys(user[SCIM_ENTERPRISE_SCHEMA]!.properties!).sort(),
    )
    expect(
      Object.keys(IdentityError.shape)
        .filter((k) => k !== 'schemas')
        .sort(),
    ).toEqual(Object.keys(s.ErrorResponse!.properties).sort())
  })

  it('parses the SCIM error body the User Retrieval page documents', () => {
    const err = IdentityError.parse({
      schemas: [
        'urn:ietf:params:scim:api:messages:2.0:Error',
        'urn:ietf:params:scim:api:messages:concur:2.0:Error',
      ],
      status: '400',
      'urn:ietf:params:scim:api:messages:concur:2.0:Error': {
        messages: [{ code: 'INVALID_INPUT', message: 'Invalid attribute path [:test]', type: 'error' }],
      },
    })
    expect(err.status).toBe('400')
    expect(IdentityError.safeParse({ status: 400 }).success).toBe(false)
  })
})
