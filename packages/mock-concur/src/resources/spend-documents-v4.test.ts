import { SpendDocumentReceipt, SpendDocumentsError } from '@concurkit/contract'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { call, issueToken, walk } from './v3-testing.js'

let mock: MockConcur
let company: string

beforeEach(async () => {
  mock = createMockConcur({ seed: 8, size: 30, companies: 2, datacenters: ['us'] })
  company = await issueToken(mock, { user: 'company' })
})

const json = async (path: string, token = company) => {
  const res = await call(mock, path, token)
  const text = await res.text()
  return { status: res.status, body: JSON.parse(text) as unknown }
}

/** Every v3.0 receipt image with the approval status of its report (image *e* is the image of entry *e*). */
async function imagesWithStatus() {
  const { items } = await walk(mock, '/api/v3.0/expense/receiptimages?user=ALL&limit=100', company)
  const out: { id: string; status: string; reportId: string }[] = []
  for (const item of items) {
    const id = String(item.ID)
    const entry = (await json(`/api/v3.0/expense/entries/${id.replace(/^gWr/, 'gWe')}`)).body as {
      ReportID: string
    }
    const report = (await json(`/api/v3.0/expense/reports/${entry.ReportID}`)).body as {
      ApprovalStatusCode: string
    }
    out.push({ id, status: report.ApprovalStatusCode, reportId: entry.ReportID })
  }
  return out
}

const changeReport = (id: string, fields: Record<string, unknown>) =>
  mock.fetch('http://us.concur.localhost/_mock/dataset/expense-reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'update', id, fields }),
  })

describe('Spend Documents v4: the receipt images of final-approved reports', () => {
  it('serves exactly the v3.0 receipt images whose report is approved, with the same bytes', async () => {
    const images = await imagesWithStatus()
    const approved = images.filter((i) => i.status === 'A_APPR')
    const other = images.filter((i) => i.status !== 'A_APPR')
    expect(approved.length).toBeGreaterThan(0)
    expect(other.length).toBeGreaterThan(0)
    const companyId = mock.state.companies[0]!.id
    for (const { id } of approved) {
      const res = await json(`/spend-documents/v4/receipts?imageId=${id}&companyId=${companyId}`)
      expect(res.status, id).toBe(200)
      const doc = SpendDocumentReceipt.parse(res.body)
      expect(doc.metadata.imageId).toBe(id)
      expect(doc.metadata.companyId).toBe(companyId)
      expect(
        SpendDocumentReceipt.parse((await json(`/spend-documents/v4/receipts/${doc.metadata.id}`)).body),
      ).toEqual(doc)
    }
    for (const { id } of other) {
      const res = await json(`/spend-documents/v4/receipts?imageId=${id}`)
      expect(res.status, id).toBe(404)
      expect(SpendDocumentsError.parse(res.body).status).toBe(404)
    }
    // The display representation is the image v3.0 receipt images serve, byte for byte.
    const one = approved[0]!.id
    const doc = SpendDocumentReceipt.parse((await json(`/spend-documents/v4/receipts?imageId=${one}`)).body)
    const display = doc.documents!.find((d) => d.representation === 'display')!
    const spend = await call(mock, display.href, company)
    expect(spend.headers.get('content-type')).toBe('image/png')
    const v3 = (await json(`/api/v3.0/expense/receiptimages/${one}`)).body as { Url: string }
    expect(new Uint8Array(await spend.arrayBuffer())).toEqual(
      new Uint8Array(await (await mock.fetch(v3.Url)).arrayBuffer()),
    )
  })

  it('follows the report: an image appears once its report is approved and leaves when it is not', async () => {
    const images = await imagesWithStatus()
    const pending = images.find((i) => i.status !== 'A_APPR')!
    const approved = images.find((i) => i.status === 'A_APPR')!
    expect((await json(`/spend-documents/v4/receipts?imageId=${pending.id}`)).status).toBe(404)
    expect((await changeReport(pending.reportId, { ApprovalStatusCode: 'A_APPR' })).status).toBe(200)
    expect((await json(`/spend-documents/v4/receipts?imageId=${pending.id}`)).status).toBe(200)
    expect((await changeReport(approved.reportId, { ApprovalStatusCode: 'A_RESU' })).status).toBe(200)
    expect((await json(`/spend-documents/v4/receipts?imageId=${approved.id}`)).status).toBe(404)
  })

  it('keeps users to their own receipts, companies to theirs, and checks scopes and parameters', async () => {
    const approved = (await imagesWithStatus()).find((i) => i.status === 'A_APPR')!
    const doc = SpendDocumentReceipt.parse(
      (await json(`/spend-documents/v4/receipts?imageId=${approved.id}`)).body,
    )
    const owner = mock.state.companies[0]!
    let ownerIndex = 0
    while (mock.state.user(owner, ownerIndex)!.id !== doc.metadata.userId) ownerIndex++
    const mine = await issueToken(mock, { user: ownerIndex })
    expect((await json(`/spend-documents/v4/receipts/${doc.metadata.id}`, mine)).status).toBe(200)
    const notMine = await issueToken(mock, { user: ownerIndex === 2 ? 3 : 2 })
    expect((await json(`/spend-documents/v4/receipts/${doc.metadata.id}`, notMine)).status).toBe(403)
    const other = await issueToken(mock, { company: 1, user: 'company' })
    const res = await call(mock, `/spend-documents/v4/receipts/${doc.metadata.id}`, other, { company: 1 })
    expect(res.status).toBe(404)
    expect(
      (
        await json(
          `/spend-documents/v4/receipts?imageId=${approved.id}&companyId=${mock.state.companies[1]!.id}`,
        )
      ).status,
    ).toBe(403)
    const noScope = await issueToken(mock, { user: 'company', scopes: ['EXPRPT'] })
    expect((await json(`/spend-documents/v4/receipts/${doc.metadata.id}`, noScope)).status).toBe(403)
    const bad = await json(`/spend-documents/v4/receipts/${doc.metadata.id}/representations?type=thumbnail`)
    expect(bad.status).toBe(400)
    expect(SpendDocumentsError.parse(bad.body).message).toMatch(/display/)
    expect((await json('/spend-documents/v4/receipts')).status).toBe(400)
  })
})
