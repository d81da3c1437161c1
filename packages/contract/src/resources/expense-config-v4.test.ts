import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  AttendeesV4Page,
  AttendeeTypeV4,
  AttendeeV4,
  AttendeeV4Create,
  AttendeeV4Created,
  AttendeeV4Update,
  attendeeTypeV4FromV3,
  attendeeV3WriteOfV4,
  attendeeV4FromV3,
  ExpenseConfigV4AttendeeType,
  ExpenseConfigV4ExpenseType,
  ExpenseConfigV4Group,
  ExpenseConfigV4GroupConfig,
  ExpenseConfigV4PaymentType,
  ExpenseConfigV4Policy,
  groupConfigV4FromV3,
} from './expense-config-v4.js'
import type { AttendeeItem, AttendeeTypeItem, ExpenseGroupConfigurationItem } from './v3-schemas.js'

const DIR = new URL('../../../../fixtures/concur-examples-v4/', import.meta.url)
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, DIR), 'utf8'))

/** Which schema each documented example of §4.1–4.3 must satisfy. */
const SCHEMA_OF: Record<string, z.ZodType> = {
  'expense-config-v4-policies-response.json': z.array(ExpenseConfigV4Policy),
  'expense-config-v4-expensetypes-response.json': z.array(ExpenseConfigV4ExpenseType),
  'expense-config-v4-paymenttypes-response.json': z.array(ExpenseConfigV4PaymentType),
  'expense-config-v4-attendeetypes-response.json': z.array(ExpenseConfigV4AttendeeType),
  'expense-config-v4-user-groupconfigs-response.json': ExpenseConfigV4GroupConfig,
  'expense-config-v4-company-groupconfigs-response.json': ExpenseConfigV4Group,
  'expense-config-v4-company-groupconfig-by-id-response.json': ExpenseConfigV4GroupConfig,
  'attendees-v4-list-response.json': AttendeesV4Page,
  'attendees-v4-get-by-id-response.json': AttendeesV4Page,
  'attendees-v4-get-by-ids-response.json': AttendeesV4Page,
  'attendees-v4-post-request.json': AttendeeV4Create,
  'attendees-v4-post-response.json': AttendeeV4Created,
  'attendees-v4-put-request.json': AttendeeV4Update,
  'attendee-types-v4-list-response.json': z.array(AttendeeTypeV4),
}

describe('Expense Configuration v4, Attendees v4 and Attendee Types v4 schemas', () => {
  const examples = readdirSync(DIR).filter((f) =>
    /^(expense-config-v4-|attendees-v4-|attendee-types-v4-).*\.json$/.test(f),
  )

  it('every copied example has a schema', () => {
    expect(examples.sort()).toEqual(Object.keys(SCHEMA_OF).sort())
  })

  for (const [file, schema] of Object.entries(SCHEMA_OF)) {
    it(`parses ${file}`, () => {
      const r = schema.safeParse(read(file))
      expect(r.success, r.success ? '' : JSON.stringify(r.error.issues.slice(0, 3))).toBe(true)
    })
  }

  it('the create body requires lastName and attendeeTypeCode and keeps the documented lengths', () => {
    expect(AttendeeV4Create.safeParse({ lastName: 'Tree' }).success).toBe(false)
    expect(AttendeeV4Create.safeParse({ attendeeTypeCode: 'BUSGUEST' }).success).toBe(false)
    expect(
      AttendeeV4Create.safeParse({ attendeeTypeCode: 'X', lastName: 'T', middleInitial: 'AB' }).success,
    ).toBe(false)
    expect(AttendeeV4Create.safeParse({ attendeeTypeCode: 'X', lastName: 'T', unknown: 1 }).success).toBe(
      false,
    )
    expect(AttendeeV4Update.safeParse({ lastName: 'Timber' }).success).toBe(true)
  })

  it('the swagger names the list envelope, the page size and the writes the row declares', () => {
    const swagger = read('attendees-v4.0-Attendees.swagger2.json') as {
      basePath: string
      paths: Record<string, Record<string, { parameters?: { name: string }[]; responses: object }>>
      definitions: Record<string, { properties: Record<string, unknown> }>
    }
    expect(swagger.basePath).toBe('/v4')
    expect(Object.keys(swagger.definitions.AttendeeCollection!.properties).sort()).toEqual([
      'items',
      'nextPage',
    ])
    const list = swagger.paths['/attendees']!.get!
    expect(list.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['attendeeTypeCode', 'externalId', 'limit', 'offset', 'userId']),
    )
    expect(Object.keys(swagger.paths['/attendees']!.post!.responses)).toContain('200')
    expect(Object.keys(swagger.paths['/attendees/{id}']!.put!.responses)).toContain('204')
    expect(swagger.paths['/attendees/{id}']!.delete).toBeUndefined()
    // every property of AttendeeGet is known to the schema, except two the swagger capitalises
    // (`Custom21`, `HasExceptionsPrevYear`) where the samples and the reference page use camelCase
    const props = Object.keys(swagger.definitions.AttendeeGet!.properties)
    const shape = Object.keys((AttendeeV4 as unknown as { shape: object }).shape)
    expect(props.filter((p) => !shape.includes(p)).sort()).toEqual(['Custom21', 'HasExceptionsPrevYear'])
  })
})

describe('the v3.0 ↔ v4 mapping', () => {
  const v3Attendee = {
    AttendeeTypeCode: 'BUSGUEST',
    AttendeeTypeID: 'gWt1',
    FirstName: 'Ada',
    LastName: 'Lovelace',
    MiddleInitial: null,
    Suffix: null,
    Company: 'Analytical Engines',
    Title: 'Countess',
    ExternalID: 'ATT00000001',
    HasExceptionsPrevYear: false,
    HasExceptionsYTD: true,
    TotalAmountPrevYear: 12.5,
    TotalAmountYTD: 3,
    VersionNumber: 2,
    OwnerName: 'Doe, Jane',
    OwnerLoginID: 'jane@example.com',
    CurrencyCode: 'USD',
    Custom8: { Type: 'Text', Value: 'NYC', Code: null, ListItemID: null },
    Custom9: null,
    ID: 'gWa1',
    URI: 'https://x/api/v3.0/expense/attendees/gWa1',
  } satisfies Partial<AttendeeItem>

  it('an attendee keeps every value under its v4 name', () => {
    const v4 = attendeeV4FromV3(v3Attendee, {
      id: 'u-1',
      uri: 'https://x/v4/attendees/u-1',
      ownerUserId: 'o-1',
    })
    expect(AttendeeV4.parse(v4)).toMatchObject({
      id: 'u-1',
      attendeeTypeCode: 'BUSGUEST',
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines',
      title: 'Countess',
      externalId: 'ATT00000001',
      hasExceptionsYtd: true,
      totalAmountPrevYear: 12.5,
      totalAmountYtd: 3,
      versionNumber: 2,
      ownerName: 'Doe, Jane',
      ownerUserId: 'o-1',
      currencyCode: 'USD',
      custom8: { type: 'Text', value: 'NYC' },
    })
    expect(v4).not.toHaveProperty('custom9')
  })

  it('a v4 write body becomes the v3.0 write fields it supplies, and nothing else', () => {
    expect(
      attendeeV3WriteOfV4({ lastName: 'Timber', firstName: 'Olive', custom8: 'NYC', externalId: 'E1' }),
    ).toEqual({ LastName: 'Timber', FirstName: 'Olive', Custom8: 'NYC', ExternalID: 'E1' })
    expect(attendeeV3WriteOfV4({ attendeeTypeCode: 'SPOUSE' })).toEqual({})
  })

  it('an attendee type and a group configuration map field by field', () => {
    const type = attendeeTypeV4FromV3(
      {
        Name: 'Business Guest',
        Code: 'BUSGUEST',
        AttendeeFormID: 'f',
        DuplicateSearchFields: ['Title', 'LastName'],
        ConnectorID: '',
        AllowManuallyEnteredAttendees: true,
        AllowAttendeeCountEditing: false,
        ID: 't',
        URI: 'u',
      } satisfies Partial<AttendeeTypeItem>,
      { id: 'uuid', formId: 'form', formName: 'Business Guest Attendee Form' },
    )
    expect(AttendeeTypeV4.parse(type)).toMatchObject({
      id: 'uuid',
      code: 'BUSGUEST',
      name: 'Business Guest',
      duplicateSearchFields: ['title', 'lastName'],
      externalConnectorId: null,
      allowAttendeeCountEditing: false,
      permitAdds: true,
      form: { id: 'form' },
    })
    const group = groupConfigV4FromV3(
      {
        Name: 'United States',
        AttendeeListFormID: 'F',
        AttendeeListFormName: 'Default',
        AllowUserRegisterYodlee: false,
        AllowUserDigitalTaxInvoice: true,
        AttendeeTypes: [{ Code: 'SPOUSE', Name: 'Spouse' }],
        CashAdvance: null,
        PaymentTypes: [{ ID: 'CASH', Name: 'Cash', IsDefault: true }],
        Policies: [{ ID: 'P1', Name: 'US', IsDefault: true, IsInheritable: false, ExpenseTypes: [] }],
        ID: 'g',
        URI: 'u',
      } satisfies Partial<ExpenseGroupConfigurationItem>,
      'NODE',
    )
    expect(ExpenseConfigV4GroupConfig.parse(group)).toMatchObject({
      hierarchyNodeId: 'NODE',
      groupName: 'United States',
      allowUserDigitalTaxInvoice: true,
      policies: [{ policyId: 'P1', policyName: 'US', isDefault: true, isInheritable: false }],
      paymentTypes: [{ paymentTypeId: 'CASH', paymentTypeName: 'Cash', isDefault: true }],
      attendeeTypes: [{ attendeeTypeCode: 'SPOUSE', attendeeTypeName: 'Spouse' }],
      cashAdvance: { workflowId: null },
    })
  })
})
