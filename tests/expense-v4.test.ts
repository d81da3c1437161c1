import { passwordGrant } from '@concurkit/auth'
import { createConnector } from '@concurkit/callout-kit'
import {
  createSelfSignedCertificate,
  type RunningConnector,
  serveConnector,
} from '@concurkit/callout-kit/node'
import type { ConcurClient } from '@concurkit/client'
import { createConcurClient, staticToken } from '@concurkit/client'
import {
  type EventNotification,
  ExpenseV4Error,
  ExpenseV4Report,
  ExpenseV4ReportToApprove,
  ExpenseV4UriResponse,
} from '@concurkit/contract'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Expense v4 and the older report APIs are views of one report: created through v4 (POST long URL),
 * read through v3.0, submitted through v4, pending in the approver's `reportsToApprove`, approved
 * through v4; v3.0 and v2.0 then agree on its status, and a registered connector's Event
 * Notification callout fired for the submit and the approve. Over real sockets: the mock on a free
 * port, tokens from the password grant, the connector over HTTPS; v4 with plain HTTP and the
 * contract's schemas, v3.0 through the client.
 */

const credentials = { user: 'concur-v4-e2e', password: 'expense-v4-end-to-end' }
const notified: EventNotification[] = []
const mock = createMockConcur({ seed: 2206, size: 30, companies: 1, datacenters: ['us'] })
let running: RunningMock
let connector: RunningConnector
let origin: string
let v3: ConcurClient

const c = () => mock.state.companies[0]!

async function userToken(i: number): Promise<string> {
  const tokens = await passwordGrant({
    clientId: c().apps[0]!.clientId,
    clientSecret: c().apps[0]!.clientSecret,
    username: c().users[i]!.loginId,
    password: c().users[i]!.password,
    baseUrl: origin,
  })
  return tokens.accessToken.reveal()
}

async function v4(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, text, json: () => JSON.parse(text) as unknown }
}

beforeAll(async () => {
  running = await mock.listen({ host: '127.0.0.1', port: 0 })
  origin = running.datacenters.us!
  const tls = await createSelfSignedCertificate({ hosts: ['127.0.0.1'] })
  connector = await serveConnector({
    port: 0,
    tls,
    app: createConnector({ credentials, handlers: { notify: (n) => void notified.push(n) } }),
  })
  const registered = await fetch(`${origin}/_mock/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Expense v4 e2e',
      url: connector.url,
      ...credentials,
      ca: tls.cert,
      callouts: { notify: '/concur/v1.0/notify' },
    }),
  })
  expect(registered.status).toBe(201)
  v3 = createConcurClient({ auth: staticToken(await userToken(0), origin), retry: { maxRetries: 0 } })
}, 30_000)

afterAll(async () => {
  await v3?.close()
  await connector?.close()
  await running?.close()
})

describe('Expense v4 end to end', () => {
  it('create (v4) → read (v3.0) → submit (v4) → reportsToApprove → approve (v4) → v3.0 and v2.0 agree → notify callout fired', async () => {
    const owner = c().users[2]!
    const traveler = await userToken(2)
    const policyId = String((await v3.expenseReports.list({ user: owner.loginId }).toArray())[0]!.PolicyID)

    // Create through Expense v4, acting as the owner (long URL, TRAVELER).
    const created = await v4(
      'POST',
      `/expensereports/v4/users/${owner.id}/context/TRAVELER/reports`,
      traveler,
      {
        name: 'Customer workshop',
        policyId,
        businessPurpose: 'Workshop with ACME',
        reportDate: '2026-11-20',
      },
    )
    expect(created.status, created.text).toBe(201)
    const { uri } = ExpenseV4UriResponse.parse(created.json())
    const reportId = uri.split('/').at(-1)!
    expect(uri).toBe(`${origin}/expensereports/v4/users/${owner.id}/context/TRAVELER/reports/${reportId}`)

    // The same record through v3.0.
    const r3 = await v3.expenseReports.get(reportId)
    expect(r3).toMatchObject({
      Name: 'Customer workshop',
      OwnerLoginID: owner.loginId,
      ApprovalStatusCode: 'A_NOTF',
      PolicyID: policyId,
    })
    expect(String(r3.UserDefinedDate).slice(0, 10)).toBe('2026-11-20')

    // Submit through v4.
    const submitted = await v4(
      'PATCH',
      `/expensereports/v4/users/${owner.id}/reports/${reportId}/submit`,
      traveler,
    )
    expect(submitted.status, submitted.text).toBe(204)
    const twice = await v4(
      'PATCH',
      `/expensereports/v4/users/${owner.id}/reports/${reportId}/submit`,
      traveler,
    )
    expect(twice.status).toBe(409)
    expect(ExpenseV4Error.parse(twice.json()).httpStatus).toBe('409 Conflict')
    const pending = await v3.expenseReports.get(reportId)
    expect(pending.ApprovalStatusCode).toBe('A_PEND')

    // Pending in the approver's reportsToApprove.
    const approverIndex = c().users.findIndex((u) => u.loginId === pending.ApproverLoginID)
    expect(approverIndex).toBeGreaterThanOrEqual(0)
    const approver = c().users[approverIndex]!
    const manager = await userToken(approverIndex)
    const list = await v4(
      'GET',
      `/expensereports/v4/users/${approver.id}/context/MANAGER/reportsToApprove?sort=reportDate&order=desc&includeDelegateApprovals=true`,
      manager,
    )
    expect(list.status, list.text).toBe(200)
    const row = ExpenseV4ReportToApprove.array()
      .parse(list.json())
      .find((r) => r.reportId === reportId)
    expect(row).toMatchObject({ name: 'Customer workshop', employee: { employeeUuid: owner.id } })

    // Approve through v4 as the approver (long URL, MANAGER, user token).
    const approved = await v4(
      'PATCH',
      `/expensereports/v4/users/${approver.id}/context/MANAGER/reports/${reportId}/approve`,
      manager,
      { comment: 'Approved' },
    )
    expect(approved.status, approved.text).toBe(204)

    // v3.0, v2.0 and v4 agree.
    const final3 = await v3.expenseReports.get(reportId)
    expect(final3).toMatchObject({
      ApprovalStatusCode: 'A_APPR',
      ApprovalStatusName: 'Approved',
      LastComment: 'Approved',
    })
    const v2 = await fetch(`${origin}/api/expense/expensereport/v2.0/report/${reportId}`, {
      headers: { authorization: `Bearer ${traveler}` },
    })
    const xml = await v2.text()
    expect(v2.status, xml).toBe(200)
    expect(/<ApprovalStatusCode>([^<]*)<\/ApprovalStatusCode>/.exec(xml)?.[1]).toBe(final3.ApprovalStatusCode)
    expect(/<ApprovalStatusName>([^<]*)<\/ApprovalStatusName>/.exec(xml)?.[1]).toBe(final3.ApprovalStatusName)
    const r4 = ExpenseV4Report.parse(
      (
        await v4('GET', `/expensereports/v4/users/${owner.id}/context/TRAVELER/reports/${reportId}`, traveler)
      ).json(),
    )
    expect(r4).toMatchObject({
      approvalStatusId: 'A_APPR',
      approvalStatus: 'Approved',
      businessPurpose: 'Workshop with ACME',
      submitDate: `${String(final3.SubmitDate).slice(0, 19)}Z`,
    })
    // No longer pending for the approver.
    const after = ExpenseV4ReportToApprove.array().parse(
      (
        await v4('GET', `/expensereports/v4/users/${approver.id}/context/MANAGER/reportsToApprove`, manager)
      ).json(),
    )
    expect(after.map((r) => r.reportId)).not.toContain(reportId)

    // The connector's Event Notification callout fired for the submit and the approve.
    const mine = notified.filter((n) => n.ObjectURI.endsWith(`/reportfulldetails/${reportId}`))
    expect(mine.map((n) => n.EventType)).toEqual([
      'Report Entered Expense Report Workflow Step - SUBMIT',
      'Report Entered Expense Report Workflow Step - APPROVE',
    ])
  }, 30_000)
})
