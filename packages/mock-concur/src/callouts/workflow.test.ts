import { createConnector } from '@concurkit/callout-kit'
import {
  createSelfSignedCertificate,
  type RunningConnector,
  serveConnector,
} from '@concurkit/callout-kit/node'
import type { EventNotification } from '@concurkit/contract'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { datasetOf, userIndexOfLogin } from '../dataset/dataset.js'
import { reportAt } from '../dataset/expense.js'
import { parseV3Date } from '../dataset/time.js'
import { createMockConcur, type MockConcur } from '../mock.js'
import { tokenFor } from '../resources/legacy/testing.js'

const credentials = { user: 'concur-workflow', password: 'workflow-password-123' }
const seen: EventNotification[] = []
let failNotify = false
let tls: { cert: string; key: string }
let connector: RunningConnector
let mock: MockConcur
let base: string

const company = () => mock.state.companies[0]!
const ds = () => datasetOf(mock.state.options.seed, company())
const admin = (path: string, body: unknown) =>
  mock.fetch(`${base}/_mock${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
const workflowXml = (action: string, comment?: string) =>
  `<WorkflowAction xmlns="http://www.concursolutions.com/api/expense/expensereport/2011/03"><Action>${action}</Action>${
    comment === undefined ? '' : `<Comment>${comment}</Comment>`
  }</WorkflowAction>`
const workflow = (id: string, token: string, body: string) =>
  mock.fetch(`${base}/api/expense/expensereport/v1.1/report/${id}/WorkFlowAction`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
    body,
  })
const v3Report = async (id: string) => {
  const res = await mock.fetch(`${base}/api/v3.0/expense/reports/${id}`, {
    headers: { authorization: `Bearer ${await tokenFor(mock)}` },
  })
  expect(res.status).toBe(200)
  return (await res.json()) as Record<string, unknown>
}
/** Seeded reports of company 0 with the given approval status, in index order. */
const reportsWithStatus = (code: string) => {
  const out: Record<string, unknown>[] = []
  for (let r = 0; r < ds().reports; r++) {
    const rep = reportAt(ds(), r)
    if (rep.ApprovalStatusCode === code) out.push(rep)
  }
  return out
}

beforeAll(async () => {
  tls = await createSelfSignedCertificate({ hosts: ['127.0.0.1'] })
  connector = await serveConnector({
    port: 0,
    tls,
    app: createConnector({
      credentials,
      handlers: {
        notify: (n) => {
          seen.push(n)
          if (failNotify) throw new Error('queue unavailable')
        },
      },
    }),
  })
  mock = createMockConcur({ size: 40 })
  base = mock.state.baseUrl(company().datacenter)
  const res = await admin('/connectors', {
    name: 'Workflow validator',
    url: connector.url,
    ...credentials,
    ca: tls.cert,
    callouts: { notify: '/concur/v1.0/notify' },
  })
  expect(res.status).toBe(201)
})
afterAll(async () => {
  mock?.state.reset()
  await connector?.close()
})

describe('report workflow actions fire the Event Notification callout', () => {
  it('submitting through the dataset admin API moves the report to A_PEND and notifies the connector', async () => {
    const report = reportsWithStatus('A_NOTF')[0]!
    const id = String(report.ID)
    expect(report.WorkflowActionUrl).toMatch(
      new RegExp(`/api/expense/expensereport/v1\\.1/report/${id}/WorkFlowAction$`),
    )
    const listUrl = `${base}/api/v3.0/expense/reports?user=ALL&limit=100`
    const adminToken = await tokenFor(mock)
    const listed = async () => {
      const res = await mock.fetch(listUrl, { headers: { authorization: `Bearer ${adminToken}` } })
      expect(res.status, await res.clone().text()).toBe(200)
      return (await res.json()) as { Items: Record<string, unknown>[] }
    }
    const listBefore = await listed()
    mock.state.clock.advance(60)
    const now = mock.state.clock.now()
    const res = await admin('/dataset/expense-reports', { action: 'submit', id, comment: 'Please approve' })
    expect(res.status).toBe(200)
    const out = (await res.json()) as {
      status: string
      record: Record<string, unknown>
      deliveries: { status: string; result: { outcome: string } }[]
    }
    expect(out.status).toBe('SUCCESS')
    expect(out.record).toMatchObject({
      ApprovalStatusCode: 'A_PEND',
      ApprovalStatusName: 'Submitted & Pending Approval',
      LastComment: 'Please approve',
    })
    const submittedAt = parseV3Date(String(out.record.SubmitDate))!
    expect(submittedAt).toBeGreaterThanOrEqual(now)
    expect(submittedAt).toBeLessThanOrEqual(mock.state.clock.now())
    expect(out.record.LastModifiedDate).toBe(out.record.SubmitDate)
    expect(out.record.ApproverLoginID).toEqual(expect.any(String))
    expect(out.deliveries.map((d) => d.status)).toEqual(['DELIVERED'])
    expect(seen.at(-1)).toEqual({
      EventType: 'Report Entered Expense Report Workflow Step - SUBMIT',
      ObjectType: 'EXPRPT',
      ObjectURI: `${base}/api/expense/expensereport/v1.1/reportfulldetails/${id}`,
      EventDateTime: String(out.record.SubmitDate).slice(0, 10),
      Context: '',
    })
    expect(
      mock.state.journal.list().some((e) => e.note === 'callout notify connector=connector-1: valid'),
    ).toBe(true)
    // Reads show the change: v3.0 item, the (cached) v3.0 list page, the v2.0 details.
    expect(await v3Report(id)).toMatchObject({
      ApprovalStatusCode: 'A_PEND',
      SubmitDate: out.record.SubmitDate,
    })
    const listAfter = await listed()
    expect(listAfter).not.toEqual(listBefore)
    expect(listAfter.Items.find((i) => i.ID === id)).toMatchObject({ ApprovalStatusCode: 'A_PEND' })
    const v2 = await mock.fetch(`${base}/api/expense/expensereport/v2.0/report/${id}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    })
    expect(await v2.text()).toContain('<ApprovalStatusCode>A_PEND</ApprovalStatusCode>')
    // Submitting again is refused without a notification.
    const again = await admin('/dataset/expense-reports', { action: 'submit', id })
    expect(again.status).toBe(409)
    expect(((await again.json()) as { message: string }).message).toMatch(/cannot be submitted/)
  })

  it('only the approver or an administrator may approve (v1.1 WorkFlowAction); approval notifies', async () => {
    const report = reportsWithStatus('A_NOTF')[1]!
    const id = String(report.ID)
    const submitted = (await (await admin('/dataset/expense-reports', { action: 'submit', id })).json()) as {
      record: { ApproverLoginID: string; OwnerLoginID: string }
    }
    const approver = userIndexOfLogin(ds(), submitted.record.ApproverLoginID)!
    const owner = userIndexOfLogin(ds(), submitted.record.OwnerLoginID)!
    const outsider = [2, 3, 4, 5].find((u) => u !== owner && u !== approver)!
    const before = seen.length

    const forbidden = await workflow(id, await tokenFor(mock, { user: outsider }), workflowXml('Approve'))
    expect(forbidden.status).toBe(403)
    const body = await forbidden.text()
    expect(body).toMatch(/^<\?xml[^>]*>\n<Error><Message>Forbidden Request: only the report's approver/)
    expect(body).toContain('<Server-Time>')
    expect(seen.length).toBe(before)
    expect((await v3Report(id)).ApprovalStatusCode).toBe('A_PEND')

    const ok = await workflow(id, await tokenFor(mock, { user: approver }), workflowXml('Approve', 'Fine'))
    expect(ok.status).toBe(200)
    const xml = await ok.text()
    expect(xml).toContain(
      '<ActionStatus xmlns="http://www.concursolutions.com/api/expense/expensereport/2011/03"',
    )
    expect(xml).toContain('<Status>SUCCESS</Status>')
    expect(await v3Report(id)).toMatchObject({ ApprovalStatusCode: 'A_APPR', LastComment: 'Fine' })
    expect(seen.slice(before).map((n) => [n.EventType, n.ObjectURI])).toEqual([
      [
        'Report Entered Expense Report Workflow Step - APPROVE',
        `${base}/api/expense/expensereport/v1.1/reportfulldetails/${id}`,
      ],
    ])

    const twice = await workflow(id, await tokenFor(mock), workflowXml('Approve'))
    expect(twice.status).toBe(200)
    const failure = await twice.text()
    expect(failure).toContain('<Status>FAILURE</Status>')
    expect(failure).toMatch(/<Message>Report \S+ is not pending approval/)
    expect(seen.length).toBe(before + 1)
  })

  it('sends a report back with a comment, without a notification', async () => {
    const id = String(reportsWithStatus('A_NOTF')[2]!.ID)
    await admin('/dataset/expense-reports', { action: 'submit', id })
    const before = seen.length
    const token = await tokenFor(mock)
    const noComment = await (await workflow(id, token, workflowXml('Send Back'))).text()
    expect(noComment).toContain('<Status>FAILURE</Status>')
    const back = await workflow(id, token, workflowXml('Send Back', 'Missing receipt'))
    expect(await back.text()).toContain('<Status>SUCCESS</Status>')
    expect(await v3Report(id)).toMatchObject({
      ApprovalStatusCode: 'A_RESU',
      EverSentBack: true,
      LastComment: 'Missing receipt',
    })
    expect(seen.length).toBe(before)
  })

  it('answers Concur errors for bad bodies, unknown reports and other resources', async () => {
    const token = await tokenFor(mock)
    const id = String(reportsWithStatus('A_PEND')[0]!.ID)
    expect((await workflow(id, token, '<WorkflowAction><Action>Approve')).status).toBe(400)
    const wrongAction = await workflow(id, token, workflowXml('Reject'))
    expect(wrongAction.status).toBe(400)
    expect(await wrongAction.text()).toContain('Invalid Action')
    expect((await workflow(id, token, '<Other/>')).status).toBe(400)
    expect((await workflow('NOSUCHREPORT', token, workflowXml('Approve'))).status).toBe(404)
    const noAuth = await mock.fetch(`${base}/api/expense/expensereport/v1.1/report/${id}/WorkFlowAction`, {
      method: 'POST',
      body: workflowXml('Approve'),
    })
    expect(noAuth.status).toBe(401)
    expect((await admin('/dataset/expense-entries', { action: 'submit', id })).status).toBe(400)
    expect((await admin('/dataset/expense-reports', { action: 'approve' })).status).toBe(400)
  })

  it('a notification the connector does not acknowledge stays FAILED and is listed', async () => {
    const id = String(reportsWithStatus('A_NOTF')[3]!.ID)
    failNotify = true
    try {
      const out = (await (await admin('/dataset/expense-reports', { action: 'submit', id })).json()) as {
        status: string
        deliveries: { status: string; notificationId: string }[]
      }
      expect(out.status).toBe('SUCCESS')
      expect(out.deliveries.map((d) => d.status)).toEqual(['FAILED'])
      const list = await mock.fetch(`${base}/api/platform/notifications/v1.0/notification?status=FAILED`, {
        headers: { authorization: `Bearer ${await tokenFor(mock)}`, accept: 'application/json' },
      })
      const failed = (await list.json()) as { NotificationURI: string; ObjectURI: string }[]
      expect(failed).toHaveLength(1)
      expect(failed[0]!.ObjectURI).toBe(`${base}/api/expense/expensereport/v1.1/reportfulldetails/${id}`)
      expect(failed[0]!.NotificationURI).toMatch(new RegExp(`/${out.deliveries[0]!.notificationId}$`))
    } finally {
      failNotify = false
    }
  })
})
