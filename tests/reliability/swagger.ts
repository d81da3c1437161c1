import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { QuirkId } from './swagger-quirks.ts'

/** A JSON Schema node of a swagger 2.0 file (plain JSON). */
export type Schema = {
  type?: string
  $ref?: string
  properties?: Record<string, Schema>
  items?: Schema
  format?: string
  enum?: unknown[]
  [k: string]: unknown
}

/** One swagger 2.0 parameter. */
export interface Parameter {
  readonly name: string
  readonly in: 'path' | 'query' | 'body' | 'formData' | 'header'
  readonly required?: boolean
  readonly type?: string
  readonly schema?: Schema
}

/** One operation of a swagger file, with the path Concur serves it on. */
export interface Operation {
  readonly spec: string
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** The path as the file spells it (basePath + path). */
  readonly specPath: string
  /** The path Concur serves (after the path quirks). */
  readonly path: string
  readonly parameters: readonly Parameter[]
  /** Documented statuses. */
  readonly statuses: readonly number[]
  /** The 200 answer's schema (`$ref` into the file's definitions), if any. */
  readonly answer: Schema | undefined
  /** The body parameter's schema, if any. */
  readonly body: Schema | undefined
  /** Whether the operation takes an image (bytes or a multipart form). */
  readonly image: boolean
  /** The operation's own `produces` list (falls back to the file's). */
  readonly produces: readonly string[]
  /** The quirks applied to the operation's description itself (paths). */
  readonly quirks: readonly QuirkId[]
}

/** One swagger file. */
export interface Spec {
  readonly name: string
  readonly definitions: Record<string, Schema>
  readonly operations: readonly Operation[]
}

const DIR = fileURLToPath(new URL('../../fixtures/concur-examples/', import.meta.url))

/**
 * Every `swagger-*.json` of `fixtures/concur-examples`, with its operations and the path each is
 * served on (quirks `base-path` and `path-with-space`).
 */
export function loadSpecs(): Spec[] {
  return readdirSync(DIR)
    .filter((f) => /^swagger-.*\.json$/.test(f))
    .sort()
    .map((file) => {
      const doc = JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')) as {
        basePath: string
        produces?: string[]
        definitions?: Record<string, Schema>
        paths: Record<string, Record<string, Record<string, unknown>>>
      }
      const name = file.replace(/^swagger-|\.json$/g, '')
      const operations: Operation[] = []
      for (const [p, ops] of Object.entries(doc.paths)) {
        for (const [m, raw] of Object.entries(ops)) {
          if (!['get', 'post', 'put', 'delete'].includes(m)) continue
          const op = raw as {
            parameters?: Parameter[]
            responses?: Record<string, { schema?: Schema }>
            produces?: string[]
            consumes?: string[]
          }
          const quirks: QuirkId[] = []
          let base = doc.basePath
          if (base === '/concur/api') {
            base = '/api'
            quirks.push('base-path')
          }
          let path = p
          if (path.includes(' ')) {
            path = path.replace(/ /g, '')
            quirks.push('path-with-space')
          }
          const params = op.parameters ?? []
          const bodyParam = params.find((x) => x.in === 'body')
          const image =
            params.some((x) => x.in === 'formData' && x.type === 'file') ||
            (name.includes('ReceiptImages') && bodyParam !== undefined)
          operations.push({
            spec: name,
            method: m.toUpperCase() as Operation['method'],
            specPath: `${doc.basePath}${p}`,
            path: `${base}${path}`,
            parameters: params,
            statuses: Object.keys(op.responses ?? {}).map(Number),
            answer: op.responses?.['200']?.schema,
            body: image ? undefined : bodyParam?.schema,
            image,
            produces: op.produces ?? doc.produces ?? ['application/json'],
            quirks,
          })
        }
      }
      return { name, definitions: doc.definitions ?? {}, operations }
    })
}

/** The definition a `$ref` names (`#/definitions/X` → X). */
export function refName(schema: Schema | undefined): string | undefined {
  return schema?.$ref?.replace('#/definitions/', '')
}
