import { LEGACY_RESOURCES, LEGACY_XML_MAPPINGS, REPORT_WORKFLOW_ACTION } from '@concurkit/contract'
import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { DcContext, MockEnv } from '../../context.js'
import { createMockConcur } from '../../mock.js'
import { call, issueToken } from '../v3-testing.js'
import { legacyRoutes } from './index.js'
import { xmlRowRoutes } from './rows-kit.js'

/** `METHOD /hono/:path` of a contract path (placeholders as params, no trailing slash). */
const route = (method: string, path: string) =>
  `${method} ${path.replace(/\{([^}]+)\}/g, ':$1').replace(/(.)\/+$/, '$1')}`

/**
 * Every legacy route the contract names, written out from its fields independently of the mock's
 * generator: each XML-only row's list, item and create paths, its walk steps and named endpoints
 * (with their other spellings), and the v1.1 workflow action.
 */
function contractRoutes(): Set<string> {
  const out = new Set<string>()
  for (const row of LEGACY_RESOURCES) {
    const mapping = LEGACY_XML_MAPPINGS[row.name]!
    out.add(route('GET', row.path))
    if (row.itemPath) out.add(route('GET', row.itemPath))
    if (row.writes.includes('create')) out.add(route('POST', row.path))
    for (const step of mapping.walk ?? []) {
      for (const p of [step.path, ...(step.aliases ?? [])]) out.add(route('GET', p))
    }
    for (const e of Object.values(mapping.endpoints ?? {})) {
      for (const p of [e.path, ...(e.aliases ?? [])]) out.add(route(e.method, p))
    }
  }
  for (const p of [REPORT_WORKFLOW_ACTION.path, ...REPORT_WORKFLOW_ACTION.aliases])
    out.add(route(REPORT_WORKFLOW_ACTION.method, p))
  return out
}

/** The routes an app mounts (middleware excluded). */
const mounted = (app: Hono<MockEnv>) =>
  new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))

function context(): DcContext {
  const mock = createMockConcur({ seed: 42, size: 20, companies: 1, datacenters: ['us'] })
  return { state: mock.state, datacenter: 'us' }
}

describe('legacy XML routes are generated from the registry rows', () => {
  it('mounts exactly the paths the contract gives the XML-only rows and the workflow action', () => {
    const expected = contractRoutes()
    expect(expected.size).toBeGreaterThanOrEqual(19)
    expect([...mounted(legacyRoutes(context()))].sort()).toEqual([...expected].sort())
  })

  it('the comparison fails on a hand-added route and on an unserved row path', () => {
    const app = legacyRoutes(context())
    app.get('/api/expense/expensereport/v1.1/report/Extra', (c) => c.text(''))
    expect(mounted(app)).not.toEqual(contractRoutes())
    const withoutTrips = [...contractRoutes()].filter((r) => !r.includes('/api/travel/trip/'))
    expect(mounted(legacyRoutes(context()))).not.toEqual(new Set(withoutTrips))
  })

  it('refuses a row whose hooks miss an endpoint or name one the row does not have', () => {
    const ctx = context()
    const answer = () => new Response('')
    // travel-itineraries has a list and an item: without `item` its item path would be unserved
    expect(() => xmlRowRoutes(ctx, { 'travel-itineraries': { list: answer } })).toThrow(/no `item` hook/)
    // the delegators row has no item path: an `item` hook would be a hand-added route
    expect(() => xmlRowRoutes(ctx, { 'expense-delegators': { list: answer, item: answer } })).toThrow(
      /`item` hook serves no endpoint/,
    )
    expect(() =>
      xmlRowRoutes(ctx, { 'extract-jobs': { list: answer, item: answer, create: answer, endpoints: {} } }),
    ).toThrow(/no `endpoints.status` hook/)
  })

  it('answers each walk step of the forms, and its other spelling, under the row scope', async () => {
    const mock = createMockConcur({ seed: 42, size: 20, companies: 1, datacenters: ['us'] })
    const token = await issueToken(mock, { user: 0 })
    const walk = LEGACY_XML_MAPPINGS['expense-form']!.walk!
    const types = await call(mock, walk[0]!.path, token)
    expect(types.status).toBe(200)
    const typesXml = await types.text()
    expect(typesXml).toContain(`<${walk[0]!.listPath[0]} xmlns="${walk[0]!.namespace}"`)
    const code = /<FormCode>([^<]+)<\/FormCode>/.exec(typesXml)![1]!
    const forms = await call(mock, walk[1]!.path.replace('{FormCode}', code), token)
    expect(forms.status).toBe(200)
    const formId = /<FormId>([^<]+)<\/FormId>/.exec(await forms.text())![1]!
    const fields = await call(mock, walk[2]!.path.replace('{FormId}', formId), token)
    const alias = await call(mock, walk[2]!.aliases![0]!.replace('{FormId}', formId), token)
    expect(fields.status).toBe(200)
    const body = await fields.text()
    expect(body).toContain(`<${walk[2]!.listPath[1]}>`)
    expect(await alias.text()).toBe(body)
    const noScope = await issueToken(mock, { user: 0, scopes: ['openid'] })
    expect((await call(mock, walk[0]!.path, noScope)).status).toBe(403)
  })
})
