import { readFileSync } from 'node:fs'
import { ERROR_FAMILIES, errorFamilyOf } from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { parseErrorBody } from '../src/http.js'

const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/concur-examples/${name}`, import.meta.url))
const body = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v))

describe('parseErrorBody reads Concur’s message and code from every error body family', () => {
  it('v3 web-services body (Concur’s sample)', () => {
    expect(parseErrorBody(fixture('error-v3.json'))).toEqual({
      message: 'Forbidden Request',
      code: '65F68719-3FF5-459E-8B94-5FC93A5CD045',
    })
  })

  it('v1/v2/extract XML body, with and without the XML declaration', () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?>\n<Error><Message>Report not found &amp; gone</Message><Server-Time>2026-01-01T00:00:00</Server-Time><Id>ABC-1</Id></Error>'
    expect(parseErrorBody(body(xml))).toEqual({ message: 'Report not found & gone', code: 'ABC-1' })
    expect(parseErrorBody(body('<Error><Message> only a message </Message></Error>'))).toEqual({
      message: 'only a message',
    })
    expect(parseErrorBody(body('<Report><Name>not an error</Name></Report>'))).toEqual({})
    expect(parseErrorBody(body('<Error><Message>cut'))).toEqual({})
  })

  it('OAuth2 body (Concur’s sample): the description and the numeric code', () => {
    expect(parseErrorBody(fixture('oauth2-token-error-invalid-grant.json'))).toEqual({
      message: 'Incorrect Credentials. Please Retry',
      code: '5',
    })
  })

  it('v4 ErrorMessage body, with and without errorId', () => {
    const v4 = {
      errorId: 'E-1',
      errorMessage: 'Unknown report',
      httpStatus: '404',
      path: '/x',
      timestamp: '2026-01-01T00:00:00Z',
    }
    expect(parseErrorBody(body(v4))).toEqual({ message: 'Unknown report', code: 'E-1' })
    const { errorId: _, ...anonymous } = v4
    expect(parseErrorBody(body(anonymous))).toEqual({ message: 'Unknown report' })
  })

  it('List v4 body: error.message and error.id', () => {
    const list = {
      timestamp: '2026-01-01T00:00:00Z',
      httpStatus: '400 - Bad Request',
      error: { id: 'list.is.managed', message: 'The list is managed' },
      path: '/list/v4/lists/1',
    }
    expect(parseErrorBody(body(list))).toEqual({ message: 'The list is managed', code: 'list.is.managed' })
  })

  it('SCIM (Identity v4) body: detail and scimType', () => {
    const scim = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: 'invalidFilter',
      detail: 'filter is not supported',
    }
    expect(parseErrorBody(body(scim))).toEqual({ message: 'filter is not supported', code: 'invalidFilter' })
    expect(parseErrorBody(body({ status: '404', detail: 'no such user' }))).toEqual({
      message: 'no such user',
    })
  })

  it('other JSON bodies: a bare error string, ASP.NET’s Message, a message with a code', () => {
    expect(parseErrorBody(body({ error: 'admin key required' }))).toEqual({
      message: 'admin key required',
      code: 'admin key required',
    })
    expect(parseErrorBody(body({ error: 'invalid_request', error_description: 'bad' }))).toEqual({
      message: 'bad',
      code: 'invalid_request',
    })
    expect(parseErrorBody(body({ Message: 'An error has occurred.' }))).toEqual({
      message: 'An error has occurred.',
    })
    expect(parseErrorBody(body({ message: 'nope', code: 42 }))).toEqual({ message: 'nope', code: '42' })
    expect(parseErrorBody(body({ Error: { Message: 'partial', Id: 'I' } }))).toEqual({
      message: 'partial',
      code: 'I',
    })
    // a body some family's schema accepts without naming a message falls through to the next
    expect(parseErrorBody(body({ status: '400', message: 'plain' }))).toEqual({ message: 'plain' })
    expect(parseErrorBody(body({ unrelated: true }))).toEqual({})
    expect(parseErrorBody(body([1, 2]))).toEqual({})
  })

  it('with the request path: every body the mock answers for a family reads back its message and code', () => {
    const paths = {
      'web-services': '/api/v3.0/expense/reports',
      oauth: '/oauth2/v0/token',
      v4: '/quickexpense/v4/users/u/context/TRAVELER/quickexpenses',
      'expense-v4': '/expensereports/v4/reports/R1',
      'list-v4': '/list/v4/lists/x',
      'request-v4': '/travelrequest/v4/requests/r',
      'cards-v4': '/cards/v4/users/u/transactions',
      'itinerary-v4': '/travel/v4/trips',
      'receipts-v4': '/receipts/v4/users/u/image-only-receipts',
      'spend-documents-v4': '/spend-documents/v4/documents',
      scim: '/profile/identity/v4.1/Users/u',
      'scim-spend': '/profile/spend/v4.1/Users/u',
    } as const
    for (const [name, path] of Object.entries(paths)) {
      expect(errorFamilyOf(path)).toBe(name)
      const answer = ERROR_FAMILIES[name as keyof typeof paths].render({
        status: 404,
        message: 'Nothing here',
        id: 'ID-1',
        nowMs: 0,
        path,
        oauthCode: 5,
        code: 'not.found',
      })
      if (!('json' in answer)) throw new Error(name)
      const info = parseErrorBody(body(answer.json), path)
      // OAuth2 errors say the documented description of their numeric code.
      expect({ name, message: info.message }).toEqual({
        name,
        message: name === 'oauth' ? 'Incorrect Credentials. Please Retry' : 'Nothing here',
      })
    }
    // The Spend User Retrieval body (integer status, no messages[]) reads only with its path's family.
    const spend = body({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      detail: 'No such user',
      status: 404,
    })
    expect(parseErrorBody(spend, '/profile/spend/v4.1/Users/u')).toEqual({ message: 'No such user' })
  })

  it('text, broken JSON and empty bodies', () => {
    expect(parseErrorBody(body('Service Unavailable'))).toEqual({ message: 'Service Unavailable' })
    expect(parseErrorBody(body(`{"cut": ${'x'.repeat(300)}`))).toEqual({
      message: `{"cut": ${'x'.repeat(300)}`.slice(0, 200),
    })
    expect(parseErrorBody(body('   '))).toEqual({})
  })
})
