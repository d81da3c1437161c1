import { XMLBuilder } from 'fast-xml-parser'
import { wireText } from '../http/text.js'

const XSI = 'http://www.w3.org/2001/XMLSchema-instance'

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: false,
  suppressEmptyNode: false,
  suppressBooleanAttributes: false,
  // Stored fields may hold characters XML forbids (written through JSON): replaced, never emitted.
  tagValueProcessor: (_name: string, value: unknown) => (typeof value === 'string' ? wireText(value) : value),
  attributeValueProcessor: (_name: string, value: unknown) =>
    typeof value === 'string' ? wireText(value) : value,
})

/** The element name of one member of an array field: `Policies` → `Policy`, `PaymentTypes` → `PaymentType`, strings → `string`. */
export function memberName(field: string, sample: unknown): string {
  if (typeof sample === 'string') return 'string'
  if (field.endsWith('ies')) return `${field.slice(0, -3)}y`
  if (field.endsWith('s')) return field.slice(0, -1)
  return `${field}Item`
}

/** A v3.0 record as XML content: `null` → `i:nil="true"`, booleans `true`/`false`, arrays wrapped per member. */
export function toXmlContent(value: unknown): unknown {
  if (value === null || value === undefined) return { '@_i:nil': 'true' }
  if (Array.isArray(value)) return value
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (Array.isArray(v)) out[k] = { [memberName(k, v[0])]: v.map((m) => toXmlContent(m)) }
      else out[k] = toXmlContent(v)
    }
    return out
  }
  return String(value)
}

/**
 * A v3.0 XML document: `<root xmlns=… xmlns:i=…>content</root>` (content already passed through `toXmlContent`).
 *
 * @example
 * xmlDocumentV3('Report', 'http://…', toXmlContent(item) as Record<string, unknown>)
 */
export function xmlDocumentV3(root: string, namespace: string, content: Record<string, unknown>): string {
  const body = content
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({
    [root]: { '@_xmlns': namespace, '@_xmlns:i': XSI, ...body },
  })}`
}
