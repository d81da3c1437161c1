import {
  createSelfSignedCertificate,
  type RunningConnector,
  serveConnector,
} from '@concurkit/callout-kit/node'
import { createMockConcur } from '@concurkit/mock-concur'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { costCentreConnector } from './connector.js'

const credentials = { user: 'concur-callouts', password: 'list-connector-password-1' }
const mock = createMockConcur({ size: 5 })
let connector: RunningConnector
let ca: string

beforeAll(async () => {
  const tls = await createSelfSignedCertificate({ hosts: ['localhost', '127.0.0.1'] })
  ca = tls.cert
  connector = await serveConnector({ port: 0, tls, app: costCentreConnector(credentials) })
})
afterAll(() => connector?.close())

const admin = (path: string, body: unknown) =>
  mock.app.request(`/_mock${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

it('passes Concur’s connection test and answers a fetch-list callout from the mock', async () => {
  const registered = await admin('/connectors', {
    name: 'Cost centres',
    url: connector.url,
    ...credentials,
    ca,
    callouts: { fetchList: '/concur/list/v1.2/fetch' },
  })
  expect(registered.status).toBe(201)
  const { connector: view } = (await registered.json()) as { connector: { id: string; verified: boolean } }
  expect(view.verified).toBe(true)

  const res = await admin(`/connectors/${view.id}/trigger/fetch-list`, { query: 'Sales*' })
  const { result } = (await res.json()) as {
    result: { outcome: string; value?: { items: { code: string }[] } }
  }
  expect(result.outcome).toBe('ok')
  expect(result.value?.items.map((i) => i.code)).toEqual(['CC-100', 'CC-200'])
})

it('is refused by the mock with the wrong password', async () => {
  const res = await admin('/connectors', {
    name: 'Cost centres',
    url: connector.url,
    user: credentials.user,
    password: 'not-the-password-1',
    ca,
    callouts: { fetchList: '/concur/list/v1.2/fetch' },
  })
  expect(res.status).toBe(422)
  expect(await res.text()).not.toContain('not-the-password-1')
})
