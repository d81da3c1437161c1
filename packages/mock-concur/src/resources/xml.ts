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

const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '>': '&gt;',
  '<': '&lt;',
  "'": '&apos;',
  '"': '&quot;',
}
const NEEDS_ENTITY = /[&<>'"]/
const ENTITIES = /[&<>'"]/g

/** Text or an attribute value as the builder writes it: `wireText`, then the five entities. */
function xmlText(value: string): string {
  const text = wireText(value)
  return NEEDS_ENTITY.test(text) ? text.replace(ENTITIES, (c) => ENTITY[c]!) : text
}

/** A key the builder would treat specially (attribute, text node, processing instruction). */
const SPECIAL_KEY = /^[@#?]/

/**
 * The builder's text of `<name>toXmlContent(value)</name>` written directly (no intermediate
 * objects); `undefined` when the value holds something only the builder's general path handles (a
 * nested array, a key read as an attribute or a text node), so the caller falls back to it.
 */
function element(name: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return `<${name} i:nil="true"></${name}>`
  if (Array.isArray(value)) {
    const member = memberName(name, value[0])
    let inner = ''
    for (const m of value) {
      if (Array.isArray(m)) return undefined
      const part = element(member, m)
      if (part === undefined) return undefined
      inner += part
    }
    return `<${name}>${inner}</${name}>`
  }
  if (typeof value === 'object') {
    const inner = elements(value as Record<string, unknown>)
    return inner === undefined ? undefined : `<${name}>${inner}</${name}>`
  }
  return `<${name}>${xmlText(String(value))}</${name}>`
}

function elements(record: Record<string, unknown>): string | undefined {
  let out = ''
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue
    if (SPECIAL_KEY.test(key)) return undefined
    const part = element(key, record[key])
    if (part === undefined) return undefined
    out += part
  }
  return out
}

/**
 * A v3.0 XML list page — the same text as
 * `xmlDocumentV3(listRoot, namespace, { Items: { [item]: records.map(toXmlContent) }, NextPage })`
 * with `URI` added last to each record — written directly instead of through the builder's general
 * path (the builder walks path matchers per key; this page is most of what an XML list costs).
 * Records with a `URI` of their own or shapes only the builder handles take the builder.
 *
 * @example
 * xmlListV3('Reports', ns, 'Report', [{ record, uri }], null)
 */
export function xmlListV3(
  listRoot: string,
  namespace: string,
  item: string,
  records: readonly { record: Record<string, unknown>; uri: string }[],
  nextPage: string | null,
): string {
  let items = ''
  for (const { record, uri } of records) {
    const inner = Object.hasOwn(record, 'URI') ? undefined : elements(record)
    if (inner === undefined) return xmlListV3General(listRoot, namespace, item, records, nextPage)
    items += `<${item}>${inner}<URI>${xmlText(uri)}</URI></${item}>`
  }
  const next =
    nextPage === null ? '<NextPage i:nil="true"></NextPage>' : `<NextPage>${xmlText(nextPage)}</NextPage>`
  return `<?xml version="1.0" encoding="utf-8"?>\n<${listRoot} xmlns="${xmlText(namespace)}" xmlns:i="${XSI}"><Items>${items}</Items>${next}</${listRoot}>`
}

function xmlListV3General(
  listRoot: string,
  namespace: string,
  item: string,
  records: readonly { record: Record<string, unknown>; uri: string }[],
  nextPage: string | null,
): string {
  return xmlDocumentV3(listRoot, namespace, {
    Items: { [item]: records.map(({ record, uri }) => toXmlContent({ ...record, URI: uri })) },
    NextPage: nextPage ?? { '@_i:nil': 'true' },
  })
}
