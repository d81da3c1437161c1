import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConnector } from '../src/connector.js'
import { createSelfSignedCertificate, type RunningConnector, serveConnector } from '../src/node.js'
import { testConnector } from '../src/play.js'

const credentials = { user: 'concur-connector', password: 'correct-horse-battery' }
let tls: { cert: string; key: string }
let good: RunningConnector
let broken: RunningConnector

beforeAll(async () => {
  tls = await createSelfSignedCertificate({ hosts: ['localhost', '127.0.0.1'] })
  good = await serveConnector({
    port: 0,
    tls,
    app: createConnector({
      credentials,
      handlers: {
        fetchAttendee: (req) => [
          { ExternalID: 'E1', FirstName: req.FirstName || 'Ann', LastName: req.LastName || 'Lee' },
        ],
        fetchList: (req) => [
          {
            code: req.longCode ? `${req.longCode}-X` : 'X',
            shortCode: 'X',
            text: 'Item X',
            matchValue: 'Item X',
          },
        ],
        notify: () => {},
        launchExternalUrl: () => '<p>ok</p>',
      },
    }),
  })
  // Answers raw XML without one required element and a wrong list code.
  const bad = createConnector({ credentials, handlers: {} })
  bad.post('/concur/attendee/v2.0/fetch', (c) =>
    c.body(
      '<AttendeeSearchResponse><Attendee><ExternalID>1</ExternalID></Attendee></AttendeeSearchResponse>',
      200,
      {
        'content-type': 'application/xml',
      },
    ),
  )
  broken = await serveConnector({ port: 0, tls, app: bad })
})
afterAll(async () => {
  await good?.close()
  await broken?.close()
})

describe('serveConnector + testConnector over HTTPS', () => {
  it('refuses to serve plain HTTP unless asked', async () => {
    await expect(
      serveConnector({ app: createConnector({ credentials, handlers: {} }), port: 0 }),
    ).rejects.toThrow(/insecureHttp/)
    const plain = await serveConnector({
      app: createConnector({ credentials, handlers: {} }),
      port: 0,
      insecureHttp: true,
    })
    expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    await plain.close()
  })

  it('a complete connector passes every check', async () => {
    const report = await testConnector({ url: good.url, ...credentials, ca: tls.cert })
    const failed = report.checks.filter((c) => c.status !== 'pass')
    expect(failed).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.checks.map((c) => c.id)).toEqual([
      'testconnection',
      'testconnection-wrong-password',
      'fetch-attendee-v2',
      'fetch-attendee-v1',
      'fetch-list-single',
      'fetch-list-multi',
      'notify',
      'launch-url-v4',
      'launch-url-v4-forged',
    ])
  })

  it('a broken connector fails with the element at fault', async () => {
    const report = await testConnector({ url: broken.url, ...credentials, ca: tls.cert })
    expect(report.ok).toBe(false)
    const attendee = report.checks.find((c) => c.id === 'fetch-attendee-v2')
    expect(attendee).toMatchObject({
      status: 'fail',
      element: 'AttendeeSearchResponse/Attendee[1]/FirstName',
    })
    expect(report.checks.find((c) => c.id === 'notify')?.status).toBe('skip')
  })

  it('untrusted certificate or no server → unreachable', async () => {
    const untrusted = await testConnector({ url: good.url, ...credentials })
    expect(untrusted.unreachable).toBe(true)
    expect(untrusted.checks[0]?.message).toMatch(/self.signed|certificate/i)
    const closed = await testConnector({ url: 'https://127.0.0.1:9', ...credentials, timeoutMs: 2000 })
    expect(closed).toMatchObject({ ok: false, unreachable: true })
  })
})
