import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { z } from 'zod'
import { ConcurHttpError } from '../http/errors.js'

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // A DOCTYPE is refused before parsing (below), so no entity of the document's own is ever defined.
  processEntities: true,
  htmlEntities: false,
})

/** Largest XML body accepted (the JSON bodies of the same writes are a few hundred bytes). */
const MAX_XML_BYTES = 1024 * 1024

type Element = string | Record<string, unknown> | Element[]

/** Whether an element carries `i:nil="true"` (the XML form of a JSON null). */
function isNil(el: unknown): boolean {
  return (
    typeof el === 'object' &&
    el !== null &&
    !Array.isArray(el) &&
    (el as Record<string, unknown>)['@_nil'] === 'true'
  )
}

/** The text of a leaf element (`<Name>x</Name>` → `x`, `<Name/>` → ``). */
function textOf(el: unknown): string | undefined {
  if (typeof el === 'string') return el
  if (typeof el === 'object' && el !== null && !Array.isArray(el)) {
    const rec = el as Record<string, unknown>
    const children = Object.keys(rec).filter((k) => !k.startsWith('@_'))
    if (children.length === 0) return ''
    if (children.length === 1 && children[0] === '#text' && typeof rec['#text'] === 'string')
      return rec['#text']
  }
  return undefined
}

/** Converts one element to the JSON value the field's write schema takes. */
function fieldValue(field: z.ZodType | undefined, el: Element): unknown {
  if (isNil(el)) return null
  if (Array.isArray(el)) return el.map((e) => textOf(e) ?? e)
  const text = textOf(el)
  if (text === undefined) {
    // A wrapped list (`<DuplicateSearchFields><string>a</string>…</DuplicateSearchFields>`).
    const rec = el as Record<string, unknown>
    const children = Object.keys(rec).filter((k) => !k.startsWith('@_'))
    if (children.length === 1) {
      const members = rec[children[0]!]
      return (Array.isArray(members) ? members : [members]).map((m) => textOf(m) ?? m)
    }
    return rec
  }
  if (!field || field.safeParse(text).success) return text
  const t = text.trim()
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) && field.safeParse(Number(t)).success)
    return Number(t)
  if (/^(true|false)$/i.test(t) && field.safeParse(t.toLowerCase() === 'true').success)
    return t.toLowerCase() === 'true'
  if (t === '' && field.safeParse(null).success) return null
  return text
}

/**
 * Reads a v3.0 write body sent as `application/xml` (or `text/xml`) into the object its JSON form
 * would be: the root element's children by name (namespace prefixes dropped), `i:nil="true"` as
 * null, numbers and booleans where the write schema types them, wrapped lists as arrays. The result
 * is then validated with the same contract schema as a JSON body. Whatever the root element is named
 * (`ReportPost`, `Report`), its children are the fields. A DOCTYPE is refused (as .NET's XML readers
 * refuse DTDs by default), so no entity is ever expanded.
 *
 * @example
 * readXmlBody('<ReportPost><Name>Trip</Name></ReportPost>', ReportWrite) // { Name: 'Trip' }
 */
export function readXmlBody(text: string, schema: z.ZodType | undefined): Record<string, unknown> {
  if (Buffer.byteLength(text) > MAX_XML_BYTES)
    throw new ConcurHttpError(413, 'The request body is larger than 1 MB')
  if (/<!DOCTYPE/i.test(text)) throw new ConcurHttpError(400, 'The request body must not contain a DTD')
  if (text.trim() === '' || XMLValidator.validate(text) !== true)
    throw new ConcurHttpError(400, 'The request body is not well-formed XML')
  let doc: Record<string, unknown>
  try {
    doc = parser.parse(text) as Record<string, unknown>
  } catch {
    throw new ConcurHttpError(400, 'The request body is not well-formed XML')
  }
  const roots = Object.keys(doc).filter((k) => !k.startsWith('@_') && !k.startsWith('?'))
  if (roots.length !== 1) throw new ConcurHttpError(400, 'The request body must have one root element')
  const root = doc[roots[0]!]
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    if (textOf(root) === '') return {}
    throw new ConcurHttpError(400, 'The root element of the request body must hold the fields as elements')
  }
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape ?? {}
  const out: Record<string, unknown> = {}
  for (const [k, el] of Object.entries(root as Record<string, unknown>)) {
    if (k.startsWith('@_')) continue
    if (k === '#text') {
      if (String(el).trim() !== '')
        throw new ConcurHttpError(
          400,
          'The root element of the request body must hold the fields as elements',
        )
      continue
    }
    out[k] = fieldValue(shape[k], el as Element)
  }
  return out
}
