import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toExtractJob } from '../src/client.ts'
import { CLIENT_ERROR_CODES, ConcurClientError, createConcurClient, staticToken } from '../src/index.ts'

// Extract jobs and receipt images are read with the contract's schemas (`ExtractJob`, `ReceiptImage`):
// a body missing what Concur always sends is an invalid response, not a half-filled object.

const JOB = {
  id: 'https://us.api.concursolutions.com/api/expense/extract/v1.0/nDEF1/job/nJOB1',
  'status-link': 'https://us.api.concursolutions.com/api/expense/extract/v1.0/nDEF1/job/nJOB1/status',
  'start-time': '2026-01-02T03:04:05',
  status: 'Completed',
  'stop-time': '2026-01-02T03:05:00',
  'file-link': 'https://us.api.concursolutions.com/api/expense/extract/v1.0/nDEF1/job/nJOB1/file',
}

describe('extract jobs through the contract', () => {
  it('maps a valid job to the client form', () => {
    expect(toExtractJob(JOB, 'nDEF1')).toEqual({
      id: JOB.id,
      definitionId: 'nDEF1',
      jobId: 'nJOB1',
      status: 'Completed',
      statusLink: JOB['status-link'],
      startTime: JOB['start-time'],
      stopTime: JOB['stop-time'],
      fileLink: JOB['file-link'],
    })
    const { 'stop-time': _s, 'file-link': _f, ...queued } = { ...JOB, status: 'Queued' }
    const q = toExtractJob(queued, 'nDEF1')
    expect(q.status).toBe('Queued')
    expect('fileLink' in q || 'stopTime' in q).toBe(false)
  })

  it.each([
    ['no id', { ...JOB, id: undefined }],
    ['id not a URL', { ...JOB, id: 'nJOB1' }],
    ['no status', { ...JOB, status: undefined }],
    ['a start time that is not a date-time', { ...JOB, 'start-time': 'yesterday' }],
    ['not an object', 'job'],
  ])('%s → CONCUR_INVALID_RESPONSE naming the field', (_name, raw) => {
    const err = (() => {
      try {
        toExtractJob(raw, 'nDEF1')
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(ConcurClientError)
    expect((err as ConcurClientError).code).toBe(CLIENT_ERROR_CODES.INVALID_RESPONSE)
    expect((err as Error).message).toMatch(/^extract job: record does not match the schema/)
  })
})

describe('receipt images through the contract', () => {
  let server: Server
  let baseUrl = ''
  const bodies: Record<string, { type: string; body: string }> = {
    json: { type: 'application/json', body: '' },
    xml: {
      type: 'application/xml',
      body: '<Image xmlns="http://www.concursolutions.com/api/image/2011/02"><Id>x</Id><Url>/img/x.png</Url></Image>',
    },
    nourl: { type: 'application/json', body: '{"Id":"nourl","url":"/img/x.png"}' },
    broken: { type: 'application/json', body: '{"Id":' },
  }
  beforeAll(async () => {
    bodies.json!.body = JSON.stringify({ Id: 'json', Url: '/img/x.png' })
    server = createServer((req, res) => {
      if (req.url === '/img/x.png') {
        res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([137, 80, 78, 71]))
        return
      }
      const id = req.url?.split('/').pop() ?? ''
      const b = bodies[id]
      if (!b) return void res.writeHead(404).end()
      res.writeHead(200, { 'content-type': b.type }).end(b.body)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  const client = () => createConcurClient({ auth: staticToken('t'), baseUrl, retry: { maxRetries: 0 } })

  it.each(['json', 'xml'])('a %s image record leads to the bytes of its Url', async (id) => {
    const c = client()
    const img = await c.receiptImage(id)
    expect(img.contentType).toBe('image/png')
    expect([...img.bytes]).toEqual([137, 80, 78, 71])
    await c.close()
  })

  it.each([
    ['nourl', /receipt image nourl: record does not match the schema[\s\S]*Url/],
    ['broken', /receipt image broken: the body is not JSON/],
  ])('%s → CONCUR_INVALID_RESPONSE', async (id, message) => {
    const c = client()
    const err = await c.receiptImage(id).catch((e: unknown) => e)
    expect((err as ConcurClientError).code).toBe(CLIENT_ERROR_CODES.INVALID_RESPONSE)
    expect((err as Error).message).toMatch(message)
    await c.close()
  })
})
