import {
  EXPENSE_V4_BASE,
  ExpenseV4Comment,
  ExpenseV4Error,
  ExpenseV4Exception,
  ExpenseV4ExpenseSummary,
  ExpenseV4Report,
  ExpenseV4ReportToApprove,
  ExpenseV4UriResponse,
  ReportItem,
  V3Collection,
} from '@concurkit/contract'
import { v4DateTimeOf } from '@concurkit/contract/internal'
import type { TargetContext, TokenSet } from '../context.js'
import { expectTokenResponse, tokenRequest } from '../oauth.js'
import { type CheckDefinition, expect, fail, pass } from '../types.js'
import { contractBody, tokenSubject } from './bodies.js'

const G = 'expense-v4'

/** The Identity UUID a user access token speaks for (its `sub`). */
function userIdOf(token: string): string {
  return tokenSubject(token) ?? fail('the access token is not a JWT with a sub (the Expense v4 userId)')
}

const json = contractBody

/** A user token of fixture user `index` of the mock's first company. */
async function userSession(
  t: TargetContext,
  index: number,
): Promise<TokenSet & { userId: string; loginId: string }> {
  const c = t.fixtures?.companies[0]
  const u = c?.users[index]
  const a = c?.apps[0]
  if (!c || !u || !a) fail(`the mock has no user ${index}`)
  const s = expectTokenResponse(
    await tokenRequest(t, c.baseUrl, {
      grant_type: 'password',
      client_id: a.clientId,
      client_secret: a.clientSecret,
      username: u.loginId,
      password: u.password,
    }),
    `password grant (user ${index})`,
    t,
  )
  return { ...s, userId: userIdOf(s.accessToken), loginId: u.loginId }
}

/**
 * Expense v4 checks beyond the generated ones: the v3.0 and v4 views of one report agree, and the
 * workflow (submit → pending for the approver → approve; submit twice → 409; recall) behaves as
 * documented, with its effects visible through v3.0.
 */
export function expenseV4Checks(): CheckDefinition[] {
  const base = { reference: 'v4 3', group: G }
  return [
    {
      ...base,
      id: 'expense-v4.views.agree',
      title: 'the v3.0 and Expense v4 views of the same reports agree (name, totals, status, dates)',
      reference: 'v4 3.3',
      async run(t) {
        const s = await t.session()
        const userId = userIdOf(s.accessToken)
        const list = await t.wire.request({
          url: `${s.geolocation}/api/v3.0/expense/reports?limit=5`,
          token: s.accessToken,
          accept: 'application/json',
        })
        expect(list.status === 200, `the v3.0 report list answered ${list.status}`)
        const items = json(list, V3Collection(ReportItem), 'v3.0 report list').Items
        if (items.length === 0) return pass('the user has no reports to compare')
        for (const r3 of items) {
          const id = String(r3.ID)
          const res = await t.wire.request({
            url: `${s.geolocation}${EXPENSE_V4_BASE}/users/${userId}/context/TRAVELER/reports/${id}`,
            token: s.accessToken,
            accept: 'application/json',
            record: 'GET /expensereports/v4/users/{userId}/context/TRAVELER/reports/{reportId}',
          })
          expect(res.status === 200, `GET report ${id} through v4 answered ${res.status}`)
          const r4 = json(res, ExpenseV4Report, `v4 report ${id}`)
          const diffs = [
            r4.reportId === id ? '' : 'reportId',
            (r4.name ?? null) === (r3.Name ?? null) ? '' : 'name',
            r4.approvalStatusId === r3.ApprovalStatusCode ? '' : 'approvalStatusId',
            r4.paymentStatusId === r3.PaymentStatusCode ? '' : 'paymentStatusId',
            r4.currencyCode === r3.CurrencyCode ? '' : 'currencyCode',
            r4.reportTotal?.value === r3.Total ? '' : 'reportTotal',
            r4.claimedAmount?.value === r3.TotalClaimedAmount ? '' : 'claimedAmount',
            r4.creationDate === v4DateTimeOf(r3.CreateDate) ? '' : 'creationDate',
            (r4.submitDate ?? null) === v4DateTimeOf(r3.SubmitDate) ? '' : 'submitDate',
          ].filter(Boolean)
          expect(diffs.length === 0, `report ${id}: v3.0 and v4 disagree on ${diffs.join(', ')}`)
        }
        return pass(`${items.length} reports agree`)
      },
    },
    {
      ...base,
      id: 'expense-v4.workflow',
      title:
        'a report created and submitted through v4 is pending for its approver, a second submit is 409, approve moves it on, recall returns a pending one',
      reference: 'v4 3.2',
      requires: ['writes', 'fixtures'],
      // It creates reports and notifies the registered connectors: alone, after the concurrent checks.
      exclusive: true,
      unavailable: 'it creates and submits reports and needs the passwords of the owner and the approver',
      async run(t) {
        const owner = await userSession(t, 2)
        const base4 = `${owner.geolocation}${EXPENSE_V4_BASE}`
        const call = (method: string, url: string, token: string, body?: unknown) =>
          t.wire.request({
            method,
            url,
            token,
            accept: 'application/json',
            ...(body === undefined ? {} : { json: body }),
          })
        const own = await call(
          'GET',
          `${owner.geolocation}/api/v3.0/expense/reports?limit=1`,
          owner.accessToken,
        )
        const policyId = json(own, V3Collection(ReportItem), 'v3.0 report list').Items[0]?.PolicyID
        expect(typeof policyId === 'string', 'the owner has no report to take a policy from')
        const create = async (name: string) => {
          const res = await call(
            'POST',
            `${base4}/users/${owner.userId}/context/TRAVELER/reports`,
            owner.accessToken,
            {
              name,
              policyId,
            },
          )
          expect(res.status === 201, `POST report answered ${res.status}`)
          return json(res, ExpenseV4UriResponse, 'POST report').uri.split('/').at(-1) ?? ''
        }
        const submit = (id: string) =>
          call('PATCH', `${base4}/users/${owner.userId}/reports/${id}/submit`, owner.accessToken)
        const v3Status = async (id: string) => {
          const res = await call(
            'GET',
            `${owner.geolocation}/api/v3.0/expense/reports/${id}`,
            owner.accessToken,
          )
          expect(res.status === 200, `v3.0 GET report answered ${res.status}`)
          return json(res, ReportItem, 'v3.0 report')
        }

        const id = await create('conformance: Expense v4 workflow')
        const first = await submit(id)
        expect(first.status === 204, `submit answered ${first.status}`)
        const twice = await submit(id)
        expect(twice.status === 409, `a second submit answered ${twice.status}, not 409`)
        json(twice, ExpenseV4Error, 'the 409 body')
        const pending = await v3Status(id)
        expect(
          pending.ApprovalStatusCode === 'A_PEND',
          `v3.0 says ${pending.ApprovalStatusCode} after submit`,
        )
        const approverIndex = t.fixtures?.companies[0]?.users.findIndex(
          (u) => u.loginId === pending.ApproverLoginID,
        )
        expect(approverIndex !== undefined && approverIndex >= 0, 'the approver is not a fixture user')
        const approver = await userSession(t, approverIndex)
        const queue = await call(
          'GET',
          `${base4}/users/${approver.userId}/context/MANAGER/reportsToApprove`,
          approver.accessToken,
        )
        expect(queue.status === 200, `reportsToApprove answered ${queue.status}`)
        const rows = json(queue, ExpenseV4ReportToApprove.array(), 'reportsToApprove')
        expect(
          rows.some((r) => r.reportId === id),
          "the submitted report is not in the approver's reportsToApprove",
        )
        const approve = await call(
          'PATCH',
          `${base4}/users/${approver.userId}/context/MANAGER/reports/${id}/approve`,
          approver.accessToken,
          { comment: 'conformance' },
        )
        expect(approve.status === 204, `approve answered ${approve.status}`)
        const approved = await v3Status(id)
        expect(
          approved.ApprovalStatusCode === 'A_APPR',
          `v3.0 says ${approved.ApprovalStatusCode} after approve`,
        )

        const second = await create('conformance: Expense v4 recall')
        expect((await submit(second)).status === 204, 'the second report was not submitted')
        const recall = await call(
          'PATCH',
          `${base4}/users/${owner.userId}/context/TRAVELER/reports/${second}/recall`,
          owner.accessToken,
        )
        expect(recall.status === 204, `recall answered ${recall.status}`)
        const recalled = await v3Status(second)
        expect(recalled.ApprovalStatusCode !== 'A_PEND', 'the recalled report is still pending approval')
        expect((await submit(second)).status === 204, 'a recalled report could not be submitted again')
        return pass(
          'submit 204, again 409, pending for the approver, approve → A_APPR, recall → resubmittable',
        )
      },
    },
    {
      ...base,
      id: 'expense-v4.exceptions.agree',
      title:
        "the Expense v4 exceptions of the user's reports name the report's own expenses, flagged hasExceptions, and v3.0 HasException agrees",
      reference: 'v4 3.2',
      async run(t) {
        const s = await t.session()
        const userId = userIdOf(s.accessToken)
        const get = (url: string, record?: string) =>
          t.wire.request({
            url,
            token: s.accessToken,
            accept: 'application/json',
            ...(record ? { record } : {}),
          })
        const list = await get(`${s.geolocation}/api/v3.0/expense/reports?limit=25`)
        expect(list.status === 200, `the v3.0 report list answered ${list.status}`)
        const items = json(list, V3Collection(ReportItem), 'v3.0 report list').Items
        let seen = 0
        for (const r3 of items) {
          const id = String(r3.ID)
          const long = `${s.geolocation}${EXPENSE_V4_BASE}/users/${userId}/context/TRAVELER/reports/${id}`
          const res = await get(
            `${long}/exceptions`,
            'GET /expensereports/v4/users/{userId}/context/TRAVELER/reports/{reportId}/exceptions',
          )
          expect(res.status === 200, `GET exceptions of report ${id} answered ${res.status}`)
          const exceptions = json(res, ExpenseV4Exception.array(), `exceptions of report ${id}`)
          if (exceptions.length === 0) continue
          seen += exceptions.length
          expect(
            r3.HasException === true,
            `report ${id} has exceptions through v4 but v3.0 HasException is not true`,
          )
          const named = exceptions.map((x) => x.expenseId).filter((e): e is string => typeof e === 'string')
          if (named.length === 0) continue
          const ex = await get(`${long}/expenses?includeItemizations=true`)
          expect(ex.status === 200, `GET expenses of report ${id} answered ${ex.status}`)
          const expenses = new Map(
            json(ex, ExpenseV4ExpenseSummary.array(), `expenses of report ${id}`).map((e) => [
              e.expenseId,
              e,
            ]),
          )
          for (const e of named) {
            const expense = expenses.get(e)
            expect(expense !== undefined, `an exception of report ${id} names ${e}, not one of its expenses`)
            expect(
              expense.hasExceptions === true,
              `expense ${e} has an exception but says hasExceptions false`,
            )
          }
        }
        return pass(`${seen} exceptions of ${items.length} reports agree with their expenses and v3.0`)
      },
    },
    {
      ...base,
      id: 'expense-v4.comments.latest',
      title:
        'PUT changes and DELETE removes only the latest report comment; isLatest moves and v3.0 LastComment follows',
      reference: 'v4 3.2',
      requires: ['writes'],
      // It creates a report (report counts change): alone, after the concurrent checks.
      exclusive: true,
      unavailable: 'it creates a report and writes its comments',
      async run(t) {
        const s = await t.session()
        const userId = userIdOf(s.accessToken)
        const call = (method: string, url: string, body?: unknown) =>
          t.wire.request({
            method,
            url,
            token: s.accessToken,
            accept: 'application/json',
            ...(body === undefined ? {} : { json: body }),
          })
        const own = await call('GET', `${s.geolocation}/api/v3.0/expense/reports?limit=1`)
        expect(own.status === 200, `the v3.0 report list answered ${own.status}`)
        const policyId = json(own, V3Collection(ReportItem), 'v3.0 report list').Items[0]?.PolicyID
        if (typeof policyId !== 'string') return pass('the user has no report to take a policy from')
        const reports = `${s.geolocation}${EXPENSE_V4_BASE}/users/${userId}/context/TRAVELER/reports`
        const created = await call('POST', reports, { name: 'conformance: Expense v4 comments', policyId })
        expect(created.status === 201, `POST report answered ${created.status}`)
        const id = json(created, ExpenseV4UriResponse, 'POST report').uri.split('/').at(-1) ?? ''
        const comments = `${reports}/${id}/comments`
        for (const comment of ['first', 'second']) {
          const res = await call('POST', comments, { comment })
          expect(res.status === 201, `POST comment answered ${res.status}`)
        }
        const put = await call('PUT', comments, { comment: 'second, edited' })
        expect(put.status === 200, `PUT comment answered ${put.status}`)
        json(put, ExpenseV4UriResponse, 'PUT comment')
        const read = async (what: string) => {
          const res = await call('GET', comments)
          expect(res.status === 200, `GET comments ${what} answered ${res.status}`)
          return json(res, ExpenseV4Comment.array(), `comments ${what}`).map((c) => [c.comment, c.isLatest])
        }
        const afterPut = JSON.stringify(await read('after PUT'))
        expect(
          afterPut ===
            JSON.stringify([
              ['first', false],
              ['second, edited', true],
            ]),
          `after PUT the comments are ${afterPut}`,
        )
        const del = await call('DELETE', comments)
        expect(del.status === 204, `DELETE comment answered ${del.status}`)
        const afterDelete = JSON.stringify(await read('after DELETE'))
        expect(
          afterDelete === JSON.stringify([['first', true]]),
          `after DELETE the comments are ${afterDelete}`,
        )
        const v3 = await call('GET', `${s.geolocation}/api/v3.0/expense/reports/${id}`)
        expect(v3.status === 200, `v3.0 GET report answered ${v3.status}`)
        const last = json(v3, ReportItem, 'v3.0 report').LastComment
        expect(last === 'first', `v3.0 LastComment is ${JSON.stringify(last)} after the DELETE, not "first"`)
        return pass('PUT 200 changed the latest, DELETE 204 removed it, v3.0 LastComment agrees')
      },
    },
  ]
}
