import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  RequestV4,
  RequestV4CashAdvanceLinks,
  RequestV4Comments,
  RequestV4Create,
  RequestV4Error,
  RequestV4Exceptions,
  RequestV4ExpectedExpense,
  RequestV4ExpectedExpenses,
  RequestV4ExpectedExpenseWrite,
  RequestV4Page,
  RequestV4Update,
} from './request-v4.js'

const DIR = new URL('../../../../fixtures/concur-examples-v4/', import.meta.url)
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, DIR), 'utf8'))

/** Which schema each documented Request v4 example must satisfy. */
const SCHEMA_OF: Record<string, z.ZodType> = {
  'request-v4-requests-list-response.json': RequestV4Page,
  'request-v4-request-get-response.json': RequestV4,
  'request-v4-request-post-request.json': RequestV4Create,
  'request-v4-request-post-response.json': RequestV4,
  'request-v4-request-put-request.json': RequestV4Update,
  'request-v4-request-put-response.json': RequestV4,
  'request-v4-workflow-submit-response.json': RequestV4,
  'request-v4-request-comments-response.json': RequestV4Comments,
  'request-v4-request-cashadvances-response.json': RequestV4CashAdvanceLinks,
  'request-v4-request-exceptions-response.json': RequestV4Exceptions,
  'request-v4-expense-post-request.json': RequestV4ExpectedExpenseWrite,
  'request-v4-expense-post-response.json': RequestV4ExpectedExpense,
  'request-v4-expense-put-request.json': RequestV4ExpectedExpenseWrite,
  'request-v4-expense-put-response.json': RequestV4ExpectedExpense,
  'request-v4-expense-get-expected-expense-response.json': RequestV4ExpectedExpense,
  'request-v4-expense-get-segment-response.json': RequestV4ExpectedExpense,
  'request-v4-expenses-list-response.json': RequestV4ExpectedExpenses,
  'request-v4-expense-comments-response.json': RequestV4Comments,
}

describe('Request v4 contract against the documented examples', () => {
  it('names a schema for every copied Request v4 example', () => {
    const files = readdirSync(DIR).filter((f) => f.startsWith('request-v4-') && f.endsWith('.json'))
    const covered = new Set([...Object.keys(SCHEMA_OF), 'request-v4-request-delete-response.json'])
    expect(files.filter((f) => !covered.has(f))).toEqual([])
  })

  for (const [file, schema] of Object.entries(SCHEMA_OF)) {
    it(`parses ${file}`, () => {
      const r = schema.safeParse(read(file))
      expect(r.success, r.success ? '' : JSON.stringify(r.error.issues)).toBe(true)
    })
  }

  it('reads the list envelope: data items and the next link', () => {
    const page = RequestV4Page.parse(read('request-v4-requests-list-response.json'))
    expect(page.data.map((r) => r.requestId)).toEqual(['3AT7', '3AT6'])
    expect(page.operations.find((o) => o.rel === 'next')?.href).toMatch(/start=3$/)
    expect(page.data[0]!.totalApprovedAmount).toEqual({ value: 213.06, currency: 'USD' })
  })

  it('answers DELETE with the JSON literal true', () => {
    expect(read('request-v4-request-delete-response.json')).toBe(true)
  })

  it('refuses a create body with an id, read-only fields or missing dates', () => {
    const body = read('request-v4-request-post-request.json') as Record<string, unknown>
    expect(RequestV4Create.safeParse({ ...body, id: 'X' }).success).toBe(false)
    expect(RequestV4Create.safeParse({ ...body, approvalStatus: { code: 'APPROVED' } }).success).toBe(false)
    const { startDate: _s, ...noStart } = body
    expect(RequestV4Create.safeParse(noStart).success).toBe(false)
    expect(RequestV4Create.safeParse({ ...body, startDate: '07/01/2018' }).success).toBe(false)
  })

  it('parses the error body and refuses one without errors', () => {
    const e = { errors: [{ errorCode: 'missingRequiredParam', errorMessage: 'userId is required' }] }
    expect(RequestV4Error.parse(e).errors[0]!.errorCode).toBe('missingRequiredParam')
    expect(RequestV4Error.safeParse({ errors: [] }).success).toBe(false)
    expect(RequestV4Error.safeParse({ error: 'x' }).success).toBe(false)
  })
})
