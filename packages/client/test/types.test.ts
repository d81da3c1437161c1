import type { ResourceName } from '@concurkit/contract'
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest'
import {
  type ConcurClient,
  createConcurClient,
  type DateInput,
  type FilterOf,
  type ItemOf,
  type ListFilter,
  type RecordIterable,
  type ResourceClient,
  staticToken,
} from '../src/index.ts'

// Type tests: `pnpm typecheck` (tsc over src and test) fails when an `expectTypeOf` does not hold
// or a `@ts-expect-error` line compiles. Nothing here reaches the network: `list()` is lazy and
// no walk is started.
const client: ConcurClient = createConcurClient({
  auth: staticToken('not-a-real-token', 'http://127.0.0.1:9'),
})
afterAll(() => client.close())

describe('records are typed from the registry row', () => {
  it('list() and get() yield the row item type', () => {
    expectTypeOf(client.expenseReports.list()).toEqualTypeOf<RecordIterable<ItemOf<'expense-reports'>>>()
    expectTypeOf(client.expenseReports.get).returns.resolves.toEqualTypeOf<ItemOf<'expense-reports'>>()
    expectTypeOf<ItemOf<'expense-reports'>['ID']>().toEqualTypeOf<string>()
    expectTypeOf<ItemOf<'expense-reports'>['ApprovalStatusCode']>().toEqualTypeOf<string | null>()
    expectTypeOf<ItemOf<'expense-reports'>['Custom20']>().not.toBeUnknown()
    expectTypeOf<ItemOf<'travel-itineraries'>['UserLoginId']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<ItemOf<'list-items'>['Level10Code']>().toEqualTypeOf<string | null>()
    expect(client.expenseReports.definition.name).toBe('expense-reports')
  })

  it('a misspelled field does not compile', async () => {
    const read = async () => {
      for await (const report of client.expenseReports.list()) {
        // @ts-expect-error `OwnerLoginId` is spelled `OwnerLoginID` in Concur's report
        return report.OwnerLoginId
      }
      const trip = await client.travelItineraries.get('x')
      // @ts-expect-error `TripID` is spelled `TripId` in Itinerary v1.1
      return trip.TripID
    }
    expect(typeof read).toBe('function')
  })

  it('the related reads are typed too', () => {
    expectTypeOf(client.reportEntries('r')).toEqualTypeOf<RecordIterable<ItemOf<'expense-entries'>>>()
    expectTypeOf(client.entryAttendees).returns.resolves.toEqualTypeOf<ItemOf<'expense-attendees'>[]>()
    expectTypeOf(client.resource('locations')).toEqualTypeOf(client.locations)
  })

  it('a name known only at run time gives untyped records and the checked-at-run-time filter', () => {
    const name = 'expense-reports' as ResourceName
    expectTypeOf(client.resource(name)).toEqualTypeOf<ResourceClient>()
    expectTypeOf(client.resource(name).list).parameter(0).toEqualTypeOf<ListFilter | undefined>()
  })
})

describe('filters are typed from the registry row', () => {
  it('documented parameters take their registry value type', () => {
    type F = FilterOf<'expense-reports'>
    expectTypeOf<F['approvalStatusCode']>().toEqualTypeOf<
      | 'A_AAFH'
      | 'A_ACCO'
      | 'A_APPR'
      | 'A_EXTV'
      | 'A_FILE'
      | 'A_NOTF'
      | 'A_PBDG'
      | 'A_PECO'
      | 'A_PEND'
      | 'A_PVAL'
      | 'A_RESU'
      | 'A_RHLD'
      | 'A_TEXP'
      | undefined
    >()
    expectTypeOf<F['hasVAT']>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf<F['submitDateAfter']>().toEqualTypeOf<DateInput | undefined>()
    expectTypeOf<F['currencyCode']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<FilterOf<'travel-itineraries'>['includeVirtualTrip']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<FilterOf<'expense-attendees'>['externalID']>().toEqualTypeOf<
      string | readonly string[] | undefined
    >()
    expectTypeOf<FilterOf<'reports-detail'>['Status']>().not.toEqualTypeOf<string | undefined>()
    // Path parameters and, for fan-out rows, the parent's filters.
    expectTypeOf<FilterOf<'extract-jobs'>['DefinitionID']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<FilterOf<'expense-reports-detail'>['approvalStatusCode']>().toEqualTypeOf<
      F['approvalStatusCode']
    >()
    // The connector filters on every resource.
    expectTypeOf<FilterOf<'locations'>['daysBack']>().toEqualTypeOf<number | undefined>()
  })

  it('the right filter compiles; a wrong name or enum value does not', () => {
    const ok = client.expenseReports.list(
      { user: 'ALL', approvalStatusCode: 'A_APPR', hasVAT: true, submitDateAfter: '10d' },
      { params: { undocumentedRaw: 'x' } },
    )
    expect(typeof ok[Symbol.asyncIterator]).toBe('function')
    // @ts-expect-error `A_APPROVED` is not one of the approval status codes
    client.expenseReports.list({ approvalStatusCode: 'A_APPROVED' })
    // @ts-expect-error `approverLoginId` is spelled `approverLoginID`
    client.expenseReports.list({ approverLoginId: 'a@b.c' })
    // @ts-expect-error `reportID` is an entries filter, not a reports one
    client.expenseReports.list({ reportID: 'r' })
    // @ts-expect-error booleans are booleans, not strings
    client.expenseEntries.list({ hasVAT: 'yes' })
    // @ts-expect-error `bookingType` is one of the booking types
    client.travelItineraries.list({ bookingType: 'Boat' })
    // @ts-expect-error `includeVirtualTrip` is an int
    client.travelItineraries.list({ includeVirtualTrip: '1' })
    // @ts-expect-error locations have no filters beyond their own and the connector's
    client.locations.list({ approvalStatusCode: 'A_APPR' })
  })
})
