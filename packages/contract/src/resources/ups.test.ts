import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  IdentityUserWrite,
  ScimPatchOp,
  UPS_SPEND_USER_SCHEMA,
  UPS_TRAVEL_USER_SCHEMA,
  UpsBulkRequest,
  UpsProvisionStatus,
  UpsSpendUser,
  UpsTravelUser,
  UpsUserResponse,
  UpsUserWrite,
} from './ups.js'

const DIR = new URL('../../../../fixtures/concur-examples-v4/', import.meta.url)
const read = (f: string) => JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as Record<string, unknown>

type Swagger = { definitions: Record<string, { properties: Record<string, unknown> }> }
const swagger = read('user-provisioning-v4.0-UserProvisioning.swagger2.json') as unknown as Swagger
const keysOf = (s: unknown) => Object.keys((s as { shape: object }).shape).sort()

describe('User Provisioning v4 schemas against the documented examples', () => {
  it.each(['ups-v4-users-post-response.json', 'ups-v4-users-put-response.json'])(
    'User answer %s (meta.provisionId, meta.statusUrl)',
    (f) => {
      const user = UpsUserResponse.parse(read(f))
      expect(user.meta.provisionId).toMatch(/^[0-9a-f-]{36}$/)
      expect(user.meta.statusUrl).toContain(`/profile/v4/provisions/${user.meta.provisionId}/status`)
    },
  )

  it.each(['ups-v4-users-patch-request.json', 'ups-v4-bestpractice-user-patch-request.json'])(
    'PatchOp %s',
    (f) => {
      expect(ScimPatchOp.parse(read(f)).Operations.length).toBeGreaterThan(0)
    },
  )

  it.each([
    'ups-v4-bulk-post-request.json',
    'ups-v4-bulk-patch-request.json',
    'ups-v4-bulk-put-request.json',
    'ups-v4-bestpractice-bulk-patch-request.json',
  ])('BulkRequest %s, its User and PatchOp data included', (f) => {
    const bulk = UpsBulkRequest.parse(read(f))
    for (const op of bulk.Operations) {
      if (op.method === 'PATCH') ScimPatchOp.parse(op.data)
      else if (op.method !== 'DELETE') UpsUserWrite.parse(op.data)
    }
  })

  it.each([
    'ups-v4-bulk-post-response.json',
    'ups-v4-bulk-patch-response.json',
    'ups-v4-provision-status-detailed-response.json',
  ])('ProvisionStatus %s', (f) => {
    const s = UpsProvisionStatus.parse(read(f))
    expect(s.meta.resourceType).toBe('ProvisionRequest')
  })

  it('the Identity write examples are valid Identity and UPS User bodies', () => {
    for (const f of ['identity-v4.1-user-post-request.json', 'identity-v4.1-user-put-request.json']) {
      IdentityUserWrite.parse(read(f))
      UpsUserWrite.parse(read(f))
    }
  })

  it('rejects what the reference forbids: spend extension on Identity, bad currency, >100 operations', () => {
    const user = read('identity-v4.1-user-post-request.json')
    const spend = { reimbursementCurrency: 'USD', country: 'US', locale: 'en-US' }
    expect(IdentityUserWrite.safeParse({ ...user, [UPS_SPEND_USER_SCHEMA]: spend }).success).toBe(false)
    expect(UpsUserWrite.safeParse({ ...user, [UPS_SPEND_USER_SCHEMA]: spend }).success).toBe(true)
    expect(UpsSpendUser.safeParse({ ...spend, reimbursementCurrency: 'US Dollar' }).success).toBe(false)
    expect(UpsSpendUser.safeParse({ ...spend, customData: [{ id: 'custom23', value: 'x' }] }).success).toBe(
      false,
    )
    expect(UpsTravelUser.safeParse({ groups: [1] }).success).toBe(false)
    expect(IdentityUserWrite.safeParse({ ...user, emails: [] }).success).toBe(false)
    expect(IdentityUserWrite.safeParse({ ...user, name: { givenName: 'A' } }).success).toBe(false)
    const op = { method: 'DELETE', path: '/Users/x' }
    const bulk = (n: number) => ({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: Array.from({ length: n }, () => op),
    })
    expect(UpsBulkRequest.safeParse(bulk(100)).success).toBe(true)
    expect(UpsBulkRequest.safeParse(bulk(101)).success).toBe(false)
    expect(UpsBulkRequest.safeParse(bulk(0)).success).toBe(false)
  })

  it('the write schemas cover every attribute of the swagger User, SpendUser and TravelUser', () => {
    const user = keysOf(UpsUserWrite)
    for (const k of Object.keys(swagger.definitions.User!.properties)) expect(user).toContain(k)
    const spend = keysOf(UpsSpendUser)
    for (const k of Object.keys(swagger.definitions.SpendUser!.properties)) expect(spend).toContain(k)
    const travel = keysOf(UpsTravelUser)
    for (const k of Object.keys(swagger.definitions.TravelUser!.properties)) expect(travel).toContain(k)
    expect(user).toContain(UPS_TRAVEL_USER_SCHEMA)
  })
})
