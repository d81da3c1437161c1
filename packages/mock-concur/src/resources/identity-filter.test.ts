import { SCIM_ENTERPRISE_SCHEMA } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { matchesFilter, parseFilter, ScimFilterError } from './identity-filter.js'

const user = {
  id: 'c7e128ed-a8a6-4627-bd5d-42f7f89cdeb4',
  userName: 'John.Doe@example.com',
  active: true,
  name: { givenName: 'John', familyName: 'Doe' },
  emails: [
    { value: 'John.Doe@example.com', type: 'work' },
    { value: 'jd@home.test', type: 'home' },
  ],
  addresses: [{ type: 'work', locality: 'Bellevue', country: 'US' }],
  entitlements: ['Expense', 'Invoice'],
  meta: { created: '2021-11-17T22:44:09.000164Z' },
  [SCIM_ENTERPRISE_SCHEMA]: {
    employeeNumber: 'E000001',
    startDate: '2012-05-01T00:00:00.000',
    manager: { value: 'm-1', employeeNumber: 'E000002' },
  },
}
const match = (f: string) => matchesFilter(parseFilter(f), user)

describe('Identity search filter grammar', () => {
  it('evaluates the documented examples of the search guide', () => {
    expect(match('emails.value eq "john.doe@example.com"')).toBe(true)
    expect(match('active eq true and emails.value ew "example.com"')).toBe(true)
    expect(match('active eq true and entitlements eq "invoice"')).toBe(true)
    expect(match('addresses[type eq "work" and locality eq "Bellevue"]')).toBe(true)
    expect(match('addresses[type eq "home" and locality eq "Bellevue"]')).toBe(false)
    expect(
      match(
        'active eq true and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:startDate le 2013-12-31',
      ),
    ).toBe(true)
    expect(match('id eq c7e128ed-a8a6-4627-bd5d-42f7f89cdeb4')).toBe(true)
    expect(match('id eq "c7e128ed-a8a6-4627-bd5d-42f7f89cdeb4"')).toBe(true)
    expect(match('emails[type eq "work" and value ew "@example.com"]')).toBe(true)
    expect(match('name.givenName eq "John"')).toBe(true)
  })

  it('applies every operator, not > and > or, and grouping', () => {
    expect(match('userName sw "john."')).toBe(true)
    expect(match('userName co "DOE@"')).toBe(true)
    expect(match('userName ne "someone@else"')).toBe(true)
    expect(match('nickName pr')).toBe(false)
    expect(match('name.familyName pr')).toBe(true)
    expect(match('meta.created gt 2021-01-01')).toBe(true)
    expect(match('meta.created ge 2021-11-17')).toBe(true)
    expect(match('meta.created lt 2021-11-17')).toBe(false)
    expect(match('employeeNumber eq "E000001"')).toBe(true)
    expect(match('manager.value eq "m-1"')).toBe(true)
    // `not` binds tighter than `and`, `and` tighter than `or`.
    expect(match('not (active eq true) or userName eq "John.Doe@example.com"')).toBe(true)
    expect(match('userName eq "x" and active eq true or name.givenName eq "John"')).toBe(true)
    expect(match('userName eq "x" and (active eq true or name.givenName eq "John")')).toBe(false)
    // Outside [ ], each condition may hold on a different element of the list.
    expect(match('emails.value ew "example.com" and emails.value ew "home.test"')).toBe(true)
    expect(match('emails[value ew "example.com" or value ew "home.test"]')).toBe(true)
  })

  it.each([
    ['', 'empty'],
    ['userName eq', 'Expected a value'],
    ['userName xx "a"', "Unknown operator 'xx'"],
    ['(userName eq "a"', "Expected ')'"],
    ['userName eq "a" extra', "Unexpected 'extra'"],
    ['userName eq "unterminated', 'Unterminated string'],
    ['title eq "CEO"', 'not filterable'],
    ['active gt true', 'does not apply to a boolean'],
    ['emails[not (type eq "work")]', "'not' is not supported"],
    ['emails[type ne "work"]', "'ne' is not supported"],
    ['emails[type eq "work" and (value ew "a" or value ew "b")]', "'or' inside parentheses"],
    ['emails[value ew "a" and value ew "b"]', 'appears twice'],
    ['userName[value eq "a"]', 'not a multi-valued attribute'],
    ['not active eq true', "Expected '(' after 'not'"],
  ])('rejects %j (%s)', (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(ScimFilterError)
    expect(() => parseFilter(filter)).toThrow(message)
  })
})
