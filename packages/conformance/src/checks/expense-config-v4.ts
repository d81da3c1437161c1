import {
  AttendeeItem,
  AttendeesV4Page,
  EXPENSE_CONFIG_V4_BASE,
  ExpenseConfigV4GroupConfig,
  ExpenseGroupConfigurationItem,
  V3Collection,
} from '@concurkit/contract'
import type { TargetContext } from '../context.js'
import { type CheckDefinition, expect, fail, pass } from '../types.js'
import type { WireResponse } from '../wire.js'
import { contractBody, tokenSubject } from './bodies.js'

/** The Identity UUID a user access token speaks for (its `sub`). */
function subOf(token: string): string {
  return (
    tokenSubject(token) ??
    fail('the access token is not a JWT with a sub (the Expense Configuration v4 userID)')
  )
}

function parsed<T>(
  res: WireResponse,
  schema: { safeParse(x: unknown): { success: boolean; data?: T } },
  what: string,
): T {
  expect(res.status === 200, `${what} answered ${res.status}`)
  return contractBody(res, schema, what)
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null)

/**
 * Expense Configuration v4 and Attendees v4 checks beyond the generated ones: the v3.0 and v4 views
 * of the user's group configuration and of the user's attendees agree (one record, every view).
 */
export function expenseConfigV4Checks(): CheckDefinition[] {
  return [
    {
      id: 'expense-config-v4.views.agree',
      title:
        'the v3.0 and v4 views of the same group configuration and the same attendees agree (names, types, payment types, attendee values)',
      reference: 'v4 4.1',
      group: 'expense-config-v4',
      async run(t: TargetContext) {
        const s = await t.session()
        const get = (path: string, record?: string) =>
          t.wire.request({
            url: `${s.geolocation}${path}`,
            token: s.accessToken,
            accept: 'application/json',
            ...(record ? { record } : {}),
          })
        const v3Groups = parsed(
          await get('/api/v3.0/expense/expensegroupconfigurations?limit=10'),
          V3Collection(ExpenseGroupConfigurationItem),
          'the v3.0 group configurations',
        ).Items
        const v4 = parsed(
          await get(
            `${EXPENSE_CONFIG_V4_BASE}/users/${encodeURIComponent(subOf(s.accessToken))}/groupconfigs`,
            'GET /expenseconfig/v4/users/{userID}/groupconfigs',
          ),
          ExpenseConfigV4GroupConfig,
          "the user's v4 group config",
        )
        const g3 = v3Groups.find((g) => same(g.Name, v4.groupName))
        expect(
          g3 !== undefined,
          `the v4 group "${v4.groupName}" is none of the user's v3.0 group configurations (${v3Groups.map((g) => g.Name).join(', ')})`,
        )
        const diffs = [
          same(v4.attendeeListFormName, g3!.AttendeeListFormName) ? '' : 'attendeeListFormName',
          same(v4.allowUserDigitalTaxInvoice, g3!.AllowUserDigitalTaxInvoice)
            ? ''
            : 'allowUserDigitalTaxInvoice',
          JSON.stringify((v4.paymentTypes ?? []).map((p) => p.paymentTypeId)) ===
          JSON.stringify((g3!.PaymentTypes ?? []).map((p) => p.ID))
            ? ''
            : 'paymentTypes',
          JSON.stringify((v4.attendeeTypes ?? []).map((a) => a.attendeeTypeCode)) ===
          JSON.stringify((g3!.AttendeeTypes ?? []).map((a) => a.Code))
            ? ''
            : 'attendeeTypes',
          (g3!.Policies ?? []).every((p) => (v4.policies ?? []).some((q) => q.policyId === p.ID))
            ? ''
            : 'policies',
        ].filter(Boolean)
        expect(diffs.length === 0, `group "${v4.groupName}": v3.0 and v4 disagree on ${diffs.join(', ')}`)
        const attendees = parsed(
          await get('/api/v3.0/expense/attendees?limit=5'),
          V3Collection(AttendeeItem),
          'the v3.0 attendees',
        ).Items.filter((a) => typeof a.ExternalID === 'string' && a.ExternalID !== '')
        for (const a3 of attendees) {
          const page = parsed(
            await get(`/v4/attendees?externalId=${encodeURIComponent(a3.ExternalID!)}`, 'GET /v4/attendees'),
            AttendeesV4Page,
            `v4 attendees with externalId ${a3.ExternalID}`,
          )
          const found = (page.items ?? page.Items ?? []).filter((a) => a.externalId === a3.ExternalID)
          expect(
            found.length === 1,
            `externalId ${a3.ExternalID}: v4 answers ${found.length} attendees, v3.0 one`,
          )
          const a4 = found[0]!
          const off = [
            same(a4.lastName, a3.LastName) ? '' : 'lastName',
            same(a4.firstName, a3.FirstName) ? '' : 'firstName',
            same(a4.attendeeTypeCode, a3.AttendeeTypeCode) ? '' : 'attendeeTypeCode',
            same(a4.company, a3.Company) ? '' : 'company',
            same(a4.title, a3.Title) ? '' : 'title',
            same(a4.currencyCode, a3.CurrencyCode) ? '' : 'currencyCode',
          ].filter(Boolean)
          expect(off.length === 0, `attendee ${a3.ExternalID}: v3.0 and v4 disagree on ${off.join(', ')}`)
        }
        return pass(`group "${v4.groupName}" and ${attendees.length} attendee(s) agree`)
      },
    },
  ]
}
