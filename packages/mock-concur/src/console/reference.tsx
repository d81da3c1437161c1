import { Layout } from './layout.js'

type Json = Record<string, unknown>

interface Operation {
  readonly method: string
  readonly path: string
  readonly op: Json
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-')
}

/** A schema shown as a short type: `ExpenseReportsItem[]`, `string`, `integer ≤ 100`. */
function schemaLabel(schema: unknown): string {
  if (!schema || typeof schema !== 'object') return ''
  const s = schema as Json
  if (typeof s.$ref === 'string') return s.$ref.split('/').pop() ?? ''
  if (s.type === 'array') return `${schemaLabel(s.items)}[]`
  if (Array.isArray(s.enum)) return s.enum.map(String).join(' | ')
  if (s.type === 'object' && s.properties) {
    return `{ ${Object.entries(s.properties as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${schemaLabel(v)}`)
      .join(', ')} }`
  }
  if (Array.isArray(s.type)) return s.type.join(' | ')
  if (typeof s.type === 'string') {
    const bound = typeof s.maximum === 'number' ? ` ≤ ${s.maximum}` : ''
    const format = typeof s.format === 'string' ? ` (${s.format})` : ''
    return `${s.type}${format}${bound}`
  }
  return 'any'
}

function OperationView(props: { o: Operation }) {
  const { method, path, op } = props.o
  const params = (op.parameters as Json[] | undefined) ?? []
  const responses = Object.entries((op.responses as Record<string, Json> | undefined) ?? {})
  const body = (op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content
  const scope = op['x-concur-scope']
  return (
    <div class="op" id={slug(String(op.operationId ?? `${method}-${path}`))}>
      <div>
        <span class={`method m-${method}`}>{method.toUpperCase()}</span> <code>{path}</code>{' '}
        <span class="muted">{String(op.summary ?? '')}</span>{' '}
        {typeof scope === 'string' ? <span class="pill">scope {scope}</span> : null}
        {op['x-concur-admin-only'] ? <span class="pill">administrators</span> : null}
      </div>
      {params.length > 0 ? (
        <details>
          <summary class="muted">{params.length} parameters</summary>
          <table>
            <tbody>
              {params.map((p) => (
                <tr>
                  <td class="mono">{String(p.name)}</td>
                  <td class="muted">{String(p.in)}</td>
                  <td class="mono">{schemaLabel(p.schema)}</td>
                  <td>{String(p.description ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
      {body ? (
        <div class="muted">
          body:{' '}
          {Object.entries(body).map(([type, c]) => (
            <span>
              <code>{type}</code> {schemaLabel(c.schema)}{' '}
            </span>
          ))}
        </div>
      ) : null}
      <div class="muted">
        {responses.map(([status, r]) => (
          <div>
            <b>{status}</b> {String(r.description ?? '')}{' '}
            {Object.entries((r.content as Record<string, { schema?: unknown }> | undefined) ?? {}).map(
              ([type, c]) => (
                <span>
                  <code>{type}</code> <span class="mono">{schemaLabel(c.schema)}</span>{' '}
                </span>
              ),
            )}
          </div>
        ))}
      </div>
    </div>
  )
}

/**
 * `GET /_mock/console/api`: a reference of the OpenAPI document rendered on the server (works offline;
 * no script from a CDN).
 */
export function ReferencePage(props: { doc: Json; datacenter: string }) {
  const paths = (props.doc.paths ?? {}) as Record<string, Json>
  const tags = ((props.doc.tags ?? []) as { name: string; description?: string }[]).map((t) => t.name)
  const byTag = new Map<string, Operation[]>(tags.map((t) => [t, []]))
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined
      if (!op) continue
      const tag = ((op.tags as string[] | undefined) ?? ['Other'])[0] ?? 'Other'
      if (!byTag.has(tag)) byTag.set(tag, [])
      byTag.get(tag)!.push({ method, path, op })
    }
  }
  const schemas = ((props.doc.components as Json | undefined)?.schemas ?? {}) as Record<string, unknown>
  const info = props.doc.info as { title?: string; version?: string; description?: string } | undefined
  const count = [...byTag.values()].reduce((n, ops) => n + ops.length, 0)
  return (
    <Layout page="api" title="API reference" datacenter={props.datacenter}>
      <section class="card">
        <p>
          <b>{info?.title}</b> <span class="pill">OpenAPI {String(props.doc.openapi)}</span>{' '}
          <span class="pill">v{info?.version}</span> · {count} operations ·{' '}
          <a href="/_mock/openapi.json">openapi.json</a>
        </p>
        <p class="muted">{info?.description}</p>
        <div class="toc grid">
          {[...byTag.entries()].map(([tag, ops]) => (
            <a href={`#tag-${slug(tag)}`}>
              {tag} <span class="muted">({ops.length})</span>
            </a>
          ))}
        </div>
      </section>
      {[...byTag.entries()]
        .filter(([, ops]) => ops.length > 0)
        .map(([tag, ops]) => (
          <section class="card" id={`tag-${slug(tag)}`}>
            <h2>{tag}</h2>
            {ops.map((o) => (
              <OperationView o={o} />
            ))}
          </section>
        ))}
      <section class="card" id="schemas">
        <h2>Schemas ({Object.keys(schemas).length})</h2>
        {Object.entries(schemas).map(([name, schema]) => (
          <details id={`schema-${name}`}>
            <summary class="mono">{name}</summary>
            <pre>{JSON.stringify(schema, null, 2)}</pre>
          </details>
        ))}
      </section>
    </Layout>
  )
}
