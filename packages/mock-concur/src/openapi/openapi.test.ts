import { RESOURCES } from '@concurkit/contract'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { createMockConcur } from '../mock.js'
import { buildOpenApiDocument, componentName } from './document.js'

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument()

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator()
    const result = await validator.validate(structuredClone(doc))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('describes every registry row with its filters, paging and item schema', () => {
    for (const row of RESOURCES) {
      // A fan-out row whose path serves no list (payment requests) is read at its item path.
      const read =
        row.paging.kind === 'fanout' && row.itemPath && !(doc.paths[row.path] as { get?: unknown })?.get
          ? row.itemPath
          : row.path
      const list = doc.paths[read] as { get?: { parameters: { name: string }[] } } | undefined
      expect(list?.get, read).toBeDefined()
      const names = list!.get!.parameters.map((p) => p.name)
      for (const f of row.filters) expect(names, `${row.name} ${f.param}`).toContain(f.param)
      if (row.paging.kind === 'v3') expect(names).toEqual(expect.arrayContaining(['limit', 'offset']))
      // a family may name the placeholder for what it is (`{listId}`)
      const shape = (p: string) => p.replace(/\{[^}]+\}/g, '{}')
      if (row.itemPath)
        expect(
          Object.keys(doc.paths).some((p) => shape(p) === shape(row.itemPath!)),
          row.itemPath,
        ).toBe(true)
      const schemas = (doc.components as { schemas: Record<string, { type?: string }> }).schemas
      // the item schema: the row's own component, or the one its family registered it under
      const refs = [...JSON.stringify(list!.get).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)]
      const name = schemas[componentName(row.name)] ? componentName(row.name) : refs[0]?.[1]
      expect(schemas[name ?? '']?.type, row.name).toBe('object')
    }
  })

  it('resolves every $ref to a component', () => {
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1]!,
    )
    expect(refs.length).toBeGreaterThan(20)
    for (const name of refs) expect(schemas, name).toHaveProperty(name)
  })

  it('carries the OAuth2 grants and the error bodies', () => {
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'TokenRequest',
        'TokenResponse',
        'OAuthErrorBody',
        'WebServiceError',
        'V4Error',
      ]),
    )
    expect(JSON.stringify(schemas.TokenRequest)).toContain('refresh_token')
    expect(doc.paths['/oauth2/v0/token']).toHaveProperty('post')
  })

  it('covers every Concur route the mock serves (methods and paths)', () => {
    const mock = createMockConcur()
    const norm = (p: string) =>
      p
        .replace(/:[A-Za-z0-9_]+(\{[^}]*\})?/g, '{}')
        .replace(/\{[^}]+\}/g, '{}')
        .replace(/\/$/, '')
        .toLowerCase()
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${norm(p)}`),
      ),
    )
    const served = new Set<string>()
    for (const app of Object.values(mock.apps))
      for (const r of app!.routes)
        if (r.method !== 'ALL' && !r.path.startsWith('/_mock')) served.add(`${r.method} ${norm(r.path)}`)
    expect(served.size).toBeGreaterThan(30)
    expect([...served].filter((route) => !documented.has(route))).toEqual([])
  })

  it('is served at /_mock/openapi.json with the mock datacenters as servers', async () => {
    const mock = createMockConcur({ datacenters: ['us', 'eu2'] })
    const res = await mock.app.request('/_mock/openapi.json')
    expect(res.status).toBe(200)
    const served = (await res.json()) as { servers: { url: string }[]; paths: object }
    expect(served.servers.map((s) => s.url)).toEqual([mock.state.baseUrl('us'), mock.state.baseUrl('eu2')])
    expect(Object.keys(served.paths)).toEqual(Object.keys(doc.paths))
  })
})
