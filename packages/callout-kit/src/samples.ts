import {
  ATTENDEE_CUSTOM_FIELDS_V1,
  ATTENDEE_CUSTOM_FIELDS_V2_ONLY,
  type AttendeeCalloutVersion,
  type EventNotification,
  FetchAttendeeRequest,
  type FetchListRequest,
} from '@concurkit/contract'

/**
 * A Fetch Attendee request like the documented example (Chris Miller, CFO at Len Dev); pass
 * fields to override.
 *
 * @example
 * sampleFetchAttendeeRequest('1.0', { LastName: 'Smith' })
 */
export function sampleFetchAttendeeRequest(
  version: AttendeeCalloutVersion = '2.0',
  overrides: Partial<Omit<FetchAttendeeRequest, 'version'>> = {},
): FetchAttendeeRequest {
  const custom = Object.fromEntries(
    [...ATTENDEE_CUSTOM_FIELDS_V1, ...(version === '2.0' ? ATTENDEE_CUSTOM_FIELDS_V2_ONLY : [])].map((k) => [
      k,
      '',
    ]),
  )
  return FetchAttendeeRequest.parse({
    version,
    AttendeeTypeCode: 'BUSGUEST',
    FirstName: 'Chris',
    MiddleInitial: '',
    LastName: 'Miller',
    Suffix: '',
    Title: 'CFO',
    Company: 'Len Dev',
    ExternalID: '',
    OwnerLoginID: 'cm@example.com',
    MaximumNumberRecords: 500,
    ...custom,
    Custom8: 'North America',
    ...overrides,
  })
}

/**
 * A Fetch List request like the documented examples: single level (`Alph*`) or multi level
 * (`San*` under US-W-CA).
 *
 * @example
 * sampleFetchListRequest('multi').codeByLevel // ['US', 'W', 'CA']
 */
export function sampleFetchListRequest(
  level: 'single' | 'multi' = 'single',
  overrides: Partial<FetchListRequest> = {},
): FetchListRequest {
  const common = {
    searchBy: 'TEXT' as const,
    langCode: 'EN',
    numToReturn: 80,
    protectedListKey: '',
    listName: '',
    connectorVersion: '',
    configOptions: '',
  }
  const base: FetchListRequest =
    level === 'single'
      ? { longCode: '', shortCode: '', query: 'Alph*', ...common }
      : { longCode: 'US-W-CA', shortCode: 'CA', query: 'San*', ...common, codeByLevel: ['US', 'W', 'CA'] }
  return { ...base, ...overrides }
}

/**
 * An event notification like the documented example (a report entering the submit step).
 *
 * @example
 * sampleEventNotification({ EventDateTime: '2026-01-31' })
 */
export function sampleEventNotification(overrides: Partial<EventNotification> = {}): EventNotification {
  return {
    EventType: 'Report Entered Expense Report Workflow Step - SUBMIT',
    ObjectType: 'EXPRPT',
    ObjectURI:
      'https://www.concursolutions.com/api/expense/expensereport/v1.1/reportfulldetails/3%Rek29$wsIY12Di3LS9$gjei%KL23',
    EventDateTime: '2012-05-01',
    Context: '',
    ...overrides,
  }
}
